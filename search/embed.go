// Package search holds the Meilisearch index definition as data: settings,
// synonyms and stop words for each language. internal/search applies it.
package search

import "embed"

// FS holds settings.json, synonyms.json and stopwords/<lang>.txt.
//
//go:embed settings.json synonyms.json stopwords/*.txt
var FS embed.FS
