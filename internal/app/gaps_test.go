package app_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/app"
	"github.com/belong-directory/belong/internal/config"
	"github.com/belong-directory/belong/internal/testenv"
)

// TestSearchesAreCountedThroughTheRealWiring builds the server as serve does
// and runs its background work: searches for needs through the page and the
// API reach need_counts by the time the wait RunBackground returns is over,
// without any flush by hand. Without the hook in the handlers, or the counter
// in RunBackground, nothing is written and this test fails.
func TestSearchesAreCountedThroughTheRealWiring(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	client, uid := testenv.Meili(t)
	rdb, prefix := testenv.Redis(t)
	cfg, err := config.LoadFrom(map[string]string{"MEILI_INDEX": uid, "SEARCH_CACHE_PREFIX": prefix})
	if err != nil {
		t.Fatal(err)
	}
	w, err := app.NewWeb(t.Context(), cfg, slog.New(slog.DiscardHandler), app.Clients{Store: st, Redis: rdb, Meili: client},
		app.ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	wait := w.RunBackground(ctx)
	for _, target := range []string{"/?need=cost.free&need=care.childcare", "/api/v1/listings?need=care.childcare&need=cost.free",
		"/api/v1/listings?need=cost.free&city=online", "/api/v1/listings?q=no+needs"} {
		rec := httptest.NewRecorder()
		w.Server.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target, nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
		}
	}
	cancel()
	wait()
	counts, err := st.NeedCounts(t.Context(), time.Now().AddDate(0, 0, -8), 1)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, c := range counts {
		got[c.Place+" "+string(c.Outcome)+" "+c.Needs[0]+" "+c.Needs[len(c.Needs)-1]] = c.Searches
	}
	want := map[string]int64{"anywhere none care.childcare cost.free": 2, "online none cost.free cost.free": 1}
	if len(got) != len(want) || got["anywhere none care.childcare cost.free"] != 2 || got["online none cost.free cost.free"] != 1 {
		t.Fatalf("counted %v, want %v", got, want)
	}
}
