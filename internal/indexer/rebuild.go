package indexer

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/search"
)

// ReindexReport counts what a rebuild did.
type ReindexReport struct {
	Listings int // listings read
	Indexed  int // documents written: the searchable listings
	// Removed counts documents the fallback held that are no longer searchable.
	Removed int
	// Requeued counts listings a worker changed during the rebuild, queued again
	// so the new index has their latest version.
	Requeued int
	Took     time.Duration
}

// Reindex derives every listing's document afresh. It fills a new Meilisearch
// index and swaps it in at once, and brings the fallback to the same set of
// documents. The fallback is brought up to date even when Meilisearch fails; the
// error is then returned with the report.
func (ix *Indexer) Reindex(ctx context.Context) (ReindexReport, error) {
	start := time.Now()
	var r ReindexReport
	mark, err := ix.deps.Outbox.OutboxMark(ctx)
	if err != nil {
		return r, err
	}
	tax, err := ix.loadTaxonomy(ctx)
	if err != nil {
		return r, err
	}
	now := ix.deps.Now()
	indexed := map[string]bool{}
	// pass writes every document to the fallback and, when add is set, to the
	// new index, batch by batch. What the fallback holds beyond them is deleted
	// once the pass is over.
	pass := func(add func([]search.Document) error) error {
		r.Listings, r.Indexed, r.Removed = 0, 0, 0
		clear(indexed)
		return ix.eachListingPage(ctx, func(ids []string, listings []directory.Listing) error {
			docs, _ := buildDocuments(ids, listings, tax, now)
			r.Listings += len(listings)
			r.Indexed += len(docs)
			for _, d := range docs {
				indexed[d.ID] = true
			}
			if err := write(ctx, ix.deps.Fallback, docs, nil); err != nil {
				return fmt.Errorf("postgres search documents: %w", err)
			}
			if add != nil && len(docs) > 0 {
				return add(docs)
			}
			return nil
		})
	}
	filled := false
	indexErr := ix.deps.Index.Rebuild(ctx, func(add func([]search.Document) error) error {
		err := pass(add)
		filled = err == nil
		return err
	})
	if indexErr != nil {
		indexErr = fmt.Errorf("rebuild meilisearch index: %w", indexErr)
	}
	if !filled {
		if err := pass(nil); err != nil {
			return r, errors.Join(indexErr, err)
		}
	}
	have, err := ix.deps.Fallback.Snapshot(ctx)
	if err != nil {
		return r, errors.Join(indexErr, fmt.Errorf("postgres search documents: %w", err))
	}
	var extra []string
	for id := range have {
		if !indexed[id] {
			extra = append(extra, id)
		}
	}
	if len(extra) > 0 {
		if err := ix.deps.Fallback.Delete(ctx, extra); err != nil {
			return r, errors.Join(indexErr, fmt.Errorf("postgres search documents: %w", err))
		}
	}
	r.Removed = len(extra)
	// A worker may have applied a change to the index that was swapped out, or
	// written a document this rebuild then overwrote with what it read earlier.
	r.Requeued, err = ix.deps.Outbox.RequeueProcessedSince(ctx, mark)
	if err != nil {
		return r, errors.Join(indexErr, err)
	}
	if ix.deps.OnApplied != nil {
		ix.deps.OnApplied(ctx)
	}
	r.Took = time.Since(start)
	return r, indexErr
}

// eachListingPage hands every listing to fn, a page of Config.RebuildBatch at a time,
// with the ids of the page (a listing deleted meanwhile is in ids only).
func (ix *Indexer) eachListingPage(ctx context.Context, fn func(ids []string, listings []directory.Listing) error) error {
	after := ""
	for {
		ids, err := ix.deps.Listings.ListingIDs(ctx, after, ix.cfg.RebuildBatch)
		if err != nil {
			return err
		}
		if len(ids) == 0 {
			return nil
		}
		listings, err := ix.deps.Listings.ListingsByID(ctx, ids)
		if err != nil {
			return fmt.Errorf("load listings to index: %w", err)
		}
		if err := fn(ids, listings); err != nil {
			return err
		}
		if len(ids) < ix.cfg.RebuildBatch {
			return nil
		}
		after = ids[len(ids)-1]
	}
}

// Report compares what PostgreSQL says should be searchable with what each sink
// holds.
type Report struct {
	Listings   int // listings in PostgreSQL
	Searchable int // of which should have a document
	Sinks      []SinkReport
	// Pending outbox rows explain differences the indexer has yet to apply.
	Pending       int
	OldestPending time.Duration
}

// SinkReport is how one sink differs from PostgreSQL, by listing id.
type SinkReport struct {
	Name      string
	Documents int      // documents the sink holds
	Missing   []string // searchable, but not in the sink
	Extra     []string // in the sink, but not searchable
	Outdated  []string // in the sink with other content than the listing's document now
	Err       error    // the sink could not be read
}

// Differs reports whether the sink is out of step or could not be read.
func (s SinkReport) Differs() bool {
	return s.Err != nil || len(s.Missing)+len(s.Extra)+len(s.Outdated) > 0
}

// Clean reports whether every sink is in step.
func (r Report) Clean() bool {
	for _, s := range r.Sinks {
		if s.Differs() {
			return false
		}
	}
	return true
}

// listedIDs bounds how many ids a report prints per kind of difference.
const listedIDs = 20

// String prints the report for a person, one sink after the other.
func (r Report) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "postgresql: %d listings, %d searchable\n", r.Listings, r.Searchable)
	if r.Pending > 0 {
		fmt.Fprintf(&b, "outbox: %d rows pending, oldest %s; differences for them are expected until they are applied\n",
			r.Pending, r.OldestPending.Round(time.Second))
	}
	for _, s := range r.Sinks {
		if s.Err != nil {
			fmt.Fprintf(&b, "%s: could not be read: %v\n", s.Name, s.Err)
			continue
		}
		if !s.Differs() {
			fmt.Fprintf(&b, "%s: %d documents, in step\n", s.Name, s.Documents)
			continue
		}
		fmt.Fprintf(&b, "%s: %d documents, %d missing, %d extra, %d outdated\n",
			s.Name, s.Documents, len(s.Missing), len(s.Extra), len(s.Outdated))
		for _, kind := range []struct {
			name string
			ids  []string
		}{{"missing", s.Missing}, {"extra", s.Extra}, {"outdated", s.Outdated}} {
			for i, id := range kind.ids {
				if i == listedIDs {
					fmt.Fprintf(&b, "  %-8s … and %d more\n", kind.name, len(kind.ids)-listedIDs)
					break
				}
				fmt.Fprintf(&b, "  %-8s %s\n", kind.name, id)
			}
		}
	}
	return b.String()
}

// Check derives what should be searchable from PostgreSQL now and compares it
// with the fallback and the Meilisearch index. A sink that cannot be read is
// reported, not returned as an error; the error is for PostgreSQL failing.
func (ix *Indexer) Check(ctx context.Context) (Report, error) {
	var r Report
	tax, err := ix.loadTaxonomy(ctx)
	if err != nil {
		return r, err
	}
	now := ix.deps.Now()
	want := map[string]string{}
	err = ix.eachListingPage(ctx, func(ids []string, listings []directory.Listing) error {
		r.Listings += len(listings)
		docs, _ := buildDocuments(ids, listings, tax, now)
		for _, d := range docs {
			want[d.ID] = d.ContentHash()
		}
		return nil
	})
	if err != nil {
		return r, err
	}
	r.Searchable = len(want)
	for _, sink := range []struct {
		name string
		docs Documents
	}{{"postgres search_documents", ix.deps.Fallback}, {"meilisearch", ix.deps.Index}} {
		have, err := sink.docs.Snapshot(ctx)
		r.Sinks = append(r.Sinks, compare(sink.name, want, have, err))
	}
	r.Pending, r.OldestPending, err = ix.deps.Outbox.OutboxBacklog(ctx)
	return r, err
}

func compare(name string, want, have map[string]string, err error) SinkReport {
	s := SinkReport{Name: name, Documents: len(have), Err: err}
	if err != nil {
		return s
	}
	for id, hash := range want {
		got, ok := have[id]
		switch {
		case !ok:
			s.Missing = append(s.Missing, id)
		case got != hash:
			s.Outdated = append(s.Outdated, id)
		}
	}
	for id := range have {
		if _, ok := want[id]; !ok {
			s.Extra = append(s.Extra, id)
		}
	}
	slices.Sort(s.Missing)
	slices.Sort(s.Extra)
	slices.Sort(s.Outdated)
	return s
}
