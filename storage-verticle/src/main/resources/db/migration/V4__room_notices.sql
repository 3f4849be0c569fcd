-- Chorus schema, version 4: room notices. Something that happened to a conversation rather than a message
-- written in it (a member left or was removed) is persisted as a message of role 'notice' with the
-- conversation's next seq, so it takes its place in history and in the room's gap-free order. user_id is
-- the member it is about; notice_type names it (the room event's type) and notice_data holds its other fields.
ALTER TABLE messages ADD COLUMN notice_type text;
ALTER TABLE messages ADD COLUMN notice_data jsonb;
ALTER TABLE messages DROP CONSTRAINT messages_role_check;
ALTER TABLE messages ADD CONSTRAINT messages_role_check CHECK (role IN ('user', 'assistant', 'file', 'notice'));
ALTER TABLE messages ADD CONSTRAINT messages_notice_role_check CHECK ((role = 'notice') = (notice_type IS NOT NULL));
