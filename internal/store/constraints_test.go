package store_test

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/belong-directory/belong/internal/testenv"
)

// TestDatabaseRefusesImpossibleRows checks that the schema itself, not only the
// application, refuses rows that cannot be true.
func TestDatabaseRefusesImpossibleRows(t *testing.T) {
	ctx := context.Background()
	s := testenv.Store(t)
	setup := []string{
		`INSERT INTO organizations (id, slug, name) VALUES ('00000000-0000-0000-0000-000000000001', 'org', 'Org')`,
		`INSERT INTO listings (id, slug, organization_id, name, summary) VALUES
			('00000000-0000-0000-0000-00000000000a', 'group', '00000000-0000-0000-0000-000000000001', 'Group', 'A group')`,
	}
	for _, q := range setup {
		if _, err := s.Pool().Exec(ctx, q); err != nil {
			t.Fatalf("setup %q: %v", q, err)
		}
	}
	const listing = `'00000000-0000-0000-0000-00000000000a'`
	bad := map[string]string{
		"slug with spaces":      `INSERT INTO organizations (slug, name) VALUES ('Not A Slug', 'x')`,
		"empty listing name":    `INSERT INTO listings (slug, organization_id, name, summary) VALUES ('x', '00000000-0000-0000-0000-000000000001', ' ', 's')`,
		"unknown status":        `UPDATE listings SET status = 'secret'`,
		"unknown organization":  `INSERT INTO listings (slug, organization_id, name, summary) VALUES ('y', gen_random_uuid(), 'n', 's')`,
		"duplicate slug":        `INSERT INTO listings (slug, organization_id, name, summary) VALUES ('group', '00000000-0000-0000-0000-000000000001', 'n', 's')`,
		"tag value maybe":       `INSERT INTO listing_tags (listing_id, tag, value) VALUES (` + listing + `, 'cost.free', 'maybe')`,
		"unknown tag":           `INSERT INTO listing_tags (listing_id, tag, value) VALUES (` + listing + `, 'cost.imaginary', 'yes')`,
		"unknown source":        `INSERT INTO listing_tags (listing_id, tag, value, source) VALUES (` + listing + `, 'cost.free', 'yes', 'rumour')`,
		"latitude out of range": `INSERT INTO locations (listing_id, kind, city, country, lat, lng) VALUES (` + listing + `, 'physical', 'X', 'US', 91, 0)`,
		"lat without lng":       `INSERT INTO locations (listing_id, kind, city, country, lat) VALUES (` + listing + `, 'physical', 'X', 'US', 41)`,
		"physical without city": `INSERT INTO locations (listing_id, kind, country) VALUES (` + listing + `, 'physical', 'US')`,
		"discreet, no area":     `INSERT INTO locations (listing_id, kind, city, country, discreet) VALUES (` + listing + `, 'physical', 'X', 'US', true)`,
		"virtual with address":  `INSERT INTO locations (listing_id, kind, address) VALUES (` + listing + `, 'virtual', '1 Main St')`,
		"lower-case country":    `INSERT INTO locations (listing_id, kind, city, country) VALUES (` + listing + `, 'physical', 'X', 'us')`,
		"daily frequency":       `INSERT INTO schedules (listing_id, freq, opens_at, closes_at, dtstart, timezone) VALUES (` + listing + `, 'DAILY', '10:00', '11:00', '2026-01-01', 'UTC')`,
		"bad byday":             `INSERT INTO schedules (listing_id, freq, byday, opens_at, closes_at, dtstart, timezone) VALUES (` + listing + `, 'MONTHLY', '9XX', '10:00', '11:00', '2026-01-01', 'UTC')`,
		"ordinal on weekly":     `INSERT INTO schedules (listing_id, freq, byday, opens_at, closes_at, dtstart, timezone) VALUES (` + listing + `, 'WEEKLY', '2TU', '10:00', '11:00', '2026-01-01', 'UTC')`,
		"until before start":    `INSERT INTO schedules (listing_id, freq, opens_at, closes_at, dtstart, until, timezone) VALUES (` + listing + `, 'WEEKLY', '10:00', '11:00', '2026-01-01', '2025-01-01', 'UTC')`,
		"zero interval":         `INSERT INTO schedules (listing_id, freq, "interval", opens_at, closes_at, dtstart, timezone) VALUES (` + listing + `, 'WEEKLY', 0, '10:00', '11:00', '2026-01-01', 'UTC')`,
		"opens equals closes":   `INSERT INTO schedules (listing_id, freq, opens_at, closes_at, dtstart, timezone) VALUES (` + listing + `, 'WEEKLY', '10:00', '10:00', '2026-01-01', 'UTC')`,
		"unknown language":      `INSERT INTO listing_languages (listing_id, language) VALUES (` + listing + `, 'xx')`,
		"malformed language":    `INSERT INTO languages (code, autonym) VALUES ('EN_us', 'x')`,
		"duplicate alias":       `INSERT INTO tag_aliases (tag, scheme, code) SELECT 'cost.free', scheme, code FROM tag_aliases LIMIT 1`,
		"unknown alias scheme":  `INSERT INTO tag_aliases (tag, scheme, code) VALUES ('cost.free', 'yelp', 'free')`,
		"tag without namespace": `INSERT INTO tags (slug, category, position) VALUES ('free', 'cost', 99)`,
		"outbox negative tries": `INSERT INTO outbox (listing_id, attempts) VALUES (` + listing + `, -1)`,
		"website not http":      `UPDATE listings SET website = 'javascript:alert(1)'`,
	}
	for name, q := range bad {
		t.Run(name, func(t *testing.T) {
			_, err := s.Pool().Exec(ctx, q)
			if err == nil {
				t.Fatalf("the database accepted: %s", q)
			}
			if _, ok := err.(*pgconn.PgError); !ok {
				t.Fatalf("want a database refusal, got %v", err)
			}
		})
	}
}
