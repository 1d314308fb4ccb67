-- A search near a place finds the listings within its radius and every one
-- meeting only online. As one condition (inside the box OR meeting only
-- online) no index could serve it, so each read the whole covering index of
-- 00014 (78 MB at 100,000 listings). The fallback now asks in two branches
-- (store.near), each served by one of these: the online-only listings from a
-- covering index of their own, the rest by their coordinates.

-- +goose Up
CREATE INDEX search_documents_online_idx ON search_documents (confirmed_at)
    INCLUDE (listing_id, city, languages, modes, tags_yes, tags_offered, days, times, slots, lat, lng, sort_key,
        next_at)
    WHERE online_only AND NOT paused;
CREATE INDEX search_documents_place_idx ON search_documents (lat, lng) WHERE NOT online_only AND NOT paused;

-- +goose Down
DROP INDEX search_documents_place_idx;
DROP INDEX search_documents_online_idx;
