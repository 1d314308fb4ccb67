package server_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/belong-directory/belong/internal/app"
	"github.com/belong-directory/belong/internal/config"
	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/indexer"
	"github.com/belong-directory/belong/internal/mail"
	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/internal/testenv"
)

// staffEnv is the whole product as serve wires it (internal/app) on a database,
// an index and a Redis prefix of the test's own.
type staffEnv struct {
	t       *testing.T
	st      *store.Store
	web     *app.Web
	ix      *indexer.Indexer
	cfg     config.Config
	clients app.Clients
}

// staffClients numbers the client addresses requests come from.
var staffClients atomic.Int32

func newStaffEnv(t *testing.T) *staffEnv {
	t.Helper()
	st := testenv.Store(t)
	client, uid := testenv.Meili(t)
	rdb, prefix := testenv.Redis(t)
	return newStaffEnvOn(t, st, app.Clients{Store: st, Redis: rdb, Meili: client}, uid, prefix)
}

// newStaffEnvOn wires the product to the given clients: two of them can share
// one database, one with a working Redis and one without.
func newStaffEnvOn(t *testing.T, st *store.Store, clients app.Clients, index, prefix string) *staffEnv {
	t.Helper()
	cfg, err := config.LoadFrom(map[string]string{"MEILI_INDEX": index, "SEARCH_CACHE_PREFIX": prefix,
		"SESSION_PREFIX": prefix + ":session", "RATE_LIMIT_PREFIX": prefix + ":rate", "BASE_URL": "http://belong.test"})
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.DiscardHandler)
	w, err := app.NewWeb(t.Context(), cfg, log, clients, app.ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ix, err := app.NewIndexer(cfg, log, clients)
	if err != nil {
		t.Fatal(err)
	}
	return &staffEnv{t: t, st: st, web: w, ix: ix, cfg: cfg, clients: clients}
}

// do sends one request through the whole middleware stack, as a browser would
// from the site's own pages.
func (e *staffEnv) do(method, target string, form url.Values, cookies ...*http.Cookie) *httptest.ResponseRecorder {
	e.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req := httptest.NewRequest(method, target, body)
	// Each request from an address of its own: these tests are not about
	// rate limits (limits_test is).
	n := staffClients.Add(1)
	req.RemoteAddr = fmt.Sprintf("10.%d.%d.2:4000", n/250, n%250)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
	}
	for _, c := range cookies {
		if c != nil {
			req.AddCookie(c)
		}
	}
	rec := httptest.NewRecorder()
	e.web.Server.Handler().ServeHTTP(rec, req)
	return rec
}

func (e *staffEnv) addUser(email string, role directory.Role) directory.User {
	e.t.Helper()
	u, err := e.web.Accounts.AddUser(e.t.Context(), "test", email, role)
	if err != nil {
		e.t.Fatal(err)
	}
	return u
}

// lastMail returns the newest queued message of kind to addr.
func (e *staffEnv) lastMail(kind, to string) (mail.Queued, bool) {
	e.t.Helper()
	msgs, err := e.st.RecentMail(e.t.Context(), 50)
	if err != nil {
		e.t.Fatal(err)
	}
	for _, m := range msgs {
		if m.Kind == kind && m.To == to {
			return m, true
		}
	}
	return mail.Queued{}, false
}

var signInLink = regexp.MustCompile(`http://belong\.test(/sign-in/[A-Za-z0-9_-]{43})\?ui=[a-z]+`)

// requestLink asks for a sign-in link for email and returns its path, read
// from the email queued in the database.
func (e *staffEnv) requestLink(email string) string {
	e.t.Helper()
	rec := e.do(http.MethodPost, "/sign-in?ui=en", url.Values{"email": {email}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/sign-in/sent?ui=en" {
		e.t.Fatalf("ask for a link: %d %s", rec.Code, rec.Body)
	}
	m, ok := e.lastMail("sign_in", email)
	if !ok {
		e.t.Fatalf("no sign-in email for %s", email)
	}
	link := signInLink.FindStringSubmatch(m.Text)
	if link == nil {
		e.t.Fatalf("no link in:\n%s", m.Text)
	}
	return link[1]
}

// signIn signs email in through the emailed link and returns the session
// cookie.
func (e *staffEnv) signIn(email string) *http.Cookie {
	e.t.Helper()
	link := e.requestLink(email)
	if rec := e.do(http.MethodGet, link+"?ui=en", nil); rec.Code != http.StatusOK || len(rec.Result().Cookies()) > 0 {
		e.t.Fatalf("open the link: %d, cookies %v", rec.Code, rec.Result().Cookies())
	}
	rec := e.do(http.MethodPost, link+"?ui=en", url.Values{})
	if loc := rec.Header().Get("Location"); rec.Code != http.StatusSeeOther || loc != "/moderate?ui=en" && loc != "/lists?ui=en" {
		e.t.Fatalf("sign in: %d %s", rec.Code, rec.Body)
	}
	for _, c := range rec.Result().Cookies() {
		if c.Name == "belong_session" && c.Value != "" {
			return c
		}
	}
	e.t.Fatalf("no session cookie: %v", rec.Header()["Set-Cookie"])
	return nil
}

// submit stands in for the organizer's side: a draft listing with a private
// contact and a new-listing revision waiting for a moderator.
func (e *staffEnv) submit(l *directory.Listing, contact string) directory.Revision {
	e.t.Helper()
	l.Status, l.ContactEmail, l.ContactLang = directory.Draft, contact, "es"
	var rev directory.Revision
	err := e.st.InTx(e.t.Context(), func(tx *store.Tx) error {
		if _, err := tx.SaveListing(e.t.Context(), l, "organizer"); err != nil {
			return err
		}
		proposed := *l
		proposed.Status = directory.Published
		rev = directory.Revision{ListingID: l.ID, Kind: directory.NewListing, State: directory.Pending,
			Proposed: proposed, BaseVersion: l.Version}
		return tx.AddRevision(e.t.Context(), &rev)
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return rev
}

// publish saves l as a published listing with a private contact.
func (e *staffEnv) publish(l *directory.Listing, contact string) {
	e.t.Helper()
	l.ContactEmail, l.ContactLang = contact, "en"
	if err := e.st.InTx(e.t.Context(), func(tx *store.Tx) error {
		_, err := tx.SaveListing(e.t.Context(), l, "import")
		return err
	}); err != nil {
		e.t.Fatal(err)
	}
}

// proposeEdit stands in for an organizer's edit of a published listing.
func (e *staffEnv) proposeEdit(slug string, change func(*directory.Listing)) directory.Revision {
	e.t.Helper()
	cur, err := e.st.Listing(e.t.Context(), slug)
	if err != nil {
		e.t.Fatal(err)
	}
	proposed := cur
	change(&proposed)
	rev := directory.Revision{ListingID: cur.ID, Kind: directory.Edit, State: directory.Pending, Proposed: proposed,
		BaseVersion: cur.Version}
	if err := e.st.InTx(e.t.Context(), func(tx *store.Tx) error { return tx.AddRevision(e.t.Context(), &rev) }); err != nil {
		e.t.Fatal(err)
	}
	return rev
}

// drain applies every waiting outbox row to the search index.
func (e *staffEnv) drain() {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(e.t.Context(), 2*time.Minute)
	defer cancel()
	for {
		n, err := e.st.ProcessOutbox(ctx, 100, indexer.DefaultLease, e.ix.Apply)
		if err != nil {
			e.t.Fatalf("process outbox: %v", err)
		}
		if n == 0 {
			return
		}
	}
}

// deadRedis is a client for a Redis that is not there.
func deadRedis(t *testing.T) *redis.Client {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", DialTimeout: 200 * time.Millisecond,
		ReadTimeout: 200 * time.Millisecond, MaxRetries: -1})
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

func mustContain(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s does not contain %q", what, w)
		}
	}
}
