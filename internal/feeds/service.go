package feeds

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/store"
)

// Service is what the admin pages, the command line and the worker use:
// subscriptions, one-off imports and syncing.
type Service struct {
	st    *store.Store
	im    *Importer
	fetch *Fetcher
	now   func() time.Time
	log   *slog.Logger
}

// NewService returns the feeds service; fetch decides how feed URLs are fetched.
func NewService(st *store.Store, fetch *Fetcher, now func() time.Time, log *slog.Logger) *Service {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if fetch == nil {
		fetch = NewFetcher()
	}
	return &Service{st: st, im: NewImporter(st, now, log), fetch: fetch, now: now, log: log}
}

// Subscription is what an admin types to subscribe to a feed.
type Subscription struct {
	URL             string
	Name            string
	DefaultTimeZone string
	DefaultCountry  string
	AllowPrivate    bool
	SyncEvery       time.Duration
	Grace           time.Duration
}

// Defaults for a subscription.
const (
	DefaultSyncEvery = 6 * time.Hour
	DefaultGrace     = 7 * 24 * time.Hour
)

// Keys of the messages a subscription's numbers get when they are refused.
const (
	KeyEvery = "feeds.error.every"
	KeyGrace = "feeds.error.grace"
)

// Validate checks a subscription, every problem at once, keyed by form field.
func (s Subscription) Validate() error {
	v := &directory.ValidationError{}
	if strings.TrimSpace(s.URL) == "" {
		v.Add("url", directory.KeyRequired, "required")
	} else if _, err := CheckURL(s.URL); err != nil {
		v.Add("url", directory.KeyFormat, err.Error())
	}
	if len(s.Name) > directory.MaxNameLen {
		v.Add("name", directory.KeyTooLong, fmt.Sprintf("must be at most %d characters", directory.MaxNameLen))
	}
	if s.DefaultTimeZone != "" {
		if _, err := time.LoadLocation(s.DefaultTimeZone); err != nil || !zonePat.MatchString(s.DefaultTimeZone) ||
			s.DefaultTimeZone == "Local" {
			v.Add("timezone", directory.KeyFormat, "must be an IANA time zone such as America/Chicago")
		}
	}
	if s.DefaultCountry != "" && countryCode(s.DefaultCountry) != strings.ToUpper(s.DefaultCountry) {
		v.Add("country", directory.KeyFormat, "must be a two-letter country code such as US")
	}
	if s.SyncEvery < time.Hour {
		v.Add("every", KeyEvery, "must be a whole number of hours, at least 1")
	}
	if s.Grace < 0 {
		v.Add("grace", KeyGrace, "must be a whole number of days, 0 or more")
	}
	return v.Err()
}

// Subscribe adds (or updates) a subscription; its first sync is due at once.
func (s *Service) Subscribe(ctx context.Context, sub Subscription, actor string) (directory.Feed, error) {
	sub.URL, sub.Name = strings.TrimSpace(sub.URL), strings.TrimSpace(sub.Name)
	sub.DefaultCountry = strings.ToUpper(strings.TrimSpace(sub.DefaultCountry))
	sub.DefaultTimeZone = strings.TrimSpace(sub.DefaultTimeZone)
	if err := sub.Validate(); err != nil {
		return directory.Feed{}, err
	}
	if sub.Name == "" {
		u, _ := CheckURL(sub.URL)
		sub.Name = u.Hostname()
	}
	f := directory.Feed{Kind: directory.MeetingGuideFeed, URL: sub.URL, Name: sub.Name,
		DefaultTimeZone: sub.DefaultTimeZone, DefaultCountry: sub.DefaultCountry, AllowPrivate: sub.AllowPrivate,
		Subscribed: true, SyncEvery: sub.SyncEvery, Grace: sub.Grace}
	due := s.now()
	f.NextSyncAt = &due
	err := s.st.InTx(ctx, func(tx *store.Tx) error { return tx.SaveFeed(ctx, &f, actor) })
	if errors.Is(err, directory.ErrConflict) {
		return directory.Feed{}, (&directory.ValidationError{}).Add("url", directory.KeyChoice, "is already a feed")
	}
	if err != nil {
		return directory.Feed{}, err
	}
	return s.st.Feed(ctx, f.ID)
}

// Feeds lists every feed with its last run.
func (s *Service) Feeds(ctx context.Context) ([]directory.Feed, error) { return s.st.Feeds(ctx) }

// Feed returns one feed with its most recent runs, newest first.
func (s *Service) Feed(ctx context.Context, id string, runs int) (directory.Feed, []directory.FeedRun, error) {
	f, err := s.st.Feed(ctx, id)
	if err != nil {
		return f, nil, err
	}
	rs, err := s.st.FeedRuns(ctx, id, runs)
	return f, rs, err
}

// Run returns one run of a feed's import.
func (s *Service) Run(ctx context.Context, feedID string, runID int64) (directory.FeedRun, error) {
	run, err := s.st.FeedRun(ctx, runID)
	if err == nil && run.FeedID != feedID {
		return directory.FeedRun{}, fmt.Errorf("run %d of feed %s: %w", runID, feedID, directory.ErrNotFound)
	}
	return run, err
}

// Remove deletes a feed and its runs. Its listings stay, no longer synced.
func (s *Service) Remove(ctx context.Context, id, actor string) error {
	return s.st.InTx(ctx, func(tx *store.Tx) error { return tx.DeleteFeed(ctx, id, actor) })
}

// ConfirmDrop accepts a held large drop: the next run applies it, and for a
// subscription that run is due at once.
func (s *Service) ConfirmDrop(ctx context.Context, id, actor string) error {
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.SetFeedConfirmDrop(ctx, id, true, actor); err != nil {
			return err
		}
		return tx.ScheduleFeedSync(ctx, id, s.now())
	})
}

// RequestSync makes a subscription due now: the worker syncs it within a
// minute. A page never waits for a feed to be fetched.
func (s *Service) RequestSync(ctx context.Context, id, actor string) error {
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.ScheduleFeedSync(ctx, id, s.now()); err != nil {
			return err
		}
		return tx.Audit(ctx, actor, "sync", "feed", id, map[string]string{})
	})
}

// SyncNow fetches a feed and applies it. A fetch or apply that fails is a
// failed run, recorded, and returned as the error.
func (s *Service) SyncNow(ctx context.Context, id string) (directory.FeedRun, error) {
	f, err := s.st.Feed(ctx, id)
	if err != nil {
		return directory.FeedRun{}, err
	}
	return s.sync(ctx, f)
}

func (s *Service) sync(ctx context.Context, f directory.Feed) (directory.FeedRun, error) {
	started := s.now()
	data, err := s.read(ctx, f)
	if err != nil {
		return s.im.RecordFailure(ctx, f, started, err)
	}
	return s.im.ImportMeetingGuide(ctx, f, data)
}

// read fetches a feed's body: over https for a subscription, from disk for a
// file imported on the command line.
func (s *Service) read(ctx context.Context, f directory.Feed) ([]byte, error) {
	if path, ok := strings.CutPrefix(f.URL, "file:"); ok {
		return readFile(path, s.fetch.MaxBytes)
	}
	return s.fetch.Fetch(ctx, f.URL, f.AllowPrivate)
}

func readFile(path string, max int64) ([]byte, error) {
	file, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("the feed file cannot be read: %w", err)
	}
	defer file.Close()
	body, err := io.ReadAll(io.LimitReader(file, max+1))
	if err != nil {
		return nil, fmt.Errorf("the feed file cannot be read: %w", err)
	}
	if int64(len(body)) > max {
		return nil, fmt.Errorf("the feed file is larger than %d bytes, the most taken", max)
	}
	return body, nil
}

// ImportOnce imports a file or an https URL once, as `belong import
// meeting-guide` does: the feed is remembered by its address (a file by its
// absolute path), so importing the same source again updates in place.
func (s *Service) ImportOnce(ctx context.Context, source string, o Subscription, confirmDrop bool) (directory.Feed, directory.FeedRun, error) {
	f := directory.Feed{Kind: directory.MeetingGuideFeed, Name: strings.TrimSpace(o.Name),
		DefaultTimeZone: o.DefaultTimeZone, DefaultCountry: strings.ToUpper(o.DefaultCountry),
		AllowPrivate: o.AllowPrivate, SyncEvery: DefaultSyncEvery, Grace: o.Grace}
	if strings.HasPrefix(source, "https://") || strings.HasPrefix(source, "http://") {
		if _, err := CheckURL(source); err != nil {
			return f, directory.FeedRun{}, err
		}
		f.URL = source
	} else {
		abs, err := filepath.Abs(source)
		if err != nil {
			return f, directory.FeedRun{}, err
		}
		// A path that names no file to read is a slip of the keyboard, not a
		// feed: nothing is remembered of it.
		file, err := os.Open(abs)
		if err != nil {
			return f, directory.FeedRun{}, fmt.Errorf("the feed file cannot be read: %w", err)
		}
		file.Close()
		f.URL = "file:" + abs
	}
	if existing, err := s.st.FeedByURL(ctx, f.URL); err == nil {
		// Keep what a subscription page set; the command line's options win.
		f.Subscribed, f.SyncEvery = existing.Subscribed, existing.SyncEvery
		if f.Name == "" {
			f.Name = existing.Name
		}
	}
	if f.Name == "" {
		f.Name = filepath.Base(source)
		if u, err := CheckURL(source); err == nil {
			f.Name = u.Hostname()
		}
	}
	check := Subscription{URL: "https://x.invalid/", Name: f.Name, DefaultTimeZone: f.DefaultTimeZone,
		DefaultCountry: f.DefaultCountry, SyncEvery: f.SyncEvery, Grace: f.Grace}
	if err := check.Validate(); err != nil {
		return f, directory.FeedRun{}, err
	}
	if err := s.st.InTx(ctx, func(tx *store.Tx) error { return tx.SaveFeed(ctx, &f, "cli") }); err != nil {
		return f, directory.FeedRun{}, err
	}
	if confirmDrop {
		if err := s.st.InTx(ctx, func(tx *store.Tx) error { return tx.SetFeedConfirmDrop(ctx, f.ID, true, "cli") }); err != nil {
			return f, directory.FeedRun{}, err
		}
	}
	f, err := s.st.Feed(ctx, f.ID)
	if err != nil {
		return f, directory.FeedRun{}, err
	}
	run, err := s.sync(ctx, f)
	return f, run, err
}

// SyncDue syncs every subscription that is due, one at a time, and returns
// how many it synced. Each is claimed first, so of several workers only one
// syncs it.
func (s *Service) SyncDue(ctx context.Context) (int, error) {
	ids, err := s.st.ClaimDueFeeds(ctx, s.now(), 20)
	if err != nil {
		return 0, err
	}
	for _, id := range ids {
		run, err := s.SyncNow(ctx, id)
		switch {
		case ctx.Err() != nil:
			return 0, ctx.Err()
		case errors.Is(err, ErrHeld):
			s.log.Warn("feed sync held: a large drop waits for an admin", "feed", id, "run", run.ID)
		case err != nil:
			s.log.Warn("feed sync failed", "feed", id, "run", run.ID, "error", err.Error())
		}
	}
	return len(ids), nil
}

// RunSync syncs due subscriptions every `every` until ctx ends: the worker's
// scheduled feed sync.
func (s *Service) RunSync(ctx context.Context, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		if _, err := s.SyncDue(ctx); err != nil && ctx.Err() == nil {
			s.log.Warn("feed sync not run; trying again later", "error", err.Error())
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
