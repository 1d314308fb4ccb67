package server

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/search"
	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/internal/testenv"
)

func ptr[T any](v T) *T { return &v }

// sampleListing is a realistic listing: in person, Spanish-speaking, with a
// partly-met need and a note.
func sampleListing(slug string) directory.Listing {
	now := time.Now()
	return directory.Listing{
		Slug: slug, Name: "Círculo de duelo", Summary: "Un espacio tranquilo para hablar de una pérdida.",
		Description: "Nos sentamos en círculo y cada quien habla si quiere.", WhatToExpect: "Té, pañuelos y nadie te apura.",
		TextLang: "es", Status: "published", ConfirmedAt: now.Add(-30 * 24 * time.Hour), ConfirmedBy: directory.ByOrganizer,
		Email: "hola@example.org", CostNote: "Gratis, siempre.", HowToJoin: "Llega cuando quieras.",
		Organization: directory.Organization{Slug: "casa-abierta", Name: "Casa Abierta"},
		Locations: []directory.Location{{Kind: directory.Physical, Name: "Casa Aztlán", Address: "1831 S Racine Ave",
			Neighbourhood: "Pilsen", City: "Chicago", Region: "IL", Country: "US", Lat: ptr(41.857), Lng: ptr(-87.656),
			TransitNotes: "Pink Line to 18th, 5 min walk"}},
		Schedules: []directory.Schedule{{Freq: "MONTHLY", Interval: 1, ByDay: "-1FR", OpensAt: "18:30", ClosesAt: "20:00",
			Start: "2026-01-01", TimeZone: "America/Chicago"}},
		Tags: []directory.ListingTag{
			{Tag: "access.step-free", Value: directory.Partly, Note: "un escalón de 5 cm en la puerta", Source: directory.ByOrganizer, ConfirmedAt: now},
			{Tag: "cost.free", Value: directory.Yes, Source: directory.ByOrganizer, ConfirmedAt: now},
		},
		Languages: []string{"es", "en"},
	}
}

// saveInStore saves a listing before any server exists to save it through.
func saveInStore(t *testing.T, st *store.Store, l *directory.Listing) {
	t.Helper()
	if err := st.InTx(context.Background(), func(tx *store.Tx) error {
		_, err := tx.SaveListing(context.Background(), l, "test")
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// saveListing saves through the directory service, as every writer does.
func saveListing(t *testing.T, srv *Server, l directory.Listing) directory.Listing {
	t.Helper()
	if err := srv.Directory.Save(context.Background(), &l, "test"); err != nil {
		t.Fatal(err)
	}
	return l
}

func TestListingPageInBothLanguages(t *testing.T) {
	srv, _ := testServer(t)
	saveListing(t, srv, sampleListing("circulo-de-duelo"))

	rec := do(srv, http.MethodGet, "/groups/circulo-de-duelo?ui=en", nil)
	body := rec.Body.String()
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, body)
	}
	for _, want := range []string{
		`<html lang="en"`, `lang="es">Círculo de duelo</h1>`, "Last Friday of each month", "6:30 pm – 8 pm",
		"Step-free", "In part", "un escalón de 5 cm en la puerta", "1831 S Racine Ave", "Pink Line",
		`href="/groups/circulo-de-duelo/calendar.ics"`, `application/ld+json`, `"@type":"Event"`,
		"Last confirmed", "the organizer", `hreflang="es"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("English page lacks %q", want)
		}
	}
	rec = do(srv, http.MethodGet, "/groups/circulo-de-duelo", map[string]string{"Accept-Language": "es-MX"})
	body = rec.Body.String()
	for _, want := range []string{`<html lang="es"`, "Último viernes de cada mes", "18:30 – 20:00", "Sin escalones", "En parte"} {
		if !strings.Contains(body, want) {
			t.Errorf("Spanish page lacks %q", want)
		}
	}
}

func TestDiscreetListingHidesTheAddress(t *testing.T) {
	srv, _ := testServer(t)
	l := sampleListing("trans-peer-circle")
	l.Locations[0].Discreet = true
	saveListing(t, srv, l)
	for _, path := range []string{"/groups/trans-peer-circle", "/groups/trans-peer-circle/calendar.ics"} {
		rec := do(srv, http.MethodGet, path, nil)
		if rec.Code != 200 || strings.Contains(rec.Body.String(), "Racine") {
			t.Fatalf("%s: %d, address shown: %v", path, rec.Code, strings.Contains(rec.Body.String(), "Racine"))
		}
	}
	if body := do(srv, http.MethodGet, "/groups/trans-peer-circle?ui=en", nil).Body.String(); !strings.Contains(body, "Pilsen, Chicago") {
		t.Fatal("the area should be shown")
	}
}

func TestCalendarDownloadAndItsUnhappyPaths(t *testing.T) {
	srv, _ := testServer(t)
	saveListing(t, srv, sampleListing("circulo-de-duelo"))
	rec := do(srv, http.MethodGet, "/groups/circulo-de-duelo/calendar.ics", nil)
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/calendar") ||
		!strings.Contains(rec.Body.String(), "RRULE:FREQ=MONTHLY") || !strings.Contains(rec.Header().Get("Content-Disposition"), "attachment") {
		t.Fatalf("ics: %d %q\n%s", rec.Code, rec.Header(), rec.Body)
	}

	paused := sampleListing("paused-group")
	paused.Paused = true
	saveListing(t, srv, paused)
	rec = do(srv, http.MethodGet, "/groups/paused-group/calendar.ics?ui=en", nil)
	if rec.Code != 404 || !strings.Contains(rec.Body.String(), "no dates to add") ||
		!strings.Contains(rec.Body.String(), `href="/groups/paused-group?ui=en"`) {
		t.Fatalf("paused ics: %d %s", rec.Code, rec.Body)
	}

	draft := sampleListing("draft-group")
	draft.Status = "draft"
	saveListing(t, srv, draft)
	for _, path := range []string{"/groups/draft-group", "/groups/no-such-group", "/groups/no-such-group/calendar.ics", "/groups/%00bad"} {
		rec := do(srv, http.MethodGet, path, nil)
		if rec.Code != 404 || !strings.Contains(rec.Body.String(), `href="/?ui=`) {
			t.Errorf("%s: want a 404 page with a way back, got %d", path, rec.Code)
		}
	}
}

func TestSearchPageFollowsTheChosenInterfaceLanguage(t *testing.T) {
	srv, _ := testServer(t)
	rec := do(srv, http.MethodGet, "/?ui=es", map[string]string{"Accept-Language": "en"})
	body := rec.Body.String()
	if rec.Code != 200 || !strings.Contains(body, `<html lang="es"`) || !strings.Contains(body, "Encuentra un grupo") {
		t.Fatalf("?ui=es should give the Spanish page: %d", rec.Code)
	}
	rec = do(srv, http.MethodGet, "/?ui=es&need=no.such-need", nil)
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), `<html lang="es"`) {
		t.Fatalf("a refused search should stay in Spanish: %d", rec.Code)
	}
}

// A discreet place shows only its area on every public surface: the page, its
// JSON-LD, the API, the calendar file and the search document.
func TestDiscreetPlaceLeaksOnNoSurface(t *testing.T) {
	srv, _ := testServer(t)
	l := sampleListing("discreet-circle")
	l.Locations[0].Discreet = true
	saved := saveListing(t, srv, l)
	secrets := []string{"Casa Aztlán", "Racine", "Pink Line", "41.857", "87.656"}
	for _, target := range []string{"/groups/discreet-circle", "/groups/discreet-circle?ui=en",
		"/api/v1/listings/discreet-circle", "/groups/discreet-circle/calendar.ics"} {
		rec := do(srv, http.MethodGet, target, nil)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d", target, rec.Code)
		}
		body := rec.Body.String()
		for _, secret := range secrets {
			if strings.Contains(body, secret) {
				t.Errorf("%s shows %q of a discreet place", target, secret)
			}
		}
		if !strings.Contains(body, "Pilsen") {
			t.Errorf("%s does not show the area", target)
		}
	}
	doc, ok := search.BuildDocument(saved, search.NewTaxonomy(srv.Directory.Taxonomy("en")), time.Now())
	b, _ := json.Marshal(doc)
	for _, secret := range secrets {
		if !ok || strings.Contains(string(b), secret) {
			t.Errorf("the search document shows %q of a discreet place: %s", secret, b)
		}
	}
}

// With PostgreSQL gone, searches that Meilisearch answers still get a whole
// page (the terms are in memory), and a page that truly needs PostgreSQL gets
// a calm 503 with Retry-After, never a 500.
func TestPagesWithoutPostgreSQL(t *testing.T) {
	st := testenv.Store(t)
	l := sampleListing("circulo-de-duelo")
	client, uid := indexListings(t, st, &l)
	srv, logs := newTestServer(t, st, meiliEngine(t, client, uid))
	st.Close()

	rec := do(srv, http.MethodGet, "/?q=duelo&need=cost.free", nil)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "Círculo de duelo") {
		t.Fatalf("search page without PostgreSQL: %d\n%s", rec.Code, rec.Body)
	}
	if !strings.Contains(rec.Body.String(), "Gratis") && !strings.Contains(rec.Body.String(), "Free") {
		t.Error("the needs on the form come from the terms in memory")
	}
	for _, target := range []string{"/groups/circulo-de-duelo", "/api/v1/listings/circulo-de-duelo"} {
		rec = do(srv, http.MethodGet, target, nil)
		if rec.Code != http.StatusServiceUnavailable || rec.Header().Get("Retry-After") == "" {
			t.Errorf("%s without PostgreSQL: %d, Retry-After %q", target, rec.Code, rec.Header().Get("Retry-After"))
		}
	}
	// ":5432", not "5432", which a duration or a timestamp's nanoseconds may hold.
	for _, leak := range []string{":5432", "user=", "127.0.0.1"} {
		if strings.Contains(logs.String(), leak) {
			t.Errorf("the log names the database (%q): %s", leak, logs)
		}
	}
}

// A time zone is named by its place as the interface's language says it, on the
// search card and the group's page alike.
func TestTimeZonesAreNamedInTheInterfaceLanguage(t *testing.T) {
	st := testenv.Store(t)
	l := sampleListing("circulo-de-duelo")
	l.Locations[0] = directory.Location{Kind: directory.Physical, Address: "Calle de Durango 200", Neighbourhood: "Roma Norte",
		City: "Ciudad de México", Region: "CDMX", Country: "MX", Lat: ptr(19.42), Lng: ptr(-99.16)}
	l.Schedules[0].TimeZone = "America/Mexico_City"
	client, uid := indexListings(t, st, &l)
	srv, _ := newTestServer(t, st, meiliEngine(t, client, uid))
	for _, tc := range []struct{ target, want string }{
		{"/?ui=es&q=duelo", "(hora de Ciudad de México)"},
		{"/?ui=en&q=duelo", "(Mexico City time)"},
		{"/groups/circulo-de-duelo?ui=es", "Las horas son de Ciudad de México."},
		{"/groups/circulo-de-duelo?ui=en", "Times are in Mexico City time."},
	} {
		rec := do(srv, http.MethodGet, tc.target, nil)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), tc.want) {
			t.Errorf("%s: %d, lacks %q", tc.target, rec.Code, tc.want)
		}
	}
}
