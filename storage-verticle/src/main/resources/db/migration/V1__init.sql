-- Chorus schema, version 1. Ids are generated in Java (UUID.randomUUID) so a caller knows them
-- before the row exists; timestamps are timestamptz and leave the server in UTC ISO-8601.

CREATE TABLE users (
  id            uuid PRIMARY KEY,
  username      text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- last_seq is the per-conversation sequence counter: an append increments it under the row lock in
-- the same transaction as the message insert, so seqs are gap-free and unique across storage nodes.
CREATE TABLE conversations (
  id               uuid PRIMARY KEY,
  title            text,
  owner_id         uuid NOT NULL REFERENCES users (id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  last_seq         bigint NOT NULL DEFAULT 0,
  last_activity_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE members (
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  joined_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (conversation_id, user_id)
);

-- "my conversations" reads members by user.
CREATE INDEX members_user_id_idx ON members (user_id);

CREATE TABLE messages (
  id                uuid PRIMARY KEY,
  conversation_id   uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  seq               bigint NOT NULL,
  role              text NOT NULL CHECK (role IN ('user', 'assistant')),
  user_id           uuid REFERENCES users (id),
  content           text NOT NULL,
  client_msg_id     text,
  reply_to          uuid,
  stream_id         text,
  finish_reason     text,
  error_code        int,
  error             text,
  prompt_tokens     int,
  completion_tokens int,
  usage_estimated   boolean,
  created_at        timestamptz NOT NULL DEFAULT now(),
  -- also the index behind every history page (conversation_id, seq range).
  CONSTRAINT messages_conversation_seq_key UNIQUE (conversation_id, seq),
  -- idempotent sends; NULLs (assistant messages) never collide.
  CONSTRAINT messages_conversation_client_msg_key UNIQUE (conversation_id, client_msg_id)
);
