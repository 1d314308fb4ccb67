package interop_test

import (
	"log/slog"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/interop"
	"github.com/belong-directory/belong/internal/listings"
	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/internal/testenv"
)

// importer is an importer over a fresh, empty database, wired as main wires
// it, with the directory service and the store to look at what it wrote.
func importer(t testing.TB) (*interop.Importer, *listings.Service, *store.Store) {
	t.Helper()
	st := testenv.Store(t)
	dir, err := listings.New(t.Context(), st, listings.Options{UILangs: []string{"en", "es"},
		Log: slog.New(slog.DiscardHandler), Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	return interop.NewImporter(dir, st, func() time.Time { return now }), dir, st
}

// where is a problem's place and key, what the tests compare.
type where struct {
	Row    int
	Column string
	Key    string
}

func wheres(ps []interop.Problem) []where {
	out := make([]where, len(ps))
	for i, p := range ps {
		out[i] = where{p.Row, p.Column, p.Key}
	}
	return out
}
