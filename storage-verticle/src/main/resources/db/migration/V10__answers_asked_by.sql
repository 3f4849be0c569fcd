-- Chorus schema, version 10: who asked for an answer. A member who asks for an answer again (regenerate) spends its
-- tokens, so usage counts an answer for asked_by, not for the author of the question it replies to. NULL on user
-- messages, and on answers stored before this version or by an older worker: those count for the question's author,
-- as they always did. No foreign key: it only names whose usage the answer counts in, and an answer must never fail
-- to be stored over it.
ALTER TABLE messages ADD COLUMN asked_by uuid;
