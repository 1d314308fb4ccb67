package interop_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/interop"
)

func TestParseQuery(t *testing.T) {
	t.Parallel()
	q, err := interop.ParseQuery("search=grief+circle&page=2&per_page=10&taxonomy_term_id=6B1E0C52-3F9A-5D27-9B51-0E8D2C47A163" +
		"&modified_after=2025-01-31&full=true&utm_source=flyer&organization_id=")
	if err != nil {
		t.Fatal(err)
	}
	want := interop.Query{Search: "grief circle", Page: 2, PerPage: 10, Full: true,
		TaxonomyTermID: "6b1e0c52-3f9a-5d27-9b51-0e8d2c47a163", ModifiedAfter: time.Date(2025, 1, 31, 0, 0, 0, 0, time.UTC)}
	if !equalQuery(q, want) {
		t.Fatalf("got %+v\nwant %+v", q, want)
	}
	if d, _ := interop.ParseQuery(""); d.Page != 1 || d.PerPage != interop.DefaultPerPage {
		t.Fatalf("defaults: %+v", d)
	}

	for raw, field := range map[string]string{
		"page=0":                     "page",
		"page=two":                   "page",
		"page=1&page=2":              "page",
		"per_page=100000":            "per_page",
		"taxonomy_term_id=free":      "taxonomy_term_id",
		"taxonomy_id=1":              "taxonomy_id",
		"organization_id=not-a-uuid": "organization_id",
		"parent_id=x":                "parent_id",
		"modified_after=yesterday":   "modified_after",
		"modified_after=2025-13-01":  "modified_after",
		"minimal=yes":                "minimal",
		"full=maybe":                 "full",
		"top_only=2":                 "top_only",
		"full_service=no":            "full_service",
		"minimal=true&full=true":     "minimal",
		"format=ndjson":              "format",
		"search=%00hidden":           "search",
		"search=%zz":                 "query",
	} {
		_, err := interop.ParseQuery(raw)
		var ve *directory.ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("%s: %v, want a validation error", raw, err)
			continue
		}
		if !slices.ContainsFunc(ve.Fields, func(f directory.FieldError) bool { return f.Field == field }) {
			t.Errorf("%s: %v does not name %s", raw, err, field)
		}
	}
}

func equalQuery(a, b interop.Query) bool {
	ta, tb := a.ModifiedAfter, b.ModifiedAfter
	a.ModifiedAfter, b.ModifiedAfter = time.Time{}, time.Time{}
	return a == b && ta.Equal(tb)
}

// FuzzParseQuery: no query string makes the parser panic; whatever it refuses
// it refuses with a validation error naming a parameter; whatever it accepts is
// within its limits and reads back the same from its canonical form.
func FuzzParseQuery(f *testing.F) {
	for _, seed := range []string{"", "page=2&per_page=10", "search=grief", "modified_after=2025-01-31T18:00:00-06:00",
		"taxonomy_term_id=6b1e0c52-3f9a-5d27-9b51-0e8d2c47a163", "minimal=true", "full=1&top_only=TRUE",
		"page=%zz", "page=1&page=1", "search=%E2%80%AEevil", "per_page=-1", "modified_after=0000-01-01"} {
		f.Add(seed)
	}
	known := []string{"query", "search", "page", "per_page", "taxonomy_term_id", "taxonomy_id", "organization_id",
		"parent_id", "modified_after", "minimal", "full", "full_service", "top_only", "format"}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := interop.ParseQuery(raw)
		if err != nil {
			var ve *directory.ValidationError
			if !errors.As(err, &ve) || len(ve.Fields) == 0 {
				t.Fatalf("%q: %v is not a validation error", raw, err)
			}
			for _, fe := range ve.Fields {
				if !slices.Contains(known, fe.Field) {
					t.Fatalf("%q: names %q", raw, fe.Field)
				}
			}
			return
		}
		if q.Page < 1 || q.PerPage < 1 || q.PerPage > interop.MaxPerPage || (q.Minimal && q.Full) {
			t.Fatalf("%q: out of bounds %+v", raw, q)
		}
		again, err := interop.ParseQuery(q.Values().Encode())
		if err != nil || !equalQuery(q, again) {
			t.Fatalf("%q: %+v reads back as %+v, %v", raw, q, again, err)
		}
	})
}
