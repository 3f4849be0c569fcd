-- Chorus schema, version 11: a user's usage is read by index. Every answer names whom it counts for (asked_by): the
-- answers stored before V10 get the author of the question they reply to, whom usage credited them to; storage fills
-- it the same way for an answer whose worker did not say. With an index on the answers by asked_by, GET /api/usage
-- reads the caller's own answers, where it scanned every message of every conversation on each call.
UPDATE messages a SET asked_by = q.user_id
  FROM messages q
 WHERE a.role = 'assistant' AND a.asked_by IS NULL AND q.id = a.reply_to AND q.conversation_id = a.conversation_id;
CREATE INDEX messages_answers_asked_by_idx ON messages (asked_by) WHERE role = 'assistant';
