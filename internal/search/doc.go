// Package search owns finding listings: what a search means, the documents the
// index holds, and the two backends that answer it.
//
// The meaning of a search lives here and only here. A person's parameters are
// read into a Query (params.go); the Searcher turns a Query into Specs, the plain
// description of one match set (engine.go), and decides ranking, close matches
// and facets from what the backends find. A backend only executes Specs:
// MeiliBackend as Meilisearch filters, PostgresBackend through the store, whose
// SQL (internal/store/search.go) is a translation of a Spec and nothing more, so
// that all SQL stays in the store. Text has one meaning in both (FallbackText
// gives the fallback Meilisearch's words, stop words and synonyms).
//
// Adding a filter therefore touches the Query and its parameters, the Spec, the
// two backends' translations of it, the Document when it needs a new field, and
// the form: nothing in the handlers.
package search
