-- The directory's core: organizations, listings and where and when they meet.
-- CHECK constraints and foreign keys make the database itself refuse impossible rows.

-- +goose Up
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE DOMAIN slug AS text
    CHECK (VALUE ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(VALUE) <= 120);

-- BCP 47 language tag, lower-case primary subtag: en, es, ase, zh-hant, pt-br.
CREATE DOMAIN language_code AS text
    CHECK (VALUE ~ '^[a-z]{2,3}(-[a-z0-9]{2,8})*$');

CREATE TABLE languages (
    code        language_code PRIMARY KEY,
    autonym     text NOT NULL CHECK (autonym <> ''),
    signed      boolean NOT NULL DEFAULT false
);

CREATE TABLE language_names (
    language    language_code NOT NULL REFERENCES languages (code) ON DELETE CASCADE,
    ui_lang     language_code NOT NULL,
    name        text NOT NULL CHECK (name <> ''),
    PRIMARY KEY (language, ui_lang)
);

CREATE TABLE organizations (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    slug        slug NOT NULL UNIQUE,
    name        text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 200),
    description text NOT NULL DEFAULT '',
    website     text CHECK (website ~ '^https?://'),
    email       text CHECK (email ~ '^[^@\s]+@[^@\s]+$'),
    phone       text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- A listing is an HSDS service: a group, a space or a recurring gathering.
CREATE TABLE listings (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    slug            slug NOT NULL UNIQUE,
    organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE RESTRICT,
    name            text NOT NULL CHECK (btrim(name) <> '' AND length(name) <= 200),
    summary         text NOT NULL CHECK (btrim(summary) <> '' AND length(summary) <= 300),
    description     text NOT NULL DEFAULT '',
    what_to_expect  text NOT NULL DEFAULT '',
    -- the language the listing's own text is written in
    text_lang       language_code NOT NULL DEFAULT 'en',
    status          text NOT NULL DEFAULT 'published'
                    CHECK (status IN ('draft', 'published', 'archived')),
    paused          boolean NOT NULL DEFAULT false,
    paused_note     text NOT NULL DEFAULT '',
    cost_note       text NOT NULL DEFAULT '',
    how_to_join     text NOT NULL DEFAULT '',
    email           text CHECK (email ~ '^[^@\s]+@[^@\s]+$'),
    phone           text,
    website         text CHECK (website ~ '^https?://'),
    -- dial-in number for meetings held by phone; its presence makes "phone" an attendance mode
    phone_meeting   text,
    confirmed_at    timestamptz NOT NULL DEFAULT now(),
    confirmed_by    text NOT NULL DEFAULT 'organizer'
                    CHECK (confirmed_by IN ('organizer', 'moderator', 'import')),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    CHECK (NOT paused OR status = 'published' OR status = 'draft')
);
CREATE INDEX listings_organization_idx ON listings (organization_id);
CREATE INDEX listings_confirmed_idx ON listings (confirmed_at);

CREATE TABLE locations (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    listing_id    uuid NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    kind          text NOT NULL CHECK (kind IN ('physical', 'virtual')),
    name          text NOT NULL DEFAULT '',
    address       text NOT NULL DEFAULT '',
    neighbourhood text NOT NULL DEFAULT '',
    city          text NOT NULL DEFAULT '',
    region        text NOT NULL DEFAULT '',
    postal_code   text NOT NULL DEFAULT '',
    country       text CHECK (country ~ '^[A-Z]{2}$'),
    lat           double precision CHECK (lat BETWEEN -90 AND 90),
    lng           double precision CHECK (lng BETWEEN -180 AND 180),
    transit_notes text NOT NULL DEFAULT '',
    url           text CHECK (url ~ '^https?://'),
    -- a discreet location shows only its neighbourhood until someone asks
    discreet      boolean NOT NULL DEFAULT false,
    CHECK ((lat IS NULL) = (lng IS NULL)),
    CHECK (kind = 'virtual' OR (city <> '' AND country IS NOT NULL)),
    CHECK (kind = 'physical' OR (lat IS NULL AND address = '' AND NOT discreet)),
    CHECK (NOT discreet OR neighbourhood <> '')
);
CREATE INDEX locations_listing_idx ON locations (listing_id);

-- HSDS schedule fields for recurring meetings, in the listing's own IANA time zone.
CREATE TABLE schedules (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    listing_id  uuid NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    freq        text NOT NULL CHECK (freq IN ('WEEKLY', 'MONTHLY')),
    "interval"  integer NOT NULL DEFAULT 1 CHECK ("interval" BETWEEN 1 AND 12),
    byday       text NOT NULL DEFAULT ''
                CHECK (byday ~ '^((-?[1-5])?(MO|TU|WE|TH|FR|SA|SU))?(,(-?[1-5])?(MO|TU|WE|TH|FR|SA|SU))*$'),
    opens_at    time NOT NULL,
    closes_at   time NOT NULL,
    dtstart     date NOT NULL,
    until       date CHECK (until >= dtstart),
    timezone    text NOT NULL CHECK (timezone ~ '^[A-Za-z_]+(/[A-Za-z0-9_+-]+)*$'),
    skip_dates  date[] NOT NULL DEFAULT '{}',
    notes       text NOT NULL DEFAULT '',
    CHECK (opens_at <> closes_at),
    CHECK (freq = 'MONTHLY' OR byday !~ '[0-9]')
);
CREATE INDEX schedules_listing_idx ON schedules (listing_id);

CREATE TABLE listing_languages (
    listing_id  uuid NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    language    language_code NOT NULL REFERENCES languages (code),
    PRIMARY KEY (listing_id, language)
);
CREATE INDEX listing_languages_language_idx ON listing_languages (language);

-- The barrier taxonomy: what a space offers, never who a person is.
CREATE TABLE tag_categories (
    slug      slug PRIMARY KEY,
    position  integer NOT NULL UNIQUE
);

CREATE TABLE tag_category_labels (
    category  slug NOT NULL REFERENCES tag_categories (slug) ON DELETE CASCADE,
    ui_lang   language_code NOT NULL,
    label     text NOT NULL CHECK (btrim(label) <> ''),
    PRIMARY KEY (category, ui_lang)
);

CREATE TABLE tags (
    slug      text PRIMARY KEY CHECK (slug ~ '^[a-z]+\.[a-z0-9]+(-[a-z0-9]+)*$'),
    category  slug NOT NULL REFERENCES tag_categories (slug),
    position  integer NOT NULL,
    -- physical-access tags make no sense for a group that meets only online
    physical  boolean NOT NULL DEFAULT false,
    UNIQUE (category, position)
);

CREATE TABLE tag_labels (
    tag         text NOT NULL REFERENCES tags (slug) ON DELETE CASCADE,
    ui_lang     language_code NOT NULL,
    label       text NOT NULL CHECK (btrim(label) <> ''),
    definition  text NOT NULL CHECK (btrim(definition) <> ''),
    PRIMARY KEY (tag, ui_lang)
);

-- Crosswalks to Meeting Guide type codes, HSDS taxonomy terms and OpenStreetMap keys.
CREATE TABLE tag_aliases (
    tag     text NOT NULL REFERENCES tags (slug) ON DELETE CASCADE,
    scheme  text NOT NULL CHECK (scheme IN ('meeting_guide', 'hsds', 'osm')),
    code    text NOT NULL CHECK (btrim(code) <> ''),
    PRIMARY KEY (scheme, code)
);
CREATE INDEX tag_aliases_tag_idx ON tag_aliases (tag);

-- Unknown is not no: a tag absent here means "not reported yet".
CREATE TABLE listing_tags (
    listing_id    uuid NOT NULL REFERENCES listings (id) ON DELETE CASCADE,
    tag           text NOT NULL REFERENCES tags (slug),
    value         text NOT NULL CHECK (value IN ('yes', 'partly', 'no')),
    note          text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
    source        text NOT NULL DEFAULT 'organizer'
                  CHECK (source IN ('organizer', 'moderator', 'import')),
    confirmed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (listing_id, tag)
);
CREATE INDEX listing_tags_tag_idx ON listing_tags (tag, value);

CREATE TABLE audit_log (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor       text NOT NULL CHECK (actor <> ''),
    action      text NOT NULL CHECK (action <> ''),
    entity      text NOT NULL CHECK (entity <> ''),
    entity_id   text NOT NULL,
    detail      jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity, entity_id);

-- Every write that changes what search shows adds a row here in the same transaction;
-- the indexer relays it by re-reading the current listing.
CREATE TABLE outbox (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    listing_id    uuid NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    available_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    attempts      integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error    text,
    processed_at  timestamptz
);
CREATE INDEX outbox_pending_idx ON outbox (available_at, id) WHERE processed_at IS NULL;

-- +goose StatementBegin
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('belong_outbox', '');
    RETURN NULL;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER outbox_notify AFTER INSERT ON outbox
    FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

-- +goose Down
DROP TABLE outbox, audit_log, listing_tags, tag_aliases, tag_labels, tags,
    tag_category_labels, tag_categories, listing_languages, schedules, locations,
    listings, organizations, language_names, languages;
DROP FUNCTION outbox_notify();
DROP DOMAIN language_code;
DROP DOMAIN slug;
