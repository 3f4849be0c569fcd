-- Chorus schema, version 7: operators' controls (issue 19). Admins granted with `./chorus admin grant` (ADMIN_USERS
-- names admins without a row here), suspended accounts, the audit of every admin call, and announcements kept so
-- a client that was offline can catch up. Nothing here deletes a user's data: a suspension is a row, not a purge.

CREATE TABLE admin_grants (
  user_id    uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  granted_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE suspended_users (
  user_id      uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  suspended_by uuid REFERENCES users (id) ON DELETE SET NULL,
  suspended_at timestamptz NOT NULL DEFAULT now()
);

-- Who did what to which target, when. actor_id is NULL for the command line (`./chorus admin`), which has no user;
-- no foreign key, so the audit outlives whatever it names.
CREATE TABLE admin_audit (
  id       bigserial PRIMARY KEY,
  actor_id uuid,
  action   text NOT NULL,
  target   text,
  detail   jsonb,
  at       timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX admin_audit_at_idx ON admin_audit (at);

-- seq orders them for `GET /api/announcements?after=<announcementId>`.
CREATE TABLE announcements (
  id         uuid PRIMARY KEY,
  seq        bigserial NOT NULL UNIQUE,
  text       text NOT NULL,
  level      text NOT NULL CHECK (level IN ('info', 'warning')),
  created_by uuid REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
