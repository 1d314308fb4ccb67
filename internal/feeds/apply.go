package feeds

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/interop"
	"github.com/belong-directory/belong/internal/schedule"
	"github.com/belong-directory/belong/internal/store"
)

// Actor is how imports appear in the audit log and a listing's history.
const Actor = "import"

// dropShare is the share of a feed's meetings that may go in one run before
// the run is held for an admin: a feed that suddenly loses 90% or more is far
// more likely broken than true.
const dropShare = 0.9

// ErrHeld says a run was held rather than applied: the feed dropped too many
// of its meetings at once. Nothing changed; an admin may confirm it.
var ErrHeld = errors.New("held for an admin to confirm")

// Importer applies feeds to the directory.
type Importer struct {
	st  *store.Store
	now func() time.Time
	log *slog.Logger
}

// NewImporter returns an importer writing through st.
func NewImporter(st *store.Store, now func() time.Time, log *slog.Logger) *Importer {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Importer{st: st, now: now, log: log}
}

// ImportMeetingGuide parses a Meeting Guide feed's bytes and applies it to the
// feed's listings in one transaction, and records the run. A feed that cannot
// be read at all is a failed run and changes nothing; so is a run whose
// transaction fails. A large drop is a held run (ErrHeld) unless the feed's
// ConfirmDrop is set.
func (im *Importer) ImportMeetingGuide(ctx context.Context, feed directory.Feed, data []byte) (directory.FeedRun, error) {
	started := im.now()
	run := directory.FeedRun{FeedID: feed.ID, StartedAt: started,
		Report: directory.ImportReport{Problems: []directory.ItemProblem{}, KeptTypes: map[string]int{}}}
	meetings, problems, err := Parse(data)
	if err != nil {
		return im.fail(ctx, run, err)
	}
	run.Report.Problems = append(run.Report.Problems, problems...)
	run.Meetings = len(meetings) + len(problems)
	return im.apply(ctx, feed, meetings, run)
}

// RecordFailure records a run that could not get as far as applying anything
// (the feed could not be fetched), so the subscription page can say why.
func (im *Importer) RecordFailure(ctx context.Context, feed directory.Feed, started time.Time, cause error) (directory.FeedRun, error) {
	run := directory.FeedRun{FeedID: feed.ID, StartedAt: started,
		Report: directory.ImportReport{Problems: []directory.ItemProblem{}, KeptTypes: map[string]int{}}}
	return im.fail(ctx, run, cause)
}

func (im *Importer) fail(ctx context.Context, run directory.FeedRun, cause error) (directory.FeedRun, error) {
	run.Outcome, run.Message = directory.RunFailed, cause.Error()
	run.Added, run.Updated, run.Unchanged, run.Missing, run.Archived = 0, 0, 0, 0, 0
	if err := im.st.InTx(context.WithoutCancel(ctx), func(tx *store.Tx) error { return tx.AddFeedRun(ctx, &run) }); err != nil {
		return run, errors.Join(cause, err)
	}
	return run, cause
}

// plan is what one run will do, worked out before the transaction.
type plan struct {
	fresh   []Mapped
	changed []Mapped
	sources map[string]directory.ListingSource
	seen    map[string]bool
}

func (im *Importer) apply(ctx context.Context, feed directory.Feed, meetings []Meeting, run directory.FeedRun) (directory.FeedRun, error) {
	cats, err := im.st.Taxonomy(ctx, "en")
	if err != nil {
		return im.fail(ctx, run, err)
	}
	langs, err := im.st.Languages(ctx, "en")
	if err != nil {
		return im.fail(ctx, run, err)
	}
	mapper := Mapper{Feed: feed, Crosswalk: interop.NewMeetingTypeCrosswalk(cats, langs), Now: run.StartedAt}
	existing, err := im.st.ListingSources(ctx, feed.ID)
	if err != nil {
		return im.fail(ctx, run, err)
	}
	p := plan{sources: map[string]directory.ListingSource{}, seen: map[string]bool{}}
	for _, src := range existing {
		p.sources[src.SourceID] = src
	}
	firstItem := map[string]int{}
	valid := 0
	for _, m := range meetings {
		mapped, problems, ok := mapper.Map(m)
		run.Report.Problems = append(run.Report.Problems, problems...)
		if !ok {
			continue
		}
		if first, dup := firstItem[m.Slug]; dup {
			run.Report.Problems = append(run.Report.Problems, directory.ItemProblem{Item: m.Item, ID: m.Slug,
				Name: m.Name, Field: "slug", Skipped: true,
				Message: "the same slug as item " + strconv.Itoa(first) + ": slugs must be unique in a feed"})
			continue
		}
		firstItem[m.Slug] = m.Item
		valid++
		for _, code := range mapped.Source.KeptTypes {
			run.Report.KeptTypes[code]++
		}
		p.seen[m.Slug] = true
		src, known := p.sources[m.Slug]
		// A listing archived by a person (not because its meeting left the
		// feed) stays archived: a sync never overrules a moderator.
		archivedByPerson := known && src.Status == directory.Archived && src.MissingSince == nil
		switch {
		case !known:
			p.fresh = append(p.fresh, mapped)
		case src.ContentHash == mapped.Source.ContentHash && (src.Status != directory.Archived || archivedByPerson):
			run.Unchanged++
		default:
			mapped.Listing.Slug, mapped.Source.ListingID = src.Slug, src.ListingID
			if archivedByPerson {
				mapped.Listing.Status, mapped.Listing.Paused = directory.Archived, false
			}
			p.changed = append(p.changed, mapped)
		}
	}
	slices.SortStableFunc(run.Report.Problems, func(a, b directory.ItemProblem) int { return a.Item - b.Item })
	for _, pr := range run.Report.Problems {
		if pr.Skipped {
			run.Skipped++
		}
	}
	// What the feed had: every listing not archived, meetings gone from it and
	// waiting out the grace included, so a feed cannot shed its meetings in
	// steps each too small to be held. Those gone by a drop an admin confirmed
	// are left out: that drop was accepted, and the next runs are not held
	// for it again.
	confirmedAt, confirmed, err := im.st.LastConfirmedDrop(ctx, feed.ID)
	if err != nil {
		return im.fail(ctx, run, err)
	}
	before := 0
	for _, src := range existing {
		accepted := confirmed && src.MissingSince != nil && !src.MissingSince.After(confirmedAt)
		if src.Status != directory.Archived && !accepted {
			before++
		}
	}
	if before > 0 && float64(valid) <= float64(before)*(1-dropShare) && !feed.ConfirmDrop {
		run.Outcome = directory.RunHeld
		run.Unchanged = 0
		run.Report.Usable, run.Report.Before = valid, before
		run.Message = fmt.Sprintf("The feed now has %d usable meetings where it had %d: nothing was changed. "+
			"If the feed is right, confirm the drop and sync again.", valid, before)
		if err := im.st.InTx(ctx, func(tx *store.Tx) error { return tx.AddFeedRun(ctx, &run) }); err != nil {
			return run, err
		}
		return run, ErrHeld
	}
	err = im.st.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.LockFeed(ctx, feed.ID); err != nil {
			return err
		}
		if err := im.writeChanged(ctx, tx, p.changed); err != nil {
			return err
		}
		if err := im.writeFresh(ctx, tx, feed, p.fresh); err != nil {
			return err
		}
		if err := im.handleMissing(ctx, tx, feed, existing, p.seen, &run); err != nil {
			return err
		}
		run.Added, run.Updated = len(p.fresh), len(p.changed)
		run.Outcome = directory.RunApplied
		run.Message = fmt.Sprintf("%d added, %d updated, %d unchanged, %d gone from the feed, %d archived, %d skipped.",
			run.Added, run.Updated, run.Unchanged, run.Missing, run.Archived, run.Skipped)
		if feed.ConfirmDrop {
			if err := tx.SetFeedConfirmDrop(ctx, feed.ID, false, Actor); err != nil {
				return err
			}
			run.Report.ConfirmedDrop = true
		}
		return tx.AddFeedRun(ctx, &run)
	})
	if err != nil {
		return im.fail(ctx, run, fmt.Errorf("nothing was changed: %w", err))
	}
	im.log.Info("feed imported", "feed", feed.ID, "added", run.Added, "updated", run.Updated,
		"unchanged", run.Unchanged, "archived", run.Archived, "skipped", run.Skipped)
	return run, nil
}

// writeChanged saves the listings whose meetings changed, keeping each one's
// slug and the start dates of its schedules.
func (im *Importer) writeChanged(ctx context.Context, tx *store.Tx, changed []Mapped) error {
	if len(changed) == 0 {
		return nil
	}
	ids := make([]string, len(changed))
	for i, m := range changed {
		ids[i] = m.Source.ListingID
	}
	current, err := im.st.ListingsByID(ctx, ids)
	if err != nil {
		return err
	}
	byID := make(map[string]directory.Listing, len(current))
	for _, l := range current {
		byID[l.ID] = l
	}
	sources := make([]directory.ListingSource, 0, len(changed))
	for _, m := range changed {
		l := m.Listing
		start := schedule.DateOf(im.now()).String()
		if old, ok := byID[m.Source.ListingID]; ok && len(old.Schedules) > 0 {
			start = old.Schedules[0].Start
		}
		for i := range l.Schedules {
			l.Schedules[i].Start = start
		}
		if _, err := tx.SaveListing(ctx, &l, Actor); err != nil {
			return fmt.Errorf("item %s: %w", m.Source.SourceID, err)
		}
		sources = append(sources, m.Source)
	}
	return tx.SaveListingSources(ctx, sources)
}

// writeFresh adds the listings of meetings the feed has not given before, all
// at once, each under the slug its meeting asks for unless another listing has
// it already.
func (im *Importer) writeFresh(ctx context.Context, tx *store.Tx, feed directory.Feed, fresh []Mapped) error {
	if len(fresh) == 0 {
		return nil
	}
	slugs := make([]string, 0, len(fresh)*2)
	suffix := "-" + shortHash(feed.ID)
	for _, m := range fresh {
		slugs = append(slugs, m.BaseSlug, m.BaseSlug+suffix)
	}
	taken, err := tx.SlugsTaken(ctx, slugs)
	if err != nil {
		return err
	}
	used := map[string]bool{}
	start := schedule.DateOf(im.now()).String()
	listings := make([]directory.Listing, len(fresh))
	for i, m := range fresh {
		slug := m.BaseSlug
		for n := 1; taken[slug] || used[slug]; n++ {
			slug = m.BaseSlug + suffix
			if n > 1 {
				slug += "-" + strconv.Itoa(n)
			}
		}
		used[slug] = true
		l := m.Listing
		l.Slug = slug
		for k := range l.Schedules {
			l.Schedules[k].Start = start
		}
		listings[i] = l
	}
	if err := tx.InsertListings(ctx, listings, Actor); err != nil {
		return err
	}
	sources := make([]directory.ListingSource, len(fresh))
	for i, m := range fresh {
		sources[i] = m.Source
		sources[i].ListingID = listings[i].ID
	}
	return tx.SaveListingSources(ctx, sources)
}

// handleMissing notes the listings whose meetings are gone from the feed and
// archives those gone for longer than the feed's grace.
func (im *Importer) handleMissing(ctx context.Context, tx *store.Tx, feed directory.Feed,
	existing []directory.ListingSource, seen map[string]bool, run *directory.FeedRun) error {
	now := run.StartedAt
	var newlyMissing, back []string
	for _, src := range existing {
		if seen[src.SourceID] {
			if src.MissingSince != nil {
				back = append(back, src.ListingID)
			}
			continue
		}
		if src.Status == directory.Archived {
			continue
		}
		run.Missing++
		since := now
		if src.MissingSince == nil {
			newlyMissing = append(newlyMissing, src.ListingID)
		} else {
			since = *src.MissingSince
		}
		if now.Sub(since) < feed.Grace {
			continue
		}
		if err := tx.SetListingStatus(ctx, src.ListingID, directory.Archived, false); err != nil {
			return err
		}
		if err := tx.Audit(ctx, Actor, "archive", "listing", src.ListingID, map[string]string{
			"feed": feed.ID, "source_id": src.SourceID, "reason": "gone from the feed"}); err != nil {
			return err
		}
		run.Archived++
	}
	if err := tx.MarkSourcesMissing(ctx, newlyMissing, &now); err != nil {
		return err
	}
	return tx.MarkSourcesMissing(ctx, back, nil)
}
