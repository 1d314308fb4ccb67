-- The unmet-needs report counts searches, never people. One row is one cell: how
-- many searches in one ISO week asked for one combination of needs (barrier tag
-- slugs, sorted, one to four) in one coarse place, and how they came out. There
-- is no query text, no coordinates, no session and no time finer than the week.

-- +goose Up
CREATE TABLE need_counts (
    -- the Monday (UTC) that starts the ISO week
    week      date NOT NULL CHECK (extract(isodow FROM week) = 1),
    -- tag slugs, sorted and distinct
    needs     text[] NOT NULL CHECK (cardinality(needs) BETWEEN 1 AND 4),
    -- a city listings meet in, 'online', 'near' (near a point, never stored) or 'anywhere'
    place     text NOT NULL CHECK (length(place) BETWEEN 1 AND 200),
    -- full matches found: 'none', 'few' (1 or 2) or 'enough' (3 or more)
    outcome   text NOT NULL CHECK (outcome IN ('none', 'few', 'enough')),
    searches  bigint NOT NULL CHECK (searches > 0),
    PRIMARY KEY (week, needs, place, outcome)
);

-- +goose Down
DROP TABLE need_counts;
