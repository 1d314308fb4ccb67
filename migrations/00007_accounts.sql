-- Accounts exist only for the people who look after the directory (moderators
-- and admins; peer workers come later). There are no passwords: a person signs
-- in by a one-time link sent to their address, stored here only as a hash.

-- +goose Up
CREATE TABLE users (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email         text NOT NULL CHECK (email ~ '^[^@\s]+@[^@\s]+$' AND length(email) <= 254),
    role          text NOT NULL CHECK (role IN ('moderator', 'admin')),
    created_at    timestamptz NOT NULL DEFAULT now(),
    -- who added the account: "cli" or "admin:<id>"
    created_by    text NOT NULL DEFAULT '',
    disabled_at   timestamptz,
    -- a session remembers the epoch it began in; "sign out everywhere" moves it
    -- on, which ends every other session without reading Redis (and without
    -- trusting two clocks to agree)
    session_epoch integer NOT NULL DEFAULT 1 CHECK (session_epoch > 0)
);
CREATE UNIQUE INDEX users_email_idx ON users (lower(email));

CREATE TABLE sign_in_links (
    token_hash  bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX sign_in_links_user_idx ON sign_in_links (user_id);

-- +goose Down
DROP TABLE sign_in_links, users;
