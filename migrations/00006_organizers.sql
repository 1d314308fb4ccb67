-- What organizers need to keep a listing true without an account: a private
-- contact address, a version for edits racing moderators, private manage links
-- (stored only as hashes), proposed revisions waiting for moderation, and the
-- queue of email the product sends, written in the same transaction as its cause.

-- +goose Up
ALTER TABLE listings
    -- never shown: used only to verify and reach the organizer
    ADD COLUMN contact_email text CHECK (contact_email ~ '^[^@\s]+@[^@\s]+$' AND length(contact_email) <= 254),
    -- the language the organizer wrote in, for every email they get
    ADD COLUMN contact_lang  language_code NOT NULL DEFAULT 'en',
    -- goes up on every change, so a stale edit cannot overwrite a newer one
    ADD COLUMN version       integer NOT NULL DEFAULT 1 CHECK (version > 0),
    -- when the organizer was last asked to confirm the listing
    ADD COLUMN reminded_at   timestamptz;

CREATE TABLE manage_links (
    token_hash  bytea PRIMARY KEY CHECK (length(token_hash) = 32),
    listing_id  uuid NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    revoked_at  timestamptz
);
CREATE INDEX manage_links_listing_idx ON manage_links (listing_id);

-- A revision is a whole listing as someone proposes it: a new submission or an
-- edit of a published listing, which stays live until the revision is approved.
CREATE TABLE revisions (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    listing_id    uuid NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    kind          text NOT NULL CHECK (kind IN ('new', 'edit')),
    state         text NOT NULL CHECK (state IN ('unverified', 'pending', 'approved', 'declined', 'withdrawn')),
    proposed      jsonb NOT NULL,
    base_version  integer NOT NULL,
    reason        text NOT NULL DEFAULT '' CHECK (length(reason) <= 2000),
    created_at    timestamptz NOT NULL DEFAULT now(),
    decided_at    timestamptz,
    decided_by    text
);
CREATE UNIQUE INDEX revisions_one_open_idx ON revisions (listing_id) WHERE state IN ('unverified', 'pending');
CREATE INDEX revisions_queue_idx ON revisions (created_at) WHERE state = 'pending';

-- Email waits here until the worker has handed it to SMTP (or, without SMTP, to
-- the log). A sent message's bodies are erased: they may hold private links.
CREATE TABLE mail_queue (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind          text NOT NULL CHECK (kind ~ '^[a-z_]+$'),
    to_addr       text NOT NULL CHECK (to_addr ~ '^[^@\s]+@[^@\s]+$'),
    lang          language_code NOT NULL,
    subject       text NOT NULL,
    text_body     text NOT NULL,
    html_body     text NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    available_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    claimed_until timestamptz,
    attempts      integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error    text,
    sent_at       timestamptz,
    sent_via      text CHECK (sent_via IN ('smtp', 'log'))
);
CREATE INDEX mail_queue_pending_idx ON mail_queue (available_at, id) WHERE sent_at IS NULL;

-- +goose StatementBegin
CREATE FUNCTION mail_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('belong_mail', '');
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER mail_notify AFTER INSERT ON mail_queue
    FOR EACH STATEMENT EXECUTE FUNCTION mail_notify();

-- +goose Down
DROP TABLE mail_queue, revisions, manage_links;
DROP FUNCTION mail_notify();
ALTER TABLE listings DROP COLUMN contact_email, DROP COLUMN contact_lang, DROP COLUMN version,
    DROP COLUMN reminded_at;
