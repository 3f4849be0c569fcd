-- Chorus schema, version 3: what the per-user upload limits count, in the database so that they hold
-- whichever gateway and storage node an upload goes through.

-- Uploads in progress, at most MAX_CONCURRENT_UPLOADS_PER_USER per user. The storage node holding one
-- renews expires_at while it lives and deletes the row when it ends (stored, aborted or dropped); the rows
-- of a node that died count until they expire.
CREATE TABLE uploads (
  id         uuid PRIMARY KEY,
  user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL
);

CREATE INDEX uploads_user_id_idx ON uploads (user_id);

-- USER_QUOTA_BYTES bounds the sum of the sizes of a user's stored files.
CREATE INDEX files_uploader_id_idx ON files (uploader_id);
