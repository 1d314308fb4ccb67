-- Referral lists: a few groups a peer worker picked with someone, shared by a
-- short code. A list holds no personal data: listing ids, the language the
-- person reads, an optional short note, the creator's account if any, whether
-- the person may leave follow-up marks, and the day it ends. Peer workers get
-- a role of their own.

-- +goose Up
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('moderator', 'admin', 'peer'));

CREATE TABLE referral_lists (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- 13 Crockford base32 symbols (65 random bits), canonical: upper case, no
    -- hyphens; the creator's dashboard shows it again, so it is kept as is
    code        text NOT NULL UNIQUE CHECK (code ~ '^[0-9A-HJKMNP-TV-Z]{13}$'),
    -- the groups, in the order the person will read them
    listing_ids uuid[] NOT NULL CHECK (cardinality(listing_ids) BETWEEN 1 AND 30),
    lang        language_code NOT NULL,
    note        text NOT NULL DEFAULT '' CHECK (length(note) <= 280),
    -- the peer worker's account; NULL for a list shared by someone not signed in
    created_by  uuid REFERENCES users (id) ON DELETE CASCADE,
    -- only the creator sees follow-up marks, so there is none without one
    follow_up   boolean NOT NULL DEFAULT false CHECK (NOT follow_up OR created_by IS NOT NULL),
    -- days, never times: when a list was made says nothing finer about a meeting
    created_on  date NOT NULL DEFAULT current_date,
    expires_on  date NOT NULL CHECK (expires_on > created_on)
);
CREATE INDEX referral_lists_creator_idx ON referral_lists (created_by) WHERE created_by IS NOT NULL;
CREATE INDEX referral_lists_expiry_idx ON referral_lists (expires_on);

-- A person's own marks on the groups of their list. Nothing about the person:
-- no address, no device, the day only.
CREATE TABLE referral_marks (
    list_id     uuid NOT NULL REFERENCES referral_lists (id) ON DELETE CASCADE,
    listing_id  uuid NOT NULL,
    mark        text NOT NULL CHECK (mark IN ('try', 'went', 'not_for_me')),
    marked_on   date NOT NULL DEFAULT current_date,
    PRIMARY KEY (list_id, listing_id)
);

-- +goose Down
DROP TABLE referral_marks, referral_lists;
DELETE FROM users WHERE role = 'peer';
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('moderator', 'admin'));
