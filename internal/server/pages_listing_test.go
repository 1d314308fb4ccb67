package server

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/store"
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

func saveListing(t *testing.T, st *store.Store, l directory.Listing) directory.Listing {
	t.Helper()
	err := st.InTx(context.Background(), func(tx pgx.Tx) error {
		_, err := st.SaveListing(context.Background(), tx, &l, "test")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestListingPageInBothLanguages(t *testing.T) {
	srv, _ := testServer(t)
	saveListing(t, srv.Store, sampleListing("circulo-de-duelo"))

	rec := do(srv, http.MethodGet, "/groups/circulo-de-duelo?ui=en", nil)
	body := rec.Body.String()
	if rec.Code != 200 {
		t.Fatalf("status %d: %s", rec.Code, body)
	}
	for _, want := range []string{
		`<html lang="en"`, `lang="es">Círculo de duelo</h1>`, "Last Friday of each month", "6:30 pm – 8 pm",
		"Step-free", "Partly", "un escalón de 5 cm en la puerta", "1831 S Racine Ave", "Pink Line",
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
	saveListing(t, srv.Store, l)
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
	saveListing(t, srv.Store, sampleListing("circulo-de-duelo"))
	rec := do(srv, http.MethodGet, "/groups/circulo-de-duelo/calendar.ics", nil)
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/calendar") ||
		!strings.Contains(rec.Body.String(), "RRULE:FREQ=MONTHLY") || !strings.Contains(rec.Header().Get("Content-Disposition"), "attachment") {
		t.Fatalf("ics: %d %q\n%s", rec.Code, rec.Header(), rec.Body)
	}

	paused := sampleListing("paused-group")
	paused.Paused = true
	saveListing(t, srv.Store, paused)
	rec = do(srv, http.MethodGet, "/groups/paused-group/calendar.ics?ui=en", nil)
	if rec.Code != 404 || !strings.Contains(rec.Body.String(), "no dates to add") ||
		!strings.Contains(rec.Body.String(), `href="/groups/paused-group?ui=en"`) {
		t.Fatalf("paused ics: %d %s", rec.Code, rec.Body)
	}

	draft := sampleListing("draft-group")
	draft.Status = "draft"
	saveListing(t, srv.Store, draft)
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
