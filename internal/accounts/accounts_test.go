package accounts_test

import (
	"errors"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/accounts"
	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/i18n"
	"github.com/belong-directory/belong/internal/mail"
	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/internal/testenv"
	"github.com/belong-directory/belong/web"
)

// clock is a time the test moves by hand.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

var linkToken = regexp.MustCompile(`/sign-in/([A-Za-z0-9_-]{43})`)

func setup(t *testing.T) (*accounts.Service, *store.Store, *clock) {
	t.Helper()
	st := testenv.Store(t)
	catalogs, err := i18n.Load(web.Translations, "i18n")
	if err != nil {
		t.Fatal(err)
	}
	c := &clock{now: time.Now()}
	svc := accounts.New(st, accounts.Options{Mail: mail.Composer{Catalogs: catalogs, BaseURL: "http://x.test"},
		BaseURL: "http://x.test", Now: c.Now})
	return svc, st, c
}

func lastToken(t *testing.T, st *store.Store) string {
	t.Helper()
	msgs, err := st.RecentMail(t.Context(), 1)
	if err != nil || len(msgs) == 0 || msgs[0].Kind != "sign_in" {
		t.Fatalf("no sign-in email: %v %v", msgs, err)
	}
	return linkToken.FindStringSubmatch(msgs[0].Text)[1]
}

func TestSignInLinksLastFifteenMinutesAndWorkOnce(t *testing.T) {
	t.Parallel()
	svc, st, clk := setup(t)
	u, err := svc.AddUser(t.Context(), "cli", "mod@example.org", directory.Moderator)
	if err != nil {
		t.Fatal(err)
	}
	begin := func(directory.User) error { return nil }

	if err := svc.RequestSignIn(t.Context(), "mod@example.org", "en"); err != nil {
		t.Fatal(err)
	}
	late := lastToken(t, st)
	clk.Add(accounts.LinkTTL + time.Second)
	if _, err := svc.SignIn(t.Context(), late, begin); !errors.Is(err, accounts.ErrLinkUnusable) {
		t.Fatalf("a link past 15 minutes: %v", err)
	}

	if err := svc.RequestSignIn(t.Context(), "mod@example.org", "en"); err != nil {
		t.Fatal(err)
	}
	token := lastToken(t, st)
	clk.Add(accounts.LinkTTL - time.Minute)
	// A failure to start the session leaves the link unspent.
	if _, err := svc.SignIn(t.Context(), token, func(directory.User) error { return errors.New("redis down") }); err == nil {
		t.Fatal("the session failure was lost")
	}
	got, err := svc.SignIn(t.Context(), token, begin)
	if err != nil || got.ID != u.ID {
		t.Fatalf("sign in: %+v %v", got, err)
	}
	if _, err := svc.SignIn(t.Context(), token, begin); !errors.Is(err, accounts.ErrLinkUnusable) {
		t.Fatalf("second use: %v", err)
	}
	if _, err := svc.Current(t.Context(), u.ID, u.SessionEpoch); err != nil {
		t.Fatalf("current: %v", err)
	}
	if err := svc.SignOutEverywhere(t.Context(), u); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Current(t.Context(), u.ID, u.SessionEpoch); !errors.Is(err, directory.ErrNotFound) {
		t.Fatalf("a session from before signing out everywhere: %v", err)
	}
}

func TestAccountsAreCheckedBeforeTheyAreMade(t *testing.T) {
	t.Parallel()
	svc, _, _ := setup(t)
	for _, c := range []struct {
		email string
		role  directory.Role
		key   string
	}{
		{"", directory.Moderator, directory.KeyRequired},
		{"no-at-sign", directory.Moderator, accounts.KeyEmail},
		{"a@b", directory.Moderator, accounts.KeyEmail},
		{"ok@example.org", "owner", accounts.KeyRole},
	} {
		_, err := svc.AddUser(t.Context(), "cli", c.email, c.role)
		ve, ok := errors.AsType[*directory.ValidationError](err)
		if !ok || ve.Fields[0].Key != c.key {
			t.Errorf("%q %q: %v", c.email, c.role, err)
		}
	}
	admin, err := svc.AddUser(t.Context(), "cli", "admin@example.org", directory.Admin)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.AddUser(t.Context(), "cli", "Admin@Example.org", directory.Moderator); err == nil {
		t.Error("the same address twice, in other case")
	}
	if err := svc.Disable(t.Context(), admin, admin.ID); err == nil {
		t.Error("an admin disabled their own account")
	}
}
