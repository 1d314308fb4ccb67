package submissions_test

import (
	"log/slog"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/i18n"
	"github.com/belong-directory/belong/internal/mail"
	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/internal/submissions"
	"github.com/belong-directory/belong/web"
)

// newService is the organizers' service on st, with the product's catalogs
// for its email, vocab (nil: none) and the clock now.
func newService(t *testing.T, st *store.Store, vocab submissions.Vocabulary, now func() time.Time) *submissions.Service {
	t.Helper()
	catalogs, err := i18n.Load(web.Translations, "i18n")
	if err != nil {
		t.Fatal(err)
	}
	return submissions.New(st, vocab, mail.Composer{Catalogs: catalogs, BaseURL: "https://belong.example"},
		"https://belong.example", now, slog.New(slog.DiscardHandler))
}
