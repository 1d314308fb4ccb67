-- Where listings come from when they are not typed in here: feeds (a Meeting
-- Guide JSON feed, an HSDS dataset, a CSV file) that an admin subscribes to or
-- that someone imports once, each run of an import with its per-item report, and
-- for every imported listing the feed and id it came from.

-- +goose Up
CREATE TABLE feeds (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind              text NOT NULL CHECK (kind IN ('meeting_guide', 'hsds', 'csv')),
    -- https://… for a subscription, file:… for a one-off import of a local file
    url               text NOT NULL UNIQUE CHECK (url ~ '^(https?|file):' AND length(url) <= 2000),
    name              text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 200),
    -- used for meetings that do not name their own
    default_timezone  text NOT NULL DEFAULT ''
                      CHECK (default_timezone = '' OR default_timezone ~ '^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$'),
    default_country   text NOT NULL DEFAULT '' CHECK (default_country = '' OR default_country ~ '^[A-Z]{2}$'),
    -- an admin's explicit choice: fetch even when the address is private (a feed on the same network)
    allow_private     boolean NOT NULL DEFAULT false,
    -- the worker syncs a subscription every sync_every; a one-off import is not a subscription
    subscribed        boolean NOT NULL DEFAULT false,
    sync_every        interval NOT NULL DEFAULT '6 hours' CHECK (sync_every >= interval '5 minutes'),
    next_sync_at      timestamptz,
    -- how long a listing gone from the feed stays before it is archived
    grace             interval NOT NULL DEFAULT '7 days' CHECK (grace >= interval '0'),
    -- an admin confirmed a large drop that was held: the next run applies it
    confirm_drop      boolean NOT NULL DEFAULT false,
    created_by        text NOT NULL DEFAULT '',
    created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX feeds_due_idx ON feeds (next_sync_at) WHERE subscribed;

-- One run of an import: what it found and did, and a report of every item it
-- could not take whole. A held run changed nothing and waits for an admin.
CREATE TABLE feed_runs (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    feed_id      uuid NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    outcome      text NOT NULL CHECK (outcome IN ('applied', 'held', 'failed')),
    message      text NOT NULL DEFAULT '' CHECK (length(message) <= 2000),
    meetings     integer NOT NULL DEFAULT 0 CHECK (meetings >= 0),
    added        integer NOT NULL DEFAULT 0 CHECK (added >= 0),
    updated      integer NOT NULL DEFAULT 0 CHECK (updated >= 0),
    unchanged    integer NOT NULL DEFAULT 0 CHECK (unchanged >= 0),
    missing      integer NOT NULL DEFAULT 0 CHECK (missing >= 0),
    archived     integer NOT NULL DEFAULT 0 CHECK (archived >= 0),
    skipped      integer NOT NULL DEFAULT 0 CHECK (skipped >= 0),
    -- per-item problems and the type codes kept but not modelled, as the import report shows them
    report       jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX feed_runs_feed_idx ON feed_runs (feed_id, id DESC);

-- Where an imported listing came from. Removing a feed keeps its listings
-- (they simply stop being updated from it and fade by freshness).
CREATE TABLE listing_sources (
    listing_id       uuid PRIMARY KEY REFERENCES listings (id) ON DELETE CASCADE,
    feed_id          uuid NOT NULL REFERENCES feeds (id) ON DELETE CASCADE,
    -- the item's own id in the feed (a Meeting Guide slug)
    source_id        text NOT NULL CHECK (btrim(source_id) <> '' AND length(source_id) <= 300),
    -- a hash of what the feed said, so an unchanged item is recognised and left alone
    content_hash     text NOT NULL,
    -- type codes belong does not model, kept as the feed gave them
    kept_types       text[] NOT NULL DEFAULT '{}',
    -- where corrections to this listing go: the feed's own feedback channels
    feedback_emails  text[] NOT NULL DEFAULT '{}',
    feedback_url     text CHECK (feedback_url ~ '^https?://'),
    -- when the item was first found gone from the feed; archived after the feed's grace
    missing_since    timestamptz,
    UNIQUE (feed_id, source_id)
);

-- +goose Down
DROP TABLE listing_sources, feed_runs, feeds;
