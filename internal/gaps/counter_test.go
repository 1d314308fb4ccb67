package gaps_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/gaps"
	"github.com/belong-directory/belong/internal/search"
)

// memoryStore keeps what a Counter writes, and can be told to fail.
type memoryStore struct {
	mu     sync.Mutex
	counts []directory.NeedCount
	fail   error
}

func (m *memoryStore) AddNeedCounts(_ context.Context, counts []directory.NeedCount) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return m.fail
	}
	m.counts = append(m.counts, counts...)
	return nil
}

func (m *memoryStore) total() (n int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, c := range m.counts {
		n += c.Searches
	}
	return n
}

func TestOutcomeBuckets(t *testing.T) {
	for full, want := range map[int]directory.Outcome{-1: directory.NoFullMatch, 0: directory.NoFullMatch,
		1: directory.FewMatches, 2: directory.FewMatches, 3: directory.EnoughFound, 500: directory.EnoughFound} {
		if got := directory.OutcomeOf(full); got != want {
			t.Errorf("OutcomeOf(%d) = %s, want %s", full, got, want)
		}
	}
	if !directory.NoFullMatch.Unmet() || !directory.FewMatches.Unmet() || directory.EnoughFound.Unmet() {
		t.Error("none and few are unmet, enough is not")
	}
}

func TestWeekOfFollowsISOWeeksInUTC(t *testing.T) {
	cases := []struct{ at, monday string }{
		{"2026-11-30T00:00:00Z", "2026-11-30"},      // a Monday, at its first instant
		{"2026-11-29T23:59:59.999Z", "2026-11-23"},  // Sunday's last instant is the week before
		{"2026-12-06T23:59:59Z", "2026-11-30"},      // the same week's Sunday
		{"2026-11-30T00:30:00+01:00", "2026-11-23"}, // Monday in Madrid is still Sunday in UTC
		{"2027-01-01T12:00:00Z", "2026-12-28"},      // a Friday: ISO week 53 of 2026
		{"2025-12-29T08:00:00Z", "2025-12-29"},      // ISO week 1 of 2026 starts in 2025
		{"2024-02-29T10:00:00Z", "2024-02-26"},      // a leap day
	}
	for _, c := range cases {
		at, _ := time.Parse(time.RFC3339Nano, c.at)
		got := directory.WeekOf(at)
		if got.Format("2006-01-02") != c.monday || got.Location() != time.UTC || got.Weekday() != time.Monday ||
			got.Hour()+got.Minute()+got.Second()+got.Nanosecond() != 0 {
			t.Errorf("WeekOf(%s) = %s, want %s 00:00 UTC", c.at, got, c.monday)
		}
	}
	if got := gaps.WeekLabel(directory.WeekOf(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC))); got != "2026-W53" {
		t.Errorf("WeekLabel = %s, want 2026-W53", got)
	}
	if got := gaps.WeekLabel(time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)); got != "2026-W10" {
		t.Errorf("WeekLabel = %s, want 2026-W10", got)
	}
}

func TestPlaceIsCoarse(t *testing.T) {
	cases := []struct {
		q    search.Query
		want string
	}{
		{search.Query{City: "Madrid"}, "Madrid"},
		{search.Query{OnlineOnly: true}, directory.PlaceOnline},
		{search.Query{Near: &search.Point{Lat: 41.8781, Lng: -87.6298}, RadiusKm: 5}, directory.PlaceNear},
		{search.Query{}, directory.PlaceAnywhere},
	}
	for _, c := range cases {
		if got := gaps.PlaceOf(c.q); got != c.want {
			t.Errorf("PlaceOf(%+v) = %q, want %q", c.q, got, c.want)
		}
	}
}

// TestCountKeepsOnlyWhatTheReportNeeds counts searches with a Counter whose
// clock crosses a week boundary and checks what it writes: first pages only,
// one to four needs only, each cell its own sum.
func TestCountKeepsOnlyWhatTheReportNeeds(t *testing.T) {
	now := time.Date(2026, 11, 29, 23, 59, 59, 0, time.UTC) // Sunday night
	st := &memoryStore{}
	c := gaps.NewCounter(st, gaps.CounterOptions{Now: func() time.Time { return now }})
	q := search.Query{Needs: []string{"care.childcare", "cost.free"}, City: "Madrid", Page: 1, PerPage: 20,
		Text: "a person's words", Near: nil}
	c.Count(q, 0)
	c.Count(q, 0)
	c.Count(q, 2)
	second := q
	second.Page = 2
	c.Count(second, 0) // the same search read further
	c.Count(search.Query{Page: 1, Text: "no needs"}, 0)
	c.Count(search.Query{Page: 1, Needs: []string{"a.a", "b.b", "c.c", "d.d", "e.e"}}, 0) // five needs
	now = now.Add(time.Second)                                                            // Monday
	c.Count(q, 7)
	c.Flush(t.Context())

	got := map[string]int64{}
	for _, n := range st.counts {
		got[n.Week.Format("2006-01-02")+" "+n.Place+" "+string(n.Outcome)+" "+joined(n.Needs)] += n.Searches
	}
	want := map[string]int64{
		"2026-11-23 Madrid none care.childcare,cost.free":   2,
		"2026-11-23 Madrid few care.childcare,cost.free":    1,
		"2026-11-30 Madrid enough care.childcare,cost.free": 1,
	}
	if len(got) != len(want) {
		t.Fatalf("written %v, want %v", got, want)
	}
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s: %d, want %d (all: %v)", k, got[k], n, got)
		}
	}
	if c.Dropped() != 0 || c.Lost() != 0 {
		t.Errorf("dropped %d, lost %d", c.Dropped(), c.Lost())
	}
}

func joined(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += ","
		}
		out += s
	}
	return out
}

// TestCountingNeverBlocks fills the queue with nothing reading it: every
// further Count returns at once and is counted as dropped, and what was queued
// is still written.
func TestCountingNeverBlocks(t *testing.T) {
	st := &memoryStore{}
	c := gaps.NewCounter(st, gaps.CounterOptions{Queue: 8})
	q := search.Query{Needs: []string{"cost.free"}, Page: 1}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range 1000 {
			c.Count(q, 0)
		}
	}()
	select {
	case <-done:
	case <-time.After(time.Minute): // a generous bound on a busy machine: a blocked Count never returns
		t.Fatal("Count blocked on a full queue")
	}
	if c.Dropped() != 1000-8 {
		t.Errorf("dropped %d, want %d", c.Dropped(), 1000-8)
	}
	c.Flush(t.Context())
	if st.total() != 8 {
		t.Errorf("written %d searches, want the 8 queued", st.total())
	}
}

// TestAFailedWriteLosesCountsQuietly: with PostgreSQL away the sums of that
// write are lost and counted as lost; nothing panics or waits, and the next
// write carries on.
func TestAFailedWriteLosesCountsQuietly(t *testing.T) {
	st := &memoryStore{fail: errors.New("connection refused")}
	c := gaps.NewCounter(st, gaps.CounterOptions{})
	q := search.Query{Needs: []string{"cost.free"}, Page: 1}
	c.Count(q, 0)
	c.Count(q, 5)
	c.Flush(t.Context())
	if c.Lost() != 2 || st.total() != 0 {
		t.Fatalf("lost %d, written %d", c.Lost(), st.total())
	}
	st.fail = nil
	c.Count(q, 0)
	c.Flush(t.Context())
	if st.total() != 1 {
		t.Fatalf("after PostgreSQL came back: written %d, want 1", st.total())
	}
}

// TestRunWritesWhatIsLeftWhenItStops: Run's last write happens after its
// context ends, so a shutdown keeps the searches counted so far.
func TestRunWritesWhatIsLeftWhenItStops(t *testing.T) {
	st := &memoryStore{}
	c := gaps.NewCounter(st, gaps.CounterOptions{Every: time.Hour})
	ctx, cancel := context.WithCancel(t.Context())
	stopped := make(chan struct{})
	go func() { defer close(stopped); c.Run(ctx) }()
	q := search.Query{Needs: []string{"cost.free"}, Page: 1}
	for range 3 {
		c.Count(q, 0)
	}
	cancel()
	<-stopped
	if st.total() != 3 {
		t.Fatalf("written %d, want 3", st.total())
	}
}

// TestNilCounterCountsNothing: a server built without one still answers.
func TestNilCounterCountsNothing(t *testing.T) {
	var c *gaps.Counter
	c.Count(search.Query{Needs: []string{"cost.free"}, Page: 1}, 0)
}

// BenchmarkCount is what counting adds to a search's request: a key and a send
// on a buffered channel that something drains.
func BenchmarkCount(b *testing.B) {
	c := gaps.NewCounter(&memoryStore{}, gaps.CounterOptions{Every: time.Hour})
	ctx, cancel := context.WithCancel(b.Context())
	stopped := make(chan struct{})
	go func() { defer close(stopped); c.Run(ctx) }()
	q := search.Query{Needs: []string{"care.childcare", "cost.free", "lang.plain-language"}, City: "Madrid", Page: 1}
	b.ReportAllocs()
	for b.Loop() {
		c.Count(q, 1)
	}
	cancel()
	<-stopped
}
