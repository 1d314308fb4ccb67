package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/testenv"
)

// access is who a route is for.
type access int

const (
	public   access = iota // anyone, signed in or not
	signedIn               // anyone signed in
	moderators
	peers // peer workers (and admins)
	admins
)

// routeAccess is the expectation for every route of the route table. A route
// added without one fails TestEveryRouteAnswersEveryRoleAsExpected: say who it
// is for here.
var routeAccess = map[string]access{
	"GET /healthz":                               public,
	"GET /readyz":                                public,
	"GET /static/*":                              public,
	"GET /api/v1/listings":                       public,
	"GET /api/v1/listings/:idOrSlug":             public,
	"GET /api/v1/tags":                           public,
	"GET /api/v1/openapi.json":                   public,
	"GET /":                                      public,
	"GET /groups/:slug":                          public,
	"GET /groups/:slug/calendar.ics":             public,
	"GET /groups/:slug/history":                  public,
	"GET /about/listing-criteria":                public,
	"GET /gaps":                                  public, // moderators see more: gaps_test.go
	"GET /gaps.csv":                              public, // moderators see more: gaps_test.go
	"GET /submit":                                public,
	"POST /submit":                               public,
	"GET /submit/sent":                           public,
	"POST /api/v1/submissions":                   public,
	"GET /manage":                                public,
	"POST /manage":                               public,
	"GET /manage/sent":                           public,
	"GET /manage/:token":                         public,
	"GET /manage/:token/edit":                    public,
	"POST /manage/:token/edit":                   public,
	"POST /manage/:token/:action":                public,
	"GET /api/meeting-guide.json":                public,
	"GET /hsds":                                  public,
	"GET /hsds/services":                         public,
	"GET /hsds/services/:id":                     public,
	"GET /hsds/organizations":                    public,
	"GET /hsds/organizations/:id":                public,
	"GET /hsds/taxonomies":                       public,
	"GET /hsds/taxonomies/:id":                   public,
	"GET /hsds/taxonomy_terms":                   public,
	"GET /hsds/taxonomy_terms/:id":               public,
	"GET /sign-in":                               public,
	"POST /sign-in":                              public,
	"GET /sign-in/sent":                          public,
	"GET /sign-in/:token":                        public,
	"POST /sign-in/:token":                       public,
	"POST /sign-out":                             signedIn,
	"POST /sign-out/everywhere":                  signedIn,
	"GET /moderate":                              moderators,
	"GET /moderate/revisions/:id":                moderators,
	"POST /moderate/revisions/:id/approve":       moderators,
	"POST /moderate/revisions/:id/decline":       moderators,
	"GET /moderate/listings/:slug":               moderators,
	"POST /moderate/listings/:slug/revoke-links": moderators,
	"GET /list":                                  public,
	"POST /list":                                 public,
	"GET /r/:code":                               public,
	"GET /r/:code/print":                         public,
	"GET /r/:code/text":                          public,
	"GET /r/:code/qr.svg":                        public,
	"GET /r/:code/qr.png":                        public,
	"GET /r/:code/share":                         public,
	"POST /r/:code/marks":                        public,
	"GET /lists":                                 peers,
	"POST /lists/:id/renew":                      peers,
	"POST /lists/:id/follow-up":                  peers,
	"POST /lists/:id/delete":                     peers,
	"GET /admin/users":                           admins,
	"POST /admin/users":                          admins,
	"POST /admin/users/:id/disable":              admins,
	"GET /admin/import":                          admins,
	"POST /admin/import":                         admins,
	"GET /admin/import/template.csv":             admins,
	"GET /admin/import/columns":                  admins,

	// Corrections: anyone sends one and follows it; the organizer answers from
	// a manage link; moderators decide.
	"GET /groups/:slug/correction":                public,
	"POST /groups/:slug/correction":               public,
	"GET /corrections/:token":                     public,
	"GET /manage/:token/corrections/:id":          public,
	"POST /manage/:token/corrections/:id/confirm": public,
	"GET /moderate/corrections/:id":               moderators,
	"POST /moderate/corrections/:id/apply":        moderators,
	"POST /moderate/corrections/:id/decline":      moderators,
	"GET /admin/feeds":                            admins,
	"POST /admin/feeds":                           admins,
	"GET /admin/feeds/:id":                        admins,
	"POST /admin/feeds/:id/sync":                  admins,
	"POST /admin/feeds/:id/confirm-drop":          admins,
	"POST /admin/feeds/:id/remove":                admins,
}

// endsSession are the routes after which the walk signs in again.
var endsSession = map[string]bool{"POST /sign-out": true, "POST /sign-out/everywhere": true}

// TestEveryRouteAnswersEveryRoleAsExpected walks the route table Echo holds
// with each role: anonymous people are sent to sign in (pages) or refused
// (forms) on staff routes and never get a cookie; moderators are refused admin
// and peer-worker routes, peer workers moderator and admin routes; public
// routes answer everyone alike.
func TestEveryRouteAnswersEveryRoleAsExpected(t *testing.T) {
	e := newStaffEnv(t)
	e.addUser("mod@example.org", directory.Moderator)
	e.addUser("admin@example.org", directory.Admin)
	e.addUser("peer@example.org", directory.Peer)
	other := e.addUser("other@example.org", directory.Moderator)
	e.publish(testenv.WeeklyGroup("walk-group"), "org@example.org")
	rev := e.submit(testenv.WeeklyGroup("walk-new"), "new@example.org")
	params := map[string]string{":slug": "walk-group", ":idOrSlug": "walk-group", ":id": rev.ID,
		":token": strings.Repeat("A", 43), ":action": "confirm", "*": "nothing.css", ":code": "ABCD-EFGH-JKMNP"}

	routes := e.web.Server.Routes()
	seen := map[string]bool{}
	for _, r := range routes {
		seen[r.Method+" "+r.Path] = true
	}
	for key := range routeAccess {
		if !seen[key] {
			t.Errorf("routeAccess names %s, which the route table does not have", key)
		}
	}

	roles := []struct {
		name  string
		email string
		role  directory.Role
	}{{"anonymous", "", ""}, {"moderator", "mod@example.org", directory.Moderator},
		{"peer worker", "peer@example.org", directory.Peer}, {"admin", "admin@example.org", directory.Admin}}
	for _, role := range roles {
		var cookie *http.Cookie
		for _, r := range routes {
			key := r.Method + " " + r.Path
			want, ok := routeAccess[key]
			if !ok && r.Method == http.MethodHead {
				want, ok = routeAccess["GET "+r.Path] // every GET route answers HEAD alike
			}
			if !ok {
				t.Errorf("%s has no expectation in routeAccess: say who it is for", key)
				continue
			}
			if role.email != "" && cookie == nil {
				cookie = e.signIn(role.email)
			}
			target := r.Path
			for p, v := range params {
				target = strings.ReplaceAll(target, p, v)
			}
			if strings.HasPrefix(key, "POST /admin/users/:id") {
				target = strings.ReplaceAll(r.Path, ":id", other.ID)
			}
			var form url.Values
			if r.Method == http.MethodPost {
				form = url.Values{}
			}
			rec := e.do(r.Method, target, form, cookie)
			if err := judge(want, role.role, r.Method, rec.Code, rec.Header()); err != nil {
				t.Errorf("%s as %s (%s): %v", key, role.name, target, err)
			}
			if role.email == "" && rec.Header().Get("Set-Cookie") != "" {
				t.Errorf("%s gave an anonymous visitor a cookie: %s", key, rec.Header().Get("Set-Cookie"))
			}
			if endsSession[key] {
				cookie = nil
			}
		}
	}
}

// judge says what is wrong with an answer, or nil.
func judge(want access, role directory.Role, method string, code int, h http.Header) error {
	toSignIn := false
	if code == http.StatusSeeOther {
		if u, err := url.Parse(h.Get("Location")); err == nil && u.Path == "/sign-in" {
			toSignIn = true
		}
	}
	allowed := func() error {
		if code == http.StatusForbidden || code == http.StatusUnauthorized || toSignIn || code >= 500 {
			return fmt.Errorf("refused someone it is for: %d %s", code, h.Get("Location"))
		}
		return nil
	}
	if want == public {
		return allowed()
	}
	if role == "" {
		switch {
		case (method == http.MethodGet || method == http.MethodHead) && !toSignIn:
			return fmt.Errorf("want 303 to /sign-in, got %d %s", code, h.Get("Location"))
		case method != http.MethodGet && method != http.MethodHead && code != http.StatusForbidden:
			return fmt.Errorf("want 403, got %d", code)
		}
		return nil
	}
	needs := map[access]directory.Role{moderators: directory.Moderator, peers: directory.Peer, admins: directory.Admin}[want]
	if needs != "" && !role.Grants(needs) {
		if code != http.StatusForbidden {
			return fmt.Errorf("want 403 for a %s, got %d", role, code)
		}
		return nil
	}
	return allowed()
}
