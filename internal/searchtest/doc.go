// Package searchtest holds the end-to-end tests of search: both engines on the
// demo directory, falling back when Meilisearch stops, the result cache following
// the indexer, and meeting times across time zones. It has no code of its own;
// everything is in its tests, which need PostgreSQL, Meilisearch and Redis.
package searchtest
