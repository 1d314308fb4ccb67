package seed_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/schedule"
	"github.com/belong-directory/belong/internal/seed"
	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/internal/testenv"
)

var seededAt = time.Date(2026, 3, 14, 15, 4, 5, 0, time.UTC)

var seedTables = []string{"organizations", "listings", "locations", "schedules", "listing_tags", "listing_languages"}

func rowCounts(t *testing.T, st *store.Store) map[string]int {
	t.Helper()
	counts := map[string]int{}
	for _, table := range seedTables {
		var n int
		if err := st.Pool().QueryRow(context.Background(), "SELECT count(*) FROM "+table).Scan(&n); err != nil {
			t.Fatalf("count %s: %v", table, err)
		}
		counts[table] = n
	}
	return counts
}

func ids(t *testing.T, st *store.Store, table string) map[string]string {
	t.Helper()
	rows, err := st.Pool().Query(context.Background(), "SELECT slug, id::text FROM "+table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var slug, id string
		if err := rows.Scan(&slug, &id); err != nil {
			t.Fatal(err)
		}
		out[slug] = id
	}
	return out
}

func TestDemoIsIdempotent(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	n, err := seed.Demo(ctx, st, seededAt)
	if err != nil {
		t.Fatalf("Demo: %v", err)
	}
	if n < 140 || n > 170 {
		t.Errorf("Demo seeded %d listings, want about 150", n)
	}
	counts, listingIDs, orgIDs := rowCounts(t, st), ids(t, st, "listings"), ids(t, st, "organizations")
	if counts["listings"] != n {
		t.Errorf("%d listing rows, Demo said %d", counts["listings"], n)
	}
	before, err := st.Listing(ctx, "grief-circle-logan-square")
	if err != nil {
		t.Fatal(err)
	}

	again, err := seed.Demo(ctx, st, seededAt)
	if err != nil {
		t.Fatalf("second Demo: %v", err)
	}
	if again != n {
		t.Errorf("second run seeded %d, first %d", again, n)
	}
	if got := rowCounts(t, st); !reflect.DeepEqual(got, counts) {
		t.Errorf("row counts changed: before %v, after %v", counts, got)
	}
	if got := ids(t, st, "listings"); !reflect.DeepEqual(got, listingIDs) {
		t.Error("listing ids changed on the second run")
	}
	if got := ids(t, st, "organizations"); !reflect.DeepEqual(got, orgIDs) {
		t.Error("organization ids changed on the second run")
	}
	after, err := st.Listing(ctx, "grief-circle-logan-square")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(withoutChildIDs(before), withoutChildIDs(after)) {
		t.Errorf("listing content changed:\nbefore %+v\nafter  %+v", before, after)
	}
}

// withoutChildIDs drops what SaveListing regenerates or counts on every save:
// child ids, the time and the version of the last write.
func withoutChildIDs(l directory.Listing) directory.Listing {
	l.UpdatedAt, l.Version = time.Time{}, 0
	for i := range l.Locations {
		l.Locations[i].ID = ""
	}
	for i := range l.Schedules {
		l.Schedules[i].ID = ""
	}
	return l
}

func TestDemoCoversWhatTheDirectoryShows(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	if _, err := seed.Demo(ctx, st, seededAt); err != nil {
		t.Fatalf("Demo: %v", err)
	}
	cases := map[string]string{
		"paused":              `SELECT count(*) FROM listings WHERE paused AND paused_note <> ''`,
		"draft":               `SELECT count(*) FROM listings WHERE status = 'draft'`,
		"discreet":            `SELECT count(*) FROM locations WHERE discreet AND neighbourhood <> '' AND address = ''`,
		"online only":         `SELECT count(*) FROM listings l WHERE NOT EXISTS (SELECT 1 FROM locations WHERE listing_id = l.id AND kind = 'physical')`,
		"hybrid":              `SELECT count(*) FROM listings l WHERE EXISTS (SELECT 1 FROM locations WHERE listing_id = l.id AND kind = 'physical') AND EXISTS (SELECT 1 FROM locations WHERE listing_id = l.id AND kind = 'virtual')`,
		"phone":               `SELECT count(*) FROM listings WHERE phone_meeting IS NOT NULL`,
		"partly with note":    `SELECT count(*) FROM listing_tags WHERE value = 'partly' AND note <> ''`,
		"explicit no":         `SELECT count(*) FROM listing_tags WHERE value = 'no'`,
		"childcare no":        `SELECT count(*) FROM listing_tags WHERE tag = 'care.childcare' AND value = 'no'`,
		"aging":               `SELECT count(*) FROM listings WHERE confirmed_at BETWEEN $1::timestamptz - interval '365 days' AND $1::timestamptz - interval '183 days'`,
		"stale":               `SELECT count(*) FROM listings WHERE confirmed_at < $1::timestamptz - interval '365 days'`,
		"spanish text":        `SELECT count(*) FROM listings WHERE text_lang = 'es'`,
		"spanish in the US":   `SELECT count(DISTINCT l.id) FROM listings l JOIN locations p ON p.listing_id = l.id WHERE l.text_lang = 'es' AND p.country = 'US'`,
		"signed language":     `SELECT count(*) FROM listing_languages ll JOIN languages g ON g.code = ll.language WHERE g.signed`,
		"second tuesday":      `SELECT count(*) FROM schedules WHERE freq = 'MONTHLY' AND byday = '2TU'`,
		"last friday":         `SELECT count(*) FROM schedules WHERE freq = 'MONTHLY' AND byday = '-1FR'`,
		"first and third":     `SELECT count(*) FROM schedules WHERE freq = 'MONTHLY' AND byday = '1MO,3MO'`,
		"every other week":    `SELECT count(*) FROM schedules WHERE freq = 'WEEKLY' AND "interval" = 2`,
		"two days a week":     `SELECT count(*) FROM schedules WHERE freq = 'WEEKLY' AND byday LIKE '%,%'`,
		"skip dates":          `SELECT count(*) FROM schedules WHERE cardinality(skip_dates) > 0`,
		"until":               `SELECT count(*) FROM schedules WHERE until IS NOT NULL`,
		"by moderator":        `SELECT count(*) FROM listings WHERE confirmed_by = 'moderator'`,
		"by import":           `SELECT count(*) FROM listings WHERE confirmed_by = 'import'`,
		"with email":          `SELECT count(*) FROM listings WHERE email IS NOT NULL`,
		"without any contact": `SELECT count(*) FROM listings WHERE email IS NULL AND phone IS NULL AND website IS NULL`,
		"shared organization": `SELECT count(*) FROM (SELECT organization_id FROM listings GROUP BY 1 HAVING count(*) > 2) o`,
	}
	for name, query := range cases {
		var n int
		var args []any
		if name == "aging" || name == "stale" {
			args = append(args, seededAt)
		}
		if err := st.Pool().QueryRow(ctx, query, args...).Scan(&n); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if n == 0 {
			t.Errorf("no demo listing is %s", name)
		}
	}
}

func TestDemoRespectsTheRules(t *testing.T) {
	st := testenv.Store(t)
	ctx := context.Background()
	if _, err := seed.Demo(ctx, st, seededAt); err != nil {
		t.Fatalf("Demo: %v", err)
	}
	mustBeNone := map[string]string{
		"physical tag on an online-only listing": `SELECT l.slug || ' ' || lt.tag FROM listing_tags lt
			JOIN tags t ON t.slug = lt.tag JOIN listings l ON l.id = lt.listing_id
			WHERE t.physical AND NOT EXISTS (SELECT 1 FROM locations WHERE listing_id = l.id AND kind = 'physical')`,
		"listing without a schedule": `SELECT slug FROM listings l WHERE NOT EXISTS (SELECT 1 FROM schedules WHERE listing_id = l.id)`,
		"listing without a location": `SELECT slug FROM listings l WHERE NOT EXISTS (SELECT 1 FROM locations WHERE listing_id = l.id)`,
		"listing without a language": `SELECT slug FROM listings l WHERE NOT EXISTS (SELECT 1 FROM listing_languages WHERE listing_id = l.id)`,
		"discreet listing nobody can ask": `SELECT l.slug FROM listings l JOIN locations p ON p.listing_id = l.id
			WHERE p.discreet AND l.email IS NULL AND l.phone IS NULL`,
	}
	for what, query := range mustBeNone {
		rows, err := st.Pool().Query(ctx, query)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		for rows.Next() {
			var s string
			if err := rows.Scan(&s); err != nil {
				t.Fatal(err)
			}
			t.Errorf("%s: %s", what, s)
		}
		rows.Close()
	}

	var slugs []string
	rows, err := st.Pool().Query(ctx, `SELECT slug FROM listings ORDER BY slug`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		_ = rows.Scan(&s)
		slugs = append(slugs, s)
	}
	rows.Close()
	bounds := map[string][4]float64{ // south, west, north, east
		"Chicago":          {41.64, -87.94, 42.03, -87.52},
		"Los Angeles":      {33.70, -118.67, 34.34, -118.15},
		"Madrid":           {40.31, -3.89, 40.56, -3.52},
		"Ciudad de México": {19.05, -99.37, 19.59, -98.94},
	}
	perCity := map[string]int{}
	for _, slug := range slugs {
		l, err := st.Listing(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		for _, loc := range l.Locations {
			if loc.Kind != directory.Physical {
				continue
			}
			b, ok := bounds[loc.City]
			if !ok {
				t.Errorf("%s: unexpected city %q", slug, loc.City)
				continue
			}
			perCity[loc.City]++
			if *loc.Lat < b[0] || *loc.Lat > b[2] || *loc.Lng < b[1] || *loc.Lng > b[3] {
				t.Errorf("%s: %v,%v is outside %s", slug, *loc.Lat, *loc.Lng, loc.City)
			}
		}
		for _, sc := range l.Schedules {
			if err := toRule(sc).Validate(); err != nil {
				t.Errorf("%s: schedule %+v: %v", slug, sc, err)
			}
			if sc.Until != nil && len(sc.SkipDates) > 0 && sc.SkipDates[len(sc.SkipDates)-1] > *sc.Until {
				t.Errorf("%s: skip date after until", slug)
			}
		}
		if l.Summary == "" || len(l.Summary) > 300 {
			t.Errorf("%s: summary %q", slug, l.Summary)
		}
	}
	for city := range bounds {
		if perCity[city] < 25 {
			t.Errorf("%s has %d demo listings, want about 30", city, perCity[city])
		}
	}
}

func toRule(sc directory.Schedule) schedule.Rule {
	days, _ := schedule.ParseByDay(sc.ByDay)
	opens, _ := schedule.ParseClock(sc.OpensAt)
	closes, _ := schedule.ParseClock(sc.ClosesAt)
	start, _ := schedule.ParseDate(sc.Start)
	r := schedule.Rule{Freq: schedule.Freq(sc.Freq), Interval: sc.Interval, ByDay: days, OpensAt: opens,
		ClosesAt: closes, Start: start, TimeZone: sc.TimeZone}
	if sc.Until != nil {
		until, _ := schedule.ParseDate(*sc.Until)
		r.Until = &until
	}
	return r
}
