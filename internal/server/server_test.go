package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/belong-directory/belong/internal/config"
	"github.com/belong-directory/belong/internal/corrections"
	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/formtoken"
	"github.com/belong-directory/belong/internal/health"
	"github.com/belong-directory/belong/internal/i18n"
	"github.com/belong-directory/belong/internal/interop"
	"github.com/belong-directory/belong/internal/listings"
	"github.com/belong-directory/belong/internal/mail"
	"github.com/belong-directory/belong/internal/ratelimit"
	"github.com/belong-directory/belong/internal/search"
	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/internal/submissions"
	"github.com/belong-directory/belong/internal/testenv"
	"github.com/belong-directory/belong/internal/view"
	"github.com/belong-directory/belong/web"
)

// testServer builds a server on a fresh database whose searches go to the
// PostgreSQL searcher on that database, as the fallback answers; logs go to the
// returned buffer.
func testServer(t *testing.T, checks ...health.Check) (*Server, *bytes.Buffer) {
	t.Helper()
	st := testenv.Store(t)
	return newTestServer(t, st, postgresEngine(t, st), checks...)
}

// newTestServer builds a server on st whose searches go to engine.
// Without checks, readiness checks only the database.
func newTestServer(t *testing.T, st *store.Store, engine search.Engine, checks ...health.Check) (*Server, *bytes.Buffer) {
	t.Helper()
	return newTestServerWith(t, testConfig(t), st, engine, checks...)
}

// newTestServerWith is newTestServer with a configuration of the test's own.
func newTestServerWith(t *testing.T, cfg config.Config, st *store.Store, engine search.Engine,
	checks ...health.Check) (*Server, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	catalogs, err := i18n.Load(web.Translations, "i18n")
	if err != nil {
		t.Fatal(err)
	}
	renderer, err := view.New(catalogs, nil)
	if err != nil {
		t.Fatal(err)
	}
	dir, err := listings.New(context.Background(), st, listings.Options{UILangs: catalogs.Languages(), Log: log,
		Thresholds: directory.Thresholds{AgingAfter: cfg.AgingAfter, StaleAfter: cfg.StaleAfter}})
	if err != nil {
		t.Fatal(err)
	}
	if checks == nil {
		checks = []health.Check{{Name: "postgres", Required: true, Ping: st.Ping}}
	}
	subs := submissions.New(st, dir.Vocabulary(), mail.Composer{Catalogs: catalogs, BaseURL: cfg.BaseURL}, cfg.BaseURL,
		time.Now, log)
	corr := corrections.New(st, corrections.Options{Links: subs, Mail: mail.Composer{Catalogs: catalogs, BaseURL: cfg.BaseURL},
		BaseURL: cfg.BaseURL})
	srv, err := New(Deps{Config: cfg, Log: log, Directory: dir, View: renderer, Search: engine, Vocabulary: dir.Vocabulary(),
		Submissions: subs, Corrections: corr, Forms: formtoken.New("", time.Hour, 0), Limits: ratelimit.New(nil, "", "", time.Now),
		Interop: interop.New(dir, cfg.BaseURL, time.Now),
		Health:  health.NewMonitor(log, time.Second, checks...)})
	if err != nil {
		t.Fatal(err)
	}
	return srv, &logs
}

// do sends one request through the whole middleware stack.
func do(srv *Server, method, target string, header map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	return rec
}

func TestSecurityHeadersOnEveryResponse(t *testing.T) {
	srv, _ := testServer(t)
	for _, target := range []string{"/healthz", "/no-such-page"} {
		rec := do(srv, http.MethodGet, target, nil)
		h := rec.Header()
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("%s: weak CSP %q", target, csp)
		}
		for name, want := range map[string]string{
			"Referrer-Policy":        "no-referrer",
			"X-Content-Type-Options": "nosniff",
			"X-Frame-Options":        "DENY",
		} {
			if got := h.Get(name); got != want {
				t.Errorf("%s: %s = %q, want %q", target, name, got, want)
			}
		}
		if h.Get(echo.HeaderXRequestID) == "" {
			t.Errorf("%s: no request id", target)
		}
		if h.Get("Set-Cookie") != "" {
			t.Errorf("%s: sets a cookie", target)
		}
	}
}

func TestLogsHoldNoAddressOrQuery(t *testing.T) {
	srv, logs := testServer(t)
	// A point no timestamp can hold by chance, as "41.9" could (…:41.9…Z).
	req := httptest.NewRequest(http.MethodGet, "/healthz?q=grief+support&near=-33.8688,151.2093", nil)
	req.RemoteAddr = "203.0.113.77:5555"
	req.Header.Set("X-Forwarded-For", "198.51.100.9")
	srv.Handler().ServeHTTP(httptest.NewRecorder(), req)
	out := logs.String()
	if !strings.Contains(out, `"route":"/healthz"`) {
		t.Fatalf("request not logged: %s", out)
	}
	for _, leak := range []string{"203.0.113.77", "198.51.100.9", "grief", "-33.8688", "151.2093"} {
		if strings.Contains(out, leak) {
			t.Errorf("log contains %q: %s", leak, out)
		}
	}
}

func TestErrorHandlerSpeaksProblemJSONAndHTML(t *testing.T) {
	srv, logs := testServer(t)
	srv.echo.GET("/api/v1/boom", func(echo.Context) error { return errors.New("database exploded: secret detail") })
	srv.echo.GET("/api/v1/missing", func(echo.Context) error { return directory.ErrNotFound })
	srv.echo.GET("/api/v1/invalid", func(echo.Context) error {
		return (&directory.ValidationError{}).Add("per_page", "search.per_page", "must be 100 or fewer")
	})

	rec := do(srv, http.MethodGet, "/api/v1/boom", nil)
	var p Problem
	if rec.Code != 500 || rec.Header().Get("Content-Type") != "application/problem+json" {
		t.Fatalf("500: got %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil || p.Status != 500 || strings.Contains(rec.Body.String(), "secret") {
		t.Fatalf("500 body leaks or is malformed: %s", rec.Body)
	}
	if !strings.Contains(logs.String(), "database exploded") {
		t.Fatal("a 500 must be logged with its cause")
	}

	rec = do(srv, http.MethodGet, "/api/v1/missing", nil)
	if rec.Code != 404 {
		t.Fatalf("not found: got %d", rec.Code)
	}
	rec = do(srv, http.MethodGet, "/api/v1/invalid", nil)
	_ = json.Unmarshal(rec.Body.Bytes(), &p)
	if rec.Code != 400 || len(p.Errors) != 1 || p.Errors[0].Field != "per_page" {
		t.Fatalf("validation: got %d %s", rec.Code, rec.Body)
	}

	rec = do(srv, http.MethodGet, "/no-such-page", map[string]string{"Accept-Language": "es-MX,es;q=0.9"})
	body := rec.Body.String()
	if rec.Code != 404 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
		t.Fatalf("html 404: got %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	if !strings.Contains(body, `lang="es"`) || !strings.Contains(body, "No encontramos esa página") || !strings.Contains(body, `href="/?ui=es"`) {
		t.Fatalf("404 page should be in Spanish with a way back: %s", body)
	}
}

func TestBodyLimit(t *testing.T) {
	srv, _ := testServer(t)
	srv.echo.POST("/api/v1/echo", func(c echo.Context) error {
		var v map[string]any
		if err := c.Bind(&v); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	})
	big := bytes.Repeat([]byte("a"), 300<<10)
	req := httptest.NewRequest(http.MethodPost, "/api/v1/echo", bytes.NewReader(big))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	srv.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("oversized body: got %d", rec.Code)
	}
}

func TestReadyzReportsEachService(t *testing.T) {
	down := func(context.Context) error { return errors.New("dial tcp 10.0.0.7:6379: connection refused") }
	up := func(context.Context) error { return nil }
	srv, _ := testServer(t,
		health.Check{Name: "postgres", Required: true, Ping: up},
		health.Check{Name: "redis", Ping: down},
		health.Check{Name: "meilisearch", Ping: up})
	rec := do(srv, http.MethodGet, "/readyz", nil)
	var r health.Report
	if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil {
		t.Fatal(err)
	}
	if rec.Code != 200 || !r.Degraded || r.Checks["redis"].State != health.Down || r.Checks["meilisearch"].State != health.Up {
		t.Fatalf("degraded but ready expected: %d %s", rec.Code, rec.Body)
	}
	// The public sees states; the operator's log says why.
	if strings.Contains(rec.Body.String(), "10.0.0.7") || strings.Contains(rec.Body.String(), "refused") {
		t.Fatalf("readyz shows internal detail: %s", rec.Body)
	}

	srv, _ = testServer(t, health.Check{Name: "postgres", Required: true, Ping: down})
	if rec := do(srv, http.MethodGet, "/readyz", nil); rec.Code != http.StatusServiceUnavailable {
		t.Fatalf("postgres down must be 503, got %d", rec.Code)
	}
	if rec := do(srv, http.MethodGet, "/healthz", nil); rec.Code != http.StatusOK {
		t.Fatalf("healthz must stay 200 while alive, got %d", rec.Code)
	}
}

func TestStaticFilesUnderContentHash(t *testing.T) {
	srv, _ := testServer(t)
	url, err := srv.View.AssetURL("belong.css")
	if err != nil {
		t.Fatal(err)
	}
	rec := do(srv, http.MethodGet, url, nil)
	if rec.Code != 200 || !strings.Contains(rec.Header().Get("Cache-Control"), "immutable") {
		t.Fatalf("static: %d %q", rec.Code, rec.Header().Get("Cache-Control"))
	}
	if rec := do(srv, http.MethodGet, "/static/belong.css", nil); rec.Code != 404 {
		t.Fatalf("unhashed static path should 404, got %d", rec.Code)
	}
}

func TestCrossSitePostsAreRefused(t *testing.T) {
	srv, _ := testServer(t)
	for _, h := range []map[string]string{
		{"Sec-Fetch-Site": "cross-site"},
		{"Origin": "https://evil.example"},
	} {
		rec := do(srv, http.MethodPost, "/", h)
		if rec.Code != http.StatusForbidden {
			t.Errorf("cross-site POST with %v: %d", h, rec.Code)
		}
	}
	if rec := do(srv, http.MethodGet, "/healthz", map[string]string{"Sec-Fetch-Site": "cross-site"}); rec.Code != http.StatusOK {
		t.Errorf("a cross-site GET is a link, not an attack: %d", rec.Code)
	}
}
