-- Chorus schema, version 5: a username is unique without regard to case ("Alice" and "alice" are one name, so
-- nobody can pass for someone else by case alone), and is found that way. Names that already differ only in
-- case keep the oldest account's as it is; each later one gets an underscore and the first six hex digits of its
-- id (its start cut so the whole stays within 32 characters), so the index can be built. Their owners log in
-- with the new name.
UPDATE users u
   SET username = left(u.username, 25) || '_' || substr(replace(u.id::text, '-', ''), 1, 6)
 WHERE EXISTS (SELECT 1 FROM users o
                WHERE lower(o.username) = lower(u.username)
                  AND (o.created_at, o.id) < (u.created_at, u.id));

CREATE UNIQUE INDEX users_username_lower_key ON users (lower(username));
