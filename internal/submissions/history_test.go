package submissions_test

import (
	"regexp"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/search"
	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/internal/submissions"
	"github.com/belong-directory/belong/internal/testenv"
)

// TestANewListingsHistoryStartsWithItsSubmission: a submission is recorded
// once, as "submit", not also as an edit ("save") nobody made; changes after
// it are still recorded.
func TestANewListingsHistoryStartsWithItsSubmission(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	svc := newService(t, st, search.NewTerms(nil, []string{"en", "es"}, nil), time.Now)
	l := testenv.WeeklyGroup("fresh-circle")
	l.ContactEmail = "org@example.org"
	if err := svc.Submit(t.Context(), submissions.FromListing(*l)); err != nil {
		t.Fatal(err)
	}
	var id string
	if err := st.Pool().QueryRow(t.Context(), `SELECT id::text FROM listings WHERE name = $1`, l.Name).Scan(&id); err != nil {
		t.Fatal(err)
	}
	actions := func() []string {
		t.Helper()
		history, err := st.History(t.Context(), id, 20)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range history {
			got = append(got, c.Action+" by "+c.By)
		}
		return got
	}
	if got := actions(); len(got) != 1 || got[0] != "submit by organizer" {
		t.Fatalf("a new listing's history: %q, want only its submission", got)
	}

	// The manage page adds the organizer's first visit, and nothing else.
	msgs, err := st.RecentMail(t.Context(), 1)
	if err != nil || len(msgs) != 1 {
		t.Fatalf("manage link mail: %+v %v", msgs, err)
	}
	token := regexp.MustCompile(`/manage/([A-Za-z0-9_-]{43})`).FindStringSubmatch(msgs[0].Text)
	if token == nil {
		t.Fatalf("no manage link: %s", msgs[0].Text)
	}
	m, err := svc.Open(t.Context(), token[1])
	if err != nil {
		t.Fatal(err)
	}
	if len(m.History) != 2 || m.History[0].Action != "verify_email" || m.History[1].Action != "submit" {
		t.Fatalf("the manage page's history: %+v", m.History)
	}

	// A later save of the listing (a moderator's approval, say) is an edit.
	saved := m.Listing
	saved.Status = directory.Published
	if err := st.InTx(t.Context(), func(tx *store.Tx) error {
		_, err := tx.SaveListing(t.Context(), &saved, "moderator:1")
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if got := actions(); len(got) != 3 || got[0] != "save by moderator" {
		t.Fatalf("history after a save: %q", got)
	}
}
