package store_test

import (
	"fmt"
	"testing"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/internal/testenv"
)

// Exports page through every published listing in batches, in slug order, and
// never see a draft or an archived listing.
func TestPublishedListingsAfterPagesThroughPublishedOnly(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	ctx := t.Context()
	var want []string
	for i := range 5 {
		l := testenv.WeeklyGroup(fmt.Sprintf("group-%d", i), "cost.free")
		switch i {
		case 1:
			l.Status = directory.Draft
		case 3:
			l.Status = directory.Archived
		default:
			want = append(want, l.Slug)
		}
		if err := st.InTx(ctx, func(tx *store.Tx) error { _, err := tx.SaveListing(ctx, l, "test"); return err }); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	after := ""
	for range 10 {
		batch, err := st.PublishedListingsAfter(ctx, after, 2)
		if err != nil {
			t.Fatal(err)
		}
		if len(batch) == 0 {
			break
		}
		if len(batch) > 2 {
			t.Fatalf("batch of %d, asked for 2", len(batch))
		}
		for _, l := range batch {
			if len(l.Schedules) != 1 || len(l.Tags) != 1 || len(l.Locations) != 1 {
				t.Fatalf("%s is not whole: %+v", l.Slug, l)
			}
			got = append(got, l.Slug)
		}
		after = batch[len(batch)-1].Slug
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	if _, err := st.PublishedListingsAfter(ctx, "", 0); err == nil {
		t.Fatal("a batch of 0 was accepted")
	}
}
