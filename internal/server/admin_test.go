package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/belong-directory/belong/internal/directory"
)

func TestAdminsInviteAndDisableAccounts(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	e.addUser("admin@example.org", directory.Admin)
	admin := e.signIn("admin@example.org")

	page := e.do(http.MethodGet, "/admin/users?ui=en", nil, admin)
	if page.Code != http.StatusOK {
		t.Fatalf("accounts page: %d", page.Code)
	}
	rec := e.do(http.MethodPost, "/admin/users?ui=en", url.Values{"email": {"new-mod@example.org"}, "role": {"moderator"}}, admin)
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("invite: %d %s", rec.Code, rec.Body)
	}
	m, ok := e.lastMail("invited", "new-mod@example.org")
	if !ok || !strings.Contains(m.Text, "http://belong.test/sign-in?ui=en") || !strings.Contains(m.Text, "Moderator") {
		t.Fatalf("invitation: %+v", m)
	}
	// Inviting the same address again is refused next to the field, input kept.
	rec = e.do(http.MethodPost, "/admin/users?ui=en", url.Values{"email": {"NEW-MOD@example.org"}, "role": {"admin"}}, admin)
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("second invitation: %d", rec.Code)
	}
	mustContain(t, "the refused invitation", rec.Body.String(), "already has an account", `value="NEW-MOD@example.org"`)

	newMod := e.signIn("new-mod@example.org")
	if rec := e.do(http.MethodGet, "/admin/users", nil, newMod); rec.Code != http.StatusForbidden {
		t.Fatalf("a moderator opened the accounts page: %d", rec.Code)
	}
	var id string
	for _, u := range mustUsers(t, e) {
		if u.Email == "new-mod@example.org" {
			id = u.ID
		}
	}
	if rec := e.do(http.MethodPost, "/admin/users/"+id+"/disable?ui=en", url.Values{}, admin); rec.Code != http.StatusSeeOther {
		t.Fatalf("disable: %d %s", rec.Code, rec.Body)
	}
	if rec := e.do(http.MethodGet, "/moderate", nil, newMod); rec.Code != http.StatusSeeOther {
		t.Fatalf("a disabled account's session still works: %d", rec.Code)
	}
	links := strings.Count(mustAllMail(t, e), "new-mod@example.org sign_in")
	e.do(http.MethodPost, "/sign-in", url.Values{"email": {"new-mod@example.org"}})
	if strings.Count(mustAllMail(t, e), "new-mod@example.org sign_in") != links {
		t.Fatal("a disabled account was sent a sign-in link")
	}
	mustContain(t, "the accounts page", e.do(http.MethodGet, "/admin/users?ui=en", nil, admin).Body.String(), "Disabled")
}

func mustUsers(t *testing.T, e *staffEnv) []directory.User {
	t.Helper()
	us, err := e.st.Users(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return us
}

// mustAllMail lists the queue as "to kind" lines.
func mustAllMail(t *testing.T, e *staffEnv) string {
	t.Helper()
	msgs, err := e.st.RecentMail(t.Context(), 100)
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, m := range msgs {
		b.WriteString(m.To + " " + m.Kind + "\n")
	}
	return b.String()
}
