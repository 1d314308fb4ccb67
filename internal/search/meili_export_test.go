package search

// Internals the external tests of the Meilisearch code reach into.
var (
	ApplySettings = (*Index).applySettings
	MeiliFilter   = meiliFilter
)
