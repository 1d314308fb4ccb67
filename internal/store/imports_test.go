package store_test

import (
	"testing"

	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/internal/testenv"
)

// An imported listing keeps the ids it has in the data it came from, and
// importing it again updates that same row through the one write path.
func TestImportListingKeepsOutsideIDs(t *testing.T) {
	st := testenv.Store(t)
	const id, orgID = "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "0f9e7b8a-1c2d-4e3f-8a9b-0c1d2e3f4a5b"
	l := testenv.WeeklyGroup("outside-circle", "cost.free")
	l.ID, l.Organization.ID = id, orgID
	for range 2 {
		saved := *l
		err := st.InTx(t.Context(), func(tx *store.Tx) error {
			got, err := tx.ImportListing(t.Context(), &saved, "import")
			if err == nil && got != id {
				t.Errorf("saved as %s, want %s", got, id)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	got, err := st.Listing(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if got.Slug != "outside-circle" || got.Organization.ID != orgID || len(got.Tags) != 1 {
		t.Errorf("listing: %+v", got)
	}
	if o, err := st.Organization(t.Context(), orgID); err != nil || o.Slug != "neighbours" {
		t.Errorf("organization: %+v %v", o, err)
	}
	pending, _, err := st.OutboxBacklog(t.Context())
	if err != nil || pending != 2 {
		t.Errorf("outbox rows: %d %v", pending, err)
	}
	var audits int
	if err := st.Pool().QueryRow(t.Context(), `SELECT count(*) FROM audit_log WHERE entity_id = $1`, id).Scan(&audits); err != nil || audits != 2 {
		t.Errorf("audit rows: %d %v", audits, err)
	}
}
