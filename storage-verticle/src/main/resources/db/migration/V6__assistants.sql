-- Chorus schema, version 6: assistants per conversation. A conversation names its assistant profile (an id
-- from ASSISTANTS_FILE; NULL for conversations created before, which the first profile answers). An answer
-- keeps the profile and model that gave it, so history says who answered and usage adds up per assistant.
-- Profile ids are not a foreign key: the profiles live in the operator's file, not in the database.
ALTER TABLE conversations ADD COLUMN assistant_id text;
ALTER TABLE messages ADD COLUMN assistant_id text;
ALTER TABLE messages ADD COLUMN model text;
