package search_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/meilisearch/meilisearch-go"

	"github.com/belong-directory/belong/internal/search"
	"github.com/belong-directory/belong/internal/testenv"
)

func TestMeiliFilter(t *testing.T) {
	s := search.Spec{
		Needs: []string{"cost.free", "care.childcare"}, Partly: true, NeedsAny: []string{"access.step-free", "cost.free"},
		Languages: []string{"en", "es"}, Slots: []string{"tue-evening"},
		Near: &search.Point{Lat: 41.5, Lng: -87.25}, RadiusKm: 2.5, City: `Coeur d"Alene \ West`,
		ConfirmedSince: 1700000000,
	}
	want := `tags_offered = "cost.free" AND tags_offered = "care.childcare" AND tags_offered IN ["access.step-free", "cost.free"]` +
		` AND languages IN ["en", "es"] AND slots IN ["tue-evening"] AND paused = false AND confirmed_at >= 1700000000` +
		` AND (_geoRadius(41.5, -87.25, 2500) OR online_only = true)` +
		` AND (city = "Coeur d\"Alene \\ West" OR online_only = true)`
	if got := search.MeiliFilter(s); got != want {
		t.Fatalf("filter\n got %s\nwant %s", got, want)
	}
}

func TestSearchErrorsDoNotQuoteTheSearch(t *testing.T) {
	// An index without settings refuses the filter, and Meilisearch's message
	// quotes the filter back, city and all.
	c, uid := testenv.Meili(t)
	task, err := c.CreateIndex(&meilisearch.IndexConfig{Uid: uid, PrimaryKey: "id"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.WaitForTask(task.TaskUID, 50*time.Millisecond); err != nil {
		t.Fatal(err)
	}
	b := search.NewMeiliBackend(c, uid, 2*time.Second)
	_, err = b.Find(context.Background(), []search.Spec{{Text: "grief circle for widows", City: "Pilsen"}})
	if err == nil {
		t.Fatal("filtering on attributes that are not filterable must fail")
	}
	for _, leak := range []string{"widows", "Pilsen"} {
		if strings.Contains(err.Error(), leak) {
			t.Fatalf("error quotes the search (%q): %v", leak, err)
		}
	}
}
