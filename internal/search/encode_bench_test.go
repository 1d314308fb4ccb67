package search

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"testing"
	"time"

	gojson "github.com/goccy/go-json"
	kgzip "github.com/klauspost/compress/gzip"

	"github.com/belong-directory/belong/internal/directory"
)

// compressor is a gzip writer that can be used again.
type compressor interface {
	io.WriteCloser
	Reset(io.Writer)
}

// BenchmarkEncodeResult weighs what the API does with a page of results after
// the search: JSON encoding (encoding/json, as Echo's default serializer, or
// goccy/go-json) and gzip: the standard library's at levels 1 and 2, and
// klauspost/compress's at level 1, which the server uses.
func BenchmarkEncodeResult(b *testing.B) {
	km, at := 1.2, time.Date(2026, 12, 1, 18, 30, 0, 0, time.UTC)
	r := Result{Engine: "meilisearch", Total: 1234, Page: 1, PerPage: 20,
		Facets: Facets{Tags: map[string]int{"cost.free": 900, "care.childcare": 300}, Languages: map[string]int{"en": 1000, "es": 400},
			Modes: map[string]int{"in_person": 1100}, Cities: map[string]int{"Chicago": 1200}}}
	for i := range 20 {
		r.Hits = append(r.Hits, Hit{ID: fmt.Sprintf("0190c3a0-0000-7000-8000-%012d", i), Slug: fmt.Sprintf("grief-circle-%d", i),
			Name: "Grief circle", Summary: "A peer circle for grief and loss, every week in the library", Organization: "Friends",
			TextLang: "en", City: "Chicago", Modes: []directory.Mode{"in_person"}, Languages: []string{"en", "es"},
			NeedsMet: []string{"cost.free", "care.childcare"}, NeedsPartly: []string{"transit.near-stop"}, DistanceKm: &km,
			NextAt: &at, TimeZone: "America/Chicago", ConfirmedAt: at, ConfirmedBy: "organizer", Freshness: "fresh"})
	}
	std, err := json.Marshal(r)
	if err != nil {
		b.Fatal(err)
	}
	if g, err := gojson.Marshal(r); err != nil || !bytes.Equal(g, std) {
		b.Fatalf("goccy/go-json writes another answer (%v):\n%s\n%s", err, g, std)
	}
	b.Run("encoding-json", func(b *testing.B) {
		for b.Loop() {
			var buf bytes.Buffer
			if err := json.NewEncoder(&buf).Encode(r); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("goccy", func(b *testing.B) {
		for b.Loop() {
			var buf bytes.Buffer
			if err := gojson.NewEncoder(&buf).Encode(r); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("gzip-2-fresh-writer", func(b *testing.B) {
		for b.Loop() {
			var buf bytes.Buffer
			w, _ := gzip.NewWriterLevel(&buf, 2)
			_, _ = w.Write(std)
			_ = w.Close()
		}
	})
	// The standard library's gzip at levels 1 and 2, and what the server uses
	// (server.New): klauspost/compress's at level 1.
	for _, c := range []struct {
		name string
		w    func(io.Writer) compressor
	}{
		{"gzip-1-pooled", func(w io.Writer) compressor { z, _ := gzip.NewWriterLevel(w, 1); return z }},
		{"gzip-2-pooled", func(w io.Writer) compressor { z, _ := gzip.NewWriterLevel(w, 2); return z }},
		{"gzip-1-klauspost-pooled", func(w io.Writer) compressor { z, _ := kgzip.NewWriterLevel(w, kgzip.BestSpeed); return z }},
	} {
		b.Run(c.name, func(b *testing.B) {
			var buf bytes.Buffer
			w := c.w(&buf)
			for b.Loop() {
				buf.Reset()
				w.Reset(&buf)
				_, _ = w.Write(std)
				_ = w.Close()
			}
			b.ReportMetric(float64(buf.Len()), "bytes")
		})
	}
	b.Logf("answer: %d bytes", len(std))
}
