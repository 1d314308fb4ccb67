package server

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/belong-directory/belong/internal/testenv"
)

// hrefs are the links of an HTML page.
var hrefs = regexp.MustCompile(`href="([^"]*)"`)

// Links built from the request path stay on this site.
func TestLinksFromThePathStayOnThisSite(t *testing.T) {
	srv, _ := testServer(t)
	for _, target := range []string{"///evil.example/x", "//evil.example/x", "/\\evil.example/x", "/%5Cevil.example"} {
		rec := do(srv, http.MethodGet, target, nil)
		if rec.Code != http.StatusNotFound {
			t.Fatalf("%s: %d", target, rec.Code)
		}
		for _, m := range hrefs.FindAllStringSubmatch(rec.Body.String(), -1) {
			h := m[1]
			if u, err := url.Parse(h); err != nil || u.Host != "" || strings.HasPrefix(h, "//") || strings.Contains(h, `\`) {
				t.Errorf("%s: link %q leaves the site", target, h)
			}
		}
	}
}

// Caching headers say what an answer varies by and who may keep it.
func TestCachingHeaders(t *testing.T) {
	srv, _ := testServer(t)
	saveListing(t, srv, sampleListing("circulo-de-duelo"))
	gzip := map[string]string{"Accept-Encoding": "gzip"}
	vary := func(rec *httptest.ResponseRecorder) string { return strings.Join(rec.Header().Values("Vary"), ", ") }

	rec := do(srv, http.MethodGet, "/api/v1/tags", gzip)
	if v := vary(rec); !strings.Contains(v, "Accept-Encoding") || !strings.Contains(v, "Accept-Language") {
		t.Errorf("/api/v1/tags: Vary %q must keep gzip's Accept-Encoding and add Accept-Language", v)
	}
	for _, target := range []string{"/groups/circulo-de-duelo", "/groups/circulo-de-duelo/calendar.ics"} {
		rec = do(srv, http.MethodGet, target, gzip)
		if rec.Code != http.StatusOK || rec.Header().Get("Cache-Control") != "private, no-store" {
			t.Errorf("%s: %d Cache-Control %q", target, rec.Code, rec.Header().Get("Cache-Control"))
		}
	}
	rec = do(srv, http.MethodGet, "/groups/circulo-de-duelo", gzip)
	if v := vary(rec); !strings.Contains(v, "Accept-Language") || !strings.Contains(v, "Accept-Encoding") {
		t.Errorf("group page: Vary %q", v)
	}
	rec = do(srv, http.MethodGet, "/no-such-page", gzip)
	if v := vary(rec); !strings.Contains(v, "Accept") || !strings.Contains(v, "Accept-Encoding") {
		t.Errorf("an error page that follows Accept: Vary %q", v)
	}
	if v := vary(rec); !strings.Contains(", "+v+",", ", Accept,") {
		t.Errorf("an error page that follows Accept must say Vary: Accept, got %q", v)
	}
}

// Answers of a kilobyte or more are gzipped for a client that accepts it, and
// only then; small ones, and errors, still say what they vary by.
func TestAnswersAreCompressedForClientsThatAcceptIt(t *testing.T) {
	srv, _ := testServer(t)
	rec := do(srv, http.MethodGet, "/api/v1/tags", map[string]string{"Accept-Encoding": "gzip"})
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Encoding") != "gzip" {
		t.Fatalf("/api/v1/tags with gzip: %d, Content-Encoding %q", rec.Code, rec.Header().Get("Content-Encoding"))
	}
	zr, err := gzip.NewReader(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	var tags any
	if err := json.NewDecoder(zr).Decode(&tags); err != nil {
		t.Fatalf("the gzipped answer is not JSON: %v", err)
	}
	plain := do(srv, http.MethodGet, "/api/v1/tags", nil)
	if plain.Header().Get("Content-Encoding") != "" || !json.Valid(plain.Body.Bytes()) {
		t.Errorf("without Accept-Encoding: Content-Encoding %q", plain.Header().Get("Content-Encoding"))
	}
	small := do(srv, http.MethodGet, "/healthz", map[string]string{"Accept-Encoding": "gzip"})
	if small.Header().Get("Content-Encoding") != "" {
		t.Errorf("/healthz (%d bytes) was compressed", small.Body.Len())
	}
}

// HEAD answers wherever GET does, with the same status and no body on the wire.
func TestHeadWorksWhereGetDoes(t *testing.T) {
	srv, _ := testServer(t)
	saveListing(t, srv, sampleListing("circulo-de-duelo"))
	static, err := srv.View.AssetURL("belong.css")
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"/", "/healthz", "/readyz", static, "/api/v1/listings", "/api/v1/tags",
		"/api/v1/openapi.json", "/api/v1/listings/circulo-de-duelo", "/groups/circulo-de-duelo",
		"/groups/circulo-de-duelo/calendar.ics", "/groups/nobody"} {
		get, head := do(srv, http.MethodGet, target, nil), do(srv, http.MethodHead, target, nil)
		if head.Code != get.Code || head.Code == http.StatusMethodNotAllowed {
			t.Errorf("HEAD %s: %d, GET: %d", target, head.Code, get.Code)
		}
	}
}

// q=0 means "not this language"; a huge header is read only at its start.
func TestAcceptLanguageIsNegotiated(t *testing.T) {
	srv, _ := testServer(t)
	for header, want := range map[string]string{
		"es;q=0":                          `<html lang="en"`,
		"es;q=0, en;q=0.5":                `<html lang="en"`,
		"es-MX;q=0.9, en;q=0.2":           `<html lang="es"`,
		"es, " + strings.Repeat("a", 1e5): `<html lang="es"`,
	} {
		rec := do(srv, http.MethodGet, "/", map[string]string{"Accept-Language": header})
		if !strings.Contains(rec.Body.String(), want) {
			t.Errorf("Accept-Language %.30q: want %s", header, want)
		}
	}
}

// A value given many times counts once, on the page and in the API.
func TestRepeatedValuesCountOnce(t *testing.T) {
	srv, _ := testServer(t)
	query := strings.Repeat("need=cost.free&", 21)
	for _, target := range []string{"/?" + query, "/api/v1/listings?" + query} {
		if rec := do(srv, http.MethodGet, target, nil); rec.Code != http.StatusOK {
			t.Errorf("%.40s: %d", target, rec.Code)
		}
	}
}

// A page past the end is a 404 with a way to the last page.
func TestSearchPagePastTheEnd(t *testing.T) {
	srv, _ := testServer(t)
	saveListing(t, srv, sampleListing("circulo-de-duelo"))
	rec := do(srv, http.MethodGet, "/?page=500&ui=es", nil)
	body := rec.Body.String()
	if rec.Code != http.StatusNotFound || strings.Contains(body, "500 de") {
		t.Fatalf("page 500 of 1: %d", rec.Code)
	}
	if !strings.Contains(body, "No hay tantas páginas") || !strings.Contains(body, `href="/?per_page=20&amp;ui=es#results"`) {
		t.Fatalf("want a Spanish 404 linking to the last page: %s", body)
	}
	if rec := do(srv, http.MethodGet, "/?page=1", nil); rec.Code != http.StatusOK {
		t.Fatalf("page 1: %d", rec.Code)
	}
}

// Text the page cannot read is named, not dropped: /?q=% is not "everything".
func TestSearchPageSaysWhatItCouldNotRead(t *testing.T) {
	srv, _ := testServer(t)
	saveListing(t, srv, sampleListing("circulo-de-duelo"))
	rec := do(srv, http.MethodGet, "/?q=%&need=cost.free", nil)
	body := rec.Body.String()
	if rec.Code != http.StatusBadRequest || !strings.Contains(body, "Part of this link could not be read") {
		t.Fatalf("want 400 saying part of the link was unreadable: %d", rec.Code)
	}
	if strings.Contains(body, "Círculo de duelo") {
		t.Fatal("the page searched without the unreadable words")
	}
	if !regexp.MustCompile(`name="need" value="cost.free"[^>]*checked`).MatchString(body) {
		t.Fatal("the readable part of the form must be kept")
	}
}

// Input is echoed back only in part.
func TestEchoedInputIsCapped(t *testing.T) {
	srv, _ := testServer(t)
	long := strings.Repeat("a", 100_000)
	normal := do(srv, http.MethodGet, "/", nil).Body.Len()
	for _, target := range []string{"/?q=" + long, "/?q=x&" + long + "=1", "/?city=" + long, "/api/v1/listings?q=" + long} {
		rec := do(srv, http.MethodGet, target, nil)
		if rec.Code != http.StatusBadRequest && rec.Code != http.StatusOK {
			t.Errorf("%.30s: %d", target, rec.Code)
		}
		if n := rec.Body.Len(); n > normal+5_000 || strings.Contains(rec.Body.String(), strings.Repeat("a", 1000)) {
			t.Errorf("%.30s: echoed %d bytes (a plain page is %d)", target, n, normal)
		}
	}
}

// Numbers are decimal only, on the page and in the API.
func TestNumbersAreDecimalOnly(t *testing.T) {
	srv, _ := testServer(t)
	for _, target := range []string{"/?near=0x1p-2,1_0", "/api/v1/listings?near=0x1p-2,1_0", "/api/v1/listings?page=0x2"} {
		if rec := do(srv, http.MethodGet, target, nil); rec.Code != http.StatusBadRequest {
			t.Errorf("%s: %d", target, rec.Code)
		}
	}
}

// Request logs name the route, never the path: not which group a person
// looked at, nor a huge or bidi-laden path nobody routes.
func TestRequestLogsHoldTheRouteNotThePath(t *testing.T) {
	srv, logs := testServer(t)
	saveListing(t, srv, sampleListing("trans-peer-support-north-side"))
	do(srv, http.MethodGet, "/groups/trans-peer-support-north-side", nil)
	do(srv, http.MethodGet, "/"+strings.Repeat("x", 100_000), nil)
	do(srv, http.MethodGet, "/groups/a/b/\u202egnp.exe", nil)
	out := logs.String()
	if !strings.Contains(out, `"route":"/groups/:slug"`) || !strings.Contains(out, `"route":"unrouted"`) {
		t.Fatalf("routes not logged: %s", out)
	}
	for _, leak := range []string{"trans-peer", "xxxxxxxxxx", "\u202e", `\u202e`, "gnp.exe"} {
		if strings.Contains(out, leak) {
			t.Errorf("the log holds %q: %.500s", leak, out)
		}
	}
}

// When PostgreSQL goes away under a page, the log says what kind of failure it
// was, never the connection string's user, host and port.
func TestPageLoadFailureLogsTheKindNotTheConnection(t *testing.T) {
	srv, logs := testServer(t)
	ctx := context.Background()
	var db string
	if err := srv.Submissions.Store().Pool().QueryRow(ctx, "SELECT current_database()").Scan(&db); err != nil {
		t.Fatal(err)
	}
	admin, err := pgx.Connect(ctx, testenv.AdminURL())
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	// Its database gone, every new connection the pool makes is refused.
	if _, err := admin.Exec(ctx, "DROP DATABASE "+db+" WITH (FORCE)"); err != nil {
		t.Fatal(err)
	}
	srv.Submissions.Store().Pool().Reset()
	rec := do(srv, http.MethodGet, "/groups/anything", nil)
	if rec.Code < 500 {
		t.Fatalf("want a 5xx without a database, got %d", rec.Code)
	}
	cfg := srv.Submissions.Store().Pool().Config().ConnConfig
	out := logs.String()
	if !strings.Contains(out, `"failure":"database unreachable"`) {
		t.Fatalf("the kind of failure is not logged: %s", out)
	}
	for _, leak := range []string{"user=" + cfg.User, cfg.Host + ":", db} {
		if strings.Contains(out, leak) {
			t.Errorf("the log holds %q: %s", leak, out)
		}
	}
}
