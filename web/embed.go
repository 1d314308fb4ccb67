// Package web holds the HTML templates, static files and UI translations, embedded
// in the binary.
package web

import "embed"

// Templates are the page templates, parsed once at start-up.
//
//go:embed templates/*.html
var Templates embed.FS

// Static holds CSS, the small progressive-enhancement script and icons.
//
//go:embed static
var Static embed.FS

// Translations are the flat UI catalogs, one JSON file per language.
//
//go:embed i18n/*.json
var Translations embed.FS
