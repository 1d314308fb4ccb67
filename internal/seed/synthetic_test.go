package seed_test

import (
	"context"
	"strings"
	"testing"

	"github.com/belong-directory/belong/internal/seed"
	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/internal/testenv"
)

// digest sums up every listing's content, ordered by slug and leaving out the
// randomly generated ids, so two databases can be compared.
func digest(t *testing.T, st *store.Store) string {
	t.Helper()
	var sum string
	err := st.Pool().QueryRow(context.Background(), `
		SELECT md5(string_agg(x, E'\n' ORDER BY slug)) FROM (
			SELECT l.slug, concat_ws('|', l.slug, l.name, l.summary, l.description, l.text_lang, l.status,
				l.paused, l.paused_note, l.how_to_join, o.slug, o.name, l.confirmed_at, l.confirmed_by,
				l.email, l.phone, l.website, l.phone_meeting,
				(SELECT string_agg(concat_ws(',', kind, name, address, neighbourhood, city, country, lat, lng,
					transit_notes, url, discreet), ';' ORDER BY kind, name, address)
					FROM locations WHERE listing_id = l.id),
				(SELECT string_agg(concat_ws(',', freq, "interval", byday, opens_at, closes_at, dtstart, until,
					timezone, skip_dates), ';' ORDER BY freq, byday, opens_at, dtstart, until)
					FROM schedules WHERE listing_id = l.id),
				(SELECT string_agg(concat_ws(',', tag, value, note, source, confirmed_at), ';' ORDER BY tag)
					FROM listing_tags WHERE listing_id = l.id),
				(SELECT string_agg(language, ',' ORDER BY language)
					FROM listing_languages WHERE listing_id = l.id)) AS x
			FROM listings l JOIN organizations o ON o.id = l.organization_id) d`).Scan(&sum)
	if err != nil {
		t.Fatalf("digest: %v", err)
	}
	return sum
}

func TestSyntheticIsDeterministic(t *testing.T) {
	ctx := context.Background()
	var digests []string
	for range 2 {
		st := testenv.Store(t)
		n, err := seed.Synthetic(ctx, st, 1500, 42, seededAt)
		if err != nil {
			t.Fatalf("Synthetic: %v", err)
		}
		if n != 1500 {
			t.Fatalf("added %d, want 1500", n)
		}
		digests = append(digests, digest(t, st))
	}
	if digests[0] != digests[1] {
		t.Errorf("the same seed gave different listings: %s and %s", digests[0], digests[1])
	}

	other := testenv.Store(t)
	if _, err := seed.Synthetic(ctx, other, 1500, 43, seededAt); err != nil {
		t.Fatal(err)
	}
	var slug string
	if err := other.Pool().QueryRow(ctx, `SELECT min(slug) FROM listings`).Scan(&slug); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(slug, "syn-43-") {
		t.Errorf("slug %q, want syn-43-…", slug)
	}
}

func TestSyntheticRerunAddsNothing(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	const n = 5001 // more than one chunk
	added, err := seed.Synthetic(ctx, st, n, 7, seededAt)
	if err != nil {
		t.Fatalf("Synthetic: %v", err)
	}
	if added != n {
		t.Fatalf("added %d, want %d", added, n)
	}
	counts, sum := rowCounts(t, st), digest(t, st)
	again, err := seed.Synthetic(ctx, st, n, 7, seededAt)
	if err != nil || again != 0 {
		t.Fatalf("re-run added %d, %v; want 0, nil", again, err)
	}
	if got := rowCounts(t, st); got["listings"] != counts["listings"] || got["listing_tags"] != counts["listing_tags"] {
		t.Errorf("re-run changed row counts: %v, then %v", counts, got)
	}
	if digest(t, st) != sum {
		t.Error("re-run changed listings")
	}

	var queued int
	if err := st.Pool().QueryRow(ctx, `SELECT count(DISTINCT listing_id) FROM outbox`).Scan(&queued); err != nil {
		t.Fatal(err)
	}
	if queued != n {
		t.Errorf("%d listings queued for search, want %d", queued, n)
	}

	checks := map[string]struct {
		query    string
		min, max int
	}{
		"online only": {`SELECT count(*) FROM listings l WHERE NOT EXISTS
			(SELECT 1 FROM locations WHERE listing_id = l.id AND kind = 'physical')`, n / 10, n / 5},
		"physical tag online": {`SELECT count(*) FROM listing_tags lt JOIN tags t ON t.slug = lt.tag
			WHERE t.physical AND NOT EXISTS (SELECT 1 FROM locations WHERE listing_id = lt.listing_id AND kind = 'physical')`, 0, 0},
		"no schedule":      {`SELECT count(*) FROM listings l WHERE NOT EXISTS (SELECT 1 FROM schedules WHERE listing_id = l.id)`, 0, 0},
		"no location":      {`SELECT count(*) FROM listings l WHERE NOT EXISTS (SELECT 1 FROM locations WHERE listing_id = l.id)`, 0, 0},
		"more than 8 tags": {`SELECT count(*) FROM (SELECT listing_id FROM listing_tags GROUP BY 1 HAVING count(*) > 8) x`, 0, 0},
		"1 to 3 languages": {`SELECT count(*) FROM (SELECT listing_id FROM listing_languages GROUP BY 1
			HAVING count(*) BETWEEN 1 AND 3) x`, n, n},
		"spanish text":   {`SELECT count(*) FROM listings WHERE text_lang = 'es'`, n / 5, n * 3 / 4},
		"partly":         {`SELECT count(*) FROM listing_tags WHERE value = 'partly' AND note <> ''`, 1, n * 8},
		"no":             {`SELECT count(*) FROM listing_tags WHERE value = 'no'`, 1, n * 8},
		"cities":         {`SELECT count(DISTINCT city) FROM locations WHERE kind = 'physical'`, 16, 16},
		"over 18 months": {`SELECT count(*) FROM listings WHERE confirmed_at < $1::timestamptz - interval '549 days'`, 0, 0},
		"aging or stale": {`SELECT count(*) FROM listings WHERE confirmed_at < $1::timestamptz - interval '183 days'`, n / 3, n * 3 / 4},
	}
	for name, c := range checks {
		var got int
		var args []any
		if strings.Contains(c.query, "$1") {
			args = append(args, seededAt)
		}
		if err := st.Pool().QueryRow(ctx, c.query, args...).Scan(&got); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got < c.min || got > c.max {
			t.Errorf("%s: %d, want %d to %d", name, got, c.min, c.max)
		}
	}

	for _, slug := range []string{"syn-7-0", "syn-7-2500", "syn-7-5000"} {
		l, err := st.Listing(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		for _, sc := range l.Schedules {
			if err := toRule(sc).Validate(); err != nil {
				t.Errorf("%s: schedule %+v: %v", slug, sc, err)
			}
		}
	}
	// Listing i does not depend on n: a larger run adds only the new ones.
	if more, err := seed.Synthetic(ctx, st, n+10, 7, seededAt); err != nil || more != 10 {
		t.Errorf("extending the run added %d, %v; want 10, nil", more, err)
	}
}

func TestSyntheticNegativeSeed(t *testing.T) {
	st := testenv.Store(t)
	if n, err := seed.Synthetic(context.Background(), st, 20, -3, seededAt); err != nil || n != 20 {
		t.Fatalf("Synthetic = %d, %v", n, err)
	}
	if _, err := st.Listing(context.Background(), "syn-n3-19"); err != nil {
		t.Errorf("listing syn-n3-19: %v", err)
	}
}

func TestSyntheticRejectsNonPositiveCounts(t *testing.T) {
	for _, n := range []int{0, -1} {
		// No store: the count is checked before anything else.
		if _, err := seed.Synthetic(context.Background(), nil, n, 1, seededAt); err == nil {
			t.Errorf("Synthetic(%d) succeeded", n)
		}
	}
}
