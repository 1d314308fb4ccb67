-- The search fallback counts and facets every match of a search, and a broad
-- search matches most of the directory. search_documents rows are wide (the
-- text vector is kept in the row), so reading every match meant reading the
-- whole table. This index carries every column a search filters, orders or
-- counts by except the text, so searches without text are answered from the
-- index alone (an index-only scan, a quarter of the table's size), and the
-- rows are read only for a page of documents. It replaces the plain index on
-- confirmed_at, which every search filters by.

-- +goose Up
DROP INDEX search_documents_confirmed_at_idx;
CREATE INDEX search_documents_filters_idx ON search_documents (confirmed_at)
    INCLUDE (paused, online_only, city, languages, modes, tags_yes, tags_offered, days, times, slots, lat, lng,
        sort_key, next_at);

-- +goose Down
DROP INDEX search_documents_filters_idx;
CREATE INDEX search_documents_confirmed_at_idx ON search_documents (confirmed_at);
