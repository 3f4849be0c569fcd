-- Chorus schema, version 2: uploaded files. The bytes live on disk under FILES_DIR at a path derived
-- from the id alone (never from the client's name); this table says what they are and where they belong.

CREATE TABLE files (
  id              uuid PRIMARY KEY,
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  uploader_id     uuid NOT NULL REFERENCES users (id),
  -- sanitized: no path components, no control characters, bounded length
  filename        text NOT NULL,
  -- sniffed from the first bytes, never the client's header
  content_type    text NOT NULL,
  size            bigint NOT NULL CHECK (size >= 0),
  sha256          text NOT NULL,
  created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX files_conversation_id_idx ON files (conversation_id);

-- A file is announced by a message of its own (role 'file') with the conversation's next seq, so it
-- takes its place in history and in the room's gap-free order like any other persisted event.
ALTER TABLE messages ADD COLUMN file_id uuid REFERENCES files (id);
ALTER TABLE messages DROP CONSTRAINT messages_role_check;
ALTER TABLE messages ADD CONSTRAINT messages_role_check CHECK (role IN ('user', 'assistant', 'file'));
ALTER TABLE messages ADD CONSTRAINT messages_file_role_check CHECK ((role = 'file') = (file_id IS NOT NULL));
