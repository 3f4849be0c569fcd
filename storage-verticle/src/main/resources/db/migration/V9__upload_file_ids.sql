-- Chorus schema, version 9: the file an upload in progress will be stored as, named when it begins. The sweep of
-- stored files without a row (OrphanSweep) leaves alone the file of an upload whose row is still live: its bytes may
-- be stored already while its files row is still being written. Rows from before this version have none.
ALTER TABLE uploads ADD COLUMN file_id uuid;

CREATE INDEX uploads_file_id_idx ON uploads (file_id);
