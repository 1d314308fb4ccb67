package server

import (
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/belong-directory/belong/internal/corrections"
	"github.com/belong-directory/belong/internal/directory"
)

// FuzzCorrectionForm feeds the correction form's parser and validator whatever
// a client may send: they never panic, and what they accept is a known kind
// with a text the database takes (valid UTF-8, no NUL, within the limit).
func FuzzCorrectionForm(f *testing.F) {
	f.Add("kind=closed&text=The+hall+is+locked")
	f.Add("kind=time&text=%3Cscript%3Ealert(1)%3C/script%3E")
	f.Add("kind=access&text=%00%ff%fe&kind=other")
	f.Add("kind=&text=+%0D%0A+")
	f.Add("kind=gone&text=x&token=y&homepage=z")
	f.Add("%zz&&=&kind")
	f.Fuzz(func(t *testing.T, raw string) {
		form, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		kind, text, err := parseCorrection(form).Validate()
		if err != nil {
			return
		}
		if !kind.Valid() || !directory.CorrectionKind(form.Get("kind")).Valid() {
			t.Fatalf("accepted kind %q", kind)
		}
		if text == "" || !utf8.ValidString(text) || strings.ContainsRune(text, 0) ||
			utf8.RuneCountInString(text) > corrections.MaxText || strings.TrimSpace(text) != text {
			t.Fatalf("accepted text %q", text)
		}
	})
}
