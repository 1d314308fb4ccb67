package submissions_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/internal/submissions"
	"github.com/belong-directory/belong/internal/testenv"
)

// TestFreshnessRemindersWithAControlledClock: an organizer is asked to confirm
// a listing nobody confirmed for five months, at most once a month, with a link
// whose "still accurate" confirms it; other listings are left alone.
func TestFreshnessRemindersWithAControlledClock(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	now := time.Now()
	svc := newService(t, st, nil, func() time.Time { return now })
	r := submissions.Reminders{Service: svc, After: 150 * 24 * time.Hour, Every: 30 * 24 * time.Hour, Batch: 10}

	old := testenv.WeeklyGroup("old-circle")
	old.ConfirmedAt, old.ContactEmail, old.ContactLang = now.Add(-160*24*time.Hour), "old@example.org", "es"
	recent := testenv.WeeklyGroup("recent-circle")
	recent.ConfirmedAt, recent.ContactEmail = now.Add(-30*24*time.Hour), "recent@example.org"
	seeded := testenv.WeeklyGroup("seeded-circle") // no private contact: nobody to ask
	seeded.ConfirmedAt = now.Add(-300 * 24 * time.Hour)
	draft := testenv.WeeklyGroup("draft-circle")
	draft.ConfirmedAt, draft.ContactEmail, draft.Status = now.Add(-200*24*time.Hour), "draft@example.org", directory.Draft
	for _, l := range []*directory.Listing{old, recent, seeded, draft} {
		if err := st.InTx(t.Context(), func(tx *store.Tx) error { _, err := tx.SaveListing(t.Context(), l, "test"); return err }); err != nil {
			t.Fatal(err)
		}
	}

	if n, err := r.Send(t.Context(), now); err != nil || n != 1 {
		t.Fatalf("first pass: %d reminders, %v; want 1", n, err)
	}
	msgs, err := st.RecentMail(t.Context(), 5)
	if err != nil || len(msgs) != 1 || msgs[0].To != "old@example.org" || msgs[0].Lang != "es" || msgs[0].Kind != "reminder" {
		t.Fatalf("the organizer of the old listing is asked, in their language: %+v %v", msgs, err)
	}
	if !strings.Contains(msgs[0].Text, "5 meses") {
		t.Errorf("the email says how long it has been: %s", msgs[0].Text)
	}
	if n, _ := r.Send(t.Context(), now.Add(29*24*time.Hour)); n != 0 {
		t.Fatalf("asked again within a month: %d", n)
	}
	if n, _ := r.Send(t.Context(), now.Add(31*24*time.Hour)); n != 1 {
		t.Fatalf("a month later, still unconfirmed, the organizer is asked again: %d", n)
	}

	// The link in the email confirms in one click, and the listing is fresh again.
	token := regexp.MustCompile(`/manage/([A-Za-z0-9_-]{43})`).FindStringSubmatch(msgs[0].Text)
	if token == nil {
		t.Fatalf("no manage link: %s", msgs[0].Text)
	}
	if err := svc.Confirm(t.Context(), token[1]); err != nil {
		t.Fatal(err)
	}
	l, err := st.Listing(t.Context(), "old-circle")
	if err != nil || time.Since(l.ConfirmedAt) > time.Minute {
		t.Fatalf("confirmed: %v %v", l.ConfirmedAt, err)
	}
	if n, _ := r.Send(t.Context(), now.Add(62*24*time.Hour)); n != 0 {
		t.Fatalf("a confirmed listing is not due: %d", n)
	}
}
