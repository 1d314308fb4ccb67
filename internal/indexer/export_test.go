package indexer

// MaxWaiting is how many of one drain's batches may wait for Meilisearch at once.
const MaxWaiting = maxWaiting
