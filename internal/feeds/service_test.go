package feeds

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/testenv"
)

func TestSubscriptionsSyncWhenDue(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	var hits atomic.Int32
	srv := tlsServer(t, "", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		_, _ = w.Write(manyMeetings(3))
	}))
	fetch := NewFetcher()
	fetch.TLS = srv.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
	now := testNow
	svc := NewService(st, fetch, func() time.Time { return now }, nil)

	if _, err := svc.Subscribe(ctx, Subscription{URL: "http://example.org/feed.json", SyncEvery: time.Hour}, "admin:x"); err == nil {
		t.Fatal("an http feed was accepted")
	}
	// The test server is on loopback: refused until an admin allows private addresses.
	f, err := svc.Subscribe(ctx, Subscription{URL: srv.URL + "/feed.json", SyncEvery: time.Hour, Grace: DefaultGrace}, "admin:x")
	if err != nil {
		t.Fatal(err)
	}
	if n, err := svc.SyncDue(ctx); err != nil || n != 1 {
		t.Fatalf("SyncDue: %d %v", n, err)
	}
	_, runs, _ := svc.Feed(ctx, f.ID, 5)
	if len(runs) != 1 || runs[0].Outcome != directory.RunFailed || hits.Load() != 0 {
		t.Fatalf("private address fetched: runs %+v, hits %d", runs, hits.Load())
	}
	if n, _ := svc.SyncDue(ctx); n != 0 {
		t.Fatalf("synced again before the interval: %d", n)
	}

	f, err = svc.Subscribe(ctx, Subscription{URL: srv.URL + "/feed.json", SyncEvery: time.Hour, AllowPrivate: true,
		Grace: DefaultGrace}, "admin:x")
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(61 * time.Minute)
	if n, err := svc.SyncDue(ctx); err != nil || n != 1 {
		t.Fatalf("SyncDue after the interval: %d %v", n, err)
	}
	_, runs, _ = svc.Feed(ctx, f.ID, 5)
	if len(runs) != 2 || runs[0].Outcome != directory.RunApplied || runs[0].Added != 3 {
		t.Fatalf("runs %+v", runs)
	}
	if run, err := svc.SyncNow(ctx, f.ID); err != nil || run.Unchanged != 3 {
		t.Fatalf("sync now: %+v %v", run, err)
	}
	if err := svc.Remove(ctx, f.ID, "admin:x"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Listing(ctx, "m-1"); err != nil {
		t.Fatalf("removing a feed removed its listings: %v", err)
	}
	if _, _, err := svc.Feed(ctx, f.ID, 1); !errors.Is(err, directory.ErrNotFound) {
		t.Fatalf("removed feed: %v", err)
	}
}

// Each refused field says what it needs: an address when there is none, whole
// hours and days for the numbers.
func TestASubscriptionSaysWhatEachFieldNeeds(t *testing.T) {
	err := Subscription{URL: " ", SyncEvery: 0, Grace: -24 * time.Hour}.Validate()
	ve, ok := errors.AsType[*directory.ValidationError](err)
	if !ok {
		t.Fatalf("%v", err)
	}
	got := map[string]string{}
	for _, f := range ve.Fields {
		got[f.Field] = f.Key
	}
	want := map[string]string{"url": directory.KeyRequired, "every": KeyEvery, "grace": KeyGrace}
	if !maps.Equal(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if err := (Subscription{URL: "https://example.org/feed.json", SyncEvery: time.Hour}).Validate(); err != nil {
		t.Fatalf("an hour and no grace: %v", err)
	}
}

// A mistyped path imports nothing and leaves no feed behind.
func TestImportingAFileThatIsNotThereRemembersNothing(t *testing.T) {
	st := testenv.Store(t)
	svc := NewService(st, NewFetcher(), time.Now, nil)
	missing := filepath.Join(t.TempDir(), "meetngs.json")
	if _, _, err := svc.ImportOnce(t.Context(), missing, Subscription{Grace: DefaultGrace}, false); err == nil ||
		!strings.Contains(err.Error(), "cannot be read") {
		t.Fatalf("a missing file: %v", err)
	}
	if _, err := st.FeedByURL(t.Context(), "file:"+missing); !errors.Is(err, directory.ErrNotFound) {
		t.Fatalf("a feed was remembered: %v", err)
	}
}
