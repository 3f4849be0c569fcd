-- Chorus schema, version 8 (issue 18): what the chat page needs from the server.
-- A member's read marker: the highest seq they have seen, on any device; it only moves forward. Unread counts are
-- the persisted messages after it, read on the (conversation_id, seq) key of messages.
ALTER TABLE members ADD COLUMN last_read_seq bigint NOT NULL DEFAULT 0 CHECK (last_read_seq >= 0);

-- Who stopped an answer ({"userId","username"}), so history says "stopped by" as the live event did. NULL for
-- every other answer, and for answers an operator's drain or shutdown ended.
ALTER TABLE messages ADD COLUMN stopped_by jsonb;

-- A conversation where the assistant answers every member message (one-to-one AI chats), not only questions.
ALTER TABLE conversations ADD COLUMN answers_every_message boolean NOT NULL DEFAULT false;
