-- Corrections anyone may send about a public listing, without an account or an
-- email address: what they noticed, where it stands, and the hash of the
-- private link that lets the sender follow it (the link itself is never kept).
-- Nothing here says who sent it: no address, no account, no IP.

-- +goose Up
CREATE TABLE corrections (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    listing_id   uuid NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    kind         text NOT NULL CHECK (kind IN ('closed', 'time', 'access', 'other')),
    body         text NOT NULL CHECK (length(body) BETWEEN 1 AND 1000),
    state        text NOT NULL DEFAULT 'received' CHECK (state IN ('received', 'applied', 'declined')),
    -- how an applied correction was answered: the organizer confirmed the
    -- listing, an edit of theirs was approved, or a moderator applied it
    resolution   text CHECK (resolution IN ('confirmed', 'edited', 'moderator')),
    reason       text NOT NULL DEFAULT '' CHECK (length(reason) <= 2000),
    status_hash  bytea NOT NULL UNIQUE CHECK (length(status_hash) = 32),
    created_at   timestamptz NOT NULL DEFAULT now(),
    decided_at   timestamptz,
    decided_by   text,
    CHECK ((state = 'received') = (decided_at IS NULL)),
    CHECK ((state = 'applied') = (resolution IS NOT NULL))
);
CREATE INDEX corrections_queue_idx ON corrections (created_at, id) WHERE state = 'received';
CREATE INDEX corrections_listing_idx ON corrections (listing_id, created_at) WHERE state = 'received';

-- +goose Down
DROP TABLE corrections;
