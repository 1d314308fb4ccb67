-- The indexer claims outbox rows with a lease instead of holding a transaction
-- (and its row and advisory locks) open while Meilisearch works: a claim sets
-- claimed_until and a token of the claimer's own and commits; the claimer marks
-- its rows by that token when it is done. A row whose lease has run out is
-- claimable again, so a worker that dies loses nothing.

-- +goose Up
ALTER TABLE outbox
    ADD COLUMN claimed_until timestamptz,
    ADD COLUMN claim_token   text;

-- A claim skips every listing some worker holds a live lease on, so two workers
-- never apply one listing at once; this finds a listing's pending rows.
CREATE INDEX outbox_pending_listing_idx ON outbox (listing_id) WHERE processed_at IS NULL;

-- +goose Down
DROP INDEX outbox_pending_listing_idx;
ALTER TABLE outbox DROP COLUMN claim_token, DROP COLUMN claimed_until;
