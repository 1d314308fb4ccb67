package main

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestReadyAllOK(t *testing.T) {
	cases := map[string]bool{
		`{"ready":true,"degraded":false,"checks":{"postgres":{"ok":true},"redis":{"ok":true}}}`: true,
		`{"ready":true,"degraded":true,"checks":{"postgres":{"ok":true},"redis":{"ok":false}}}`: false,
		`{"ready":false,"degraded":false,"checks":{"postgres":{"ok":false}}}`:                   false,
		`{"checks":{"postgres":"ok","redis":"up"}}`:                                             true,
		`{"checks":{"postgres":"down"}}`:                                                        false,
		`{"checks":{"postgres":true,"redis":false}}`:                                            false,
		`not json`: false,
	}
	for body, want := range cases {
		if got := readyAllOK(strings.NewReader(body)); got != want {
			t.Errorf("readyAllOK(%s) = %t, want %t", body, got, want)
		}
	}
}

func TestTrackedListingHolds(t *testing.T) {
	l := &trackedListing{slug: "syn-1-4", name: "Walking group", summary: "We walk.", acked: 7, inDoubt: []int64{3, 9}}
	for v, want := range map[int64]bool{7: true, 9: true, 3: false, 8: false, 0: false} {
		name, summary := l.content(v)
		if got := l.holds(name, summary); got != want {
			t.Errorf("holds(version %d) = %t, want %t", v, got, want)
		}
	}
	name, _ := l.content(7)
	if l.holds(name, "We walk.") {
		t.Error("a copy with version 7's name but the old summary was taken as version 7")
	}
	if fresh := (&trackedListing{name: "A", summary: "B"}); !fresh.holds("A", "B") {
		t.Error("a listing never written successfully should hold its seeded content")
	}
}

func TestStatsCountWindowByStatusAndSurface(t *testing.T) {
	t0 := time.Now()
	tl := &timeline{answers: []answer{
		{at: t0, took: 10 * time.Millisecond, surface: surfaceAPI, status: 200, engine: "meilisearch"},
		{at: t0.Add(time.Second), took: 30 * time.Millisecond, surface: surfaceAPI, status: 200, engine: "postgres"},
		{at: t0.Add(time.Second), surface: surfacePage, status: 500},
		{at: t0.Add(time.Second), surface: surfaceAPI, status: 503, retryAfter: true},
		{at: t0.Add(time.Second), surface: surfacePage, status: 503},
		{at: t0.Add(time.Second), surface: surfacePage, status: 0},
		{at: t0.Add(time.Second), surface: surfaceAPI, status: 200, overload: true},
		{at: t0.Add(5 * time.Second), surface: surfaceAPI, status: 500},
	}}
	s := tl.statsOf(t0, t0.Add(2*time.Second), false)
	if s.requests != 7 || s.ok != 3 || s.fiveXX() != 4 || s.with503 != 2 || s.withRA != 1 {
		t.Fatalf("stats = %+v", s)
	}
	if got, want := s.notOK(), "no answer ×1 (page), 500 ×1 (page), 503 ×2 (API 1, page 1)"; got != want {
		t.Errorf("notOK = %q, want %q", got, want)
	}
	if got := s.retryAfter(); got != "**1 of 2**" {
		t.Errorf("retryAfter = %q", got)
	}
	if o := tl.statsOf(t0, t0.Add(2*time.Second), true); o.requests != 1 || o.ok != 1 {
		t.Errorf("overload-only stats = %+v", o)
	}
}

func TestFirstForEveryWaitsForTheSlowestServer(t *testing.T) {
	t0 := time.Now()
	onMeili := func(p probe) bool { return p.status == http.StatusOK && p.engine == "meilisearch" }
	tl := &timeline{probes: []probe{
		{at: t0.Add(-time.Second), done: t0, server: 1, status: 200, engine: "meilisearch"}, // before: ignored
		{at: t0.Add(100 * time.Millisecond), done: t0.Add(200 * time.Millisecond), server: 0, status: 200, engine: "meilisearch"},
		{at: t0.Add(300 * time.Millisecond), done: t0.Add(400 * time.Millisecond), server: 1, status: 200, engine: "postgres"},
	}}
	if _, seen := tl.firstForEvery(2, t0, onMeili); seen {
		t.Fatal("server 1 has not answered from Meilisearch since t0")
	}
	tl.probes = append(tl.probes, probe{at: t0.Add(2 * time.Second), done: t0.Add(2500 * time.Millisecond), server: 1,
		status: 200, engine: "meilisearch"})
	if d, seen := tl.firstForEvery(2, t0, onMeili); !seen || d != 2500*time.Millisecond {
		t.Errorf("firstForEvery = %s, %t; want 2.5s, true", d, seen)
	}
}
