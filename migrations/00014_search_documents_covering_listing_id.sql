-- The covering index of 00013 left out listing_id, which every search that
-- lists or ranks documents selects (to read the page's documents), so those
-- searches read the table's rows after all: a close-match search read the
-- whole table, 230 MB at 100,000 listings, for 17,000 candidates. With it,
-- they are answered from the index alone too.

-- +goose Up
DROP INDEX search_documents_filters_idx;
CREATE INDEX search_documents_filters_idx ON search_documents (confirmed_at)
    INCLUDE (listing_id, paused, online_only, city, languages, modes, tags_yes, tags_offered, days, times, slots, lat,
        lng, sort_key, next_at);

-- +goose Down
DROP INDEX search_documents_filters_idx;
CREATE INDEX search_documents_filters_idx ON search_documents (confirmed_at)
    INCLUDE (paused, online_only, city, languages, modes, tags_yes, tags_offered, days, times, slots, lat, lng,
        sort_key, next_at);
