package view

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/i18n"
	"github.com/belong-directory/belong/internal/schedule"
	"github.com/belong-directory/belong/web"
)

// newRenderer is a Renderer with the product's own catalogs.
func newRenderer(t *testing.T) *Renderer {
	t.Helper()
	c, err := i18n.Load(web.Translations, "i18n")
	if err != nil {
		t.Fatal(err)
	}
	r, err := New(c, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestWordsInBothLanguages(t *testing.T) {
	r := newRenderer(t)
	rule := func(freq schedule.Freq, interval int, byday string) schedule.Rule {
		days, err := schedule.ParseByDay(byday)
		if err != nil {
			t.Fatal(err)
		}
		return schedule.Rule{Freq: freq, Interval: interval, ByDay: days, Start: schedule.Date{Year: 2026, Month: 1, Day: 15}}
	}
	// until gives a rule a last date, and the times and zone that tell its
	// meetings apart.
	until := func(r schedule.Rule, y int, m time.Month, d int) schedule.Rule {
		r.Until = &schedule.Date{Year: y, Month: m, Day: d}
		r.OpensAt, r.ClosesAt = schedule.Clock{Hour: 18}, schedule.Clock{Hour: 19}
		r.TimeZone = "America/Chicago"
		return r
	}
	cases := []struct {
		rule   schedule.Rule
		en, es string
	}{
		{rule(schedule.Weekly, 1, "TU,TH"), "Every Tuesday and Thursday", "Todos los martes y jueves"},
		{rule(schedule.Weekly, 2, "SA"), "Every other Saturday", "Cada dos semanas, los sábados"},
		{rule(schedule.Weekly, 3, "MO"), "Every 3 weeks on Monday", "Cada 3 semanas, los lunes"},
		{rule(schedule.Weekly, 1, ""), "Every Thursday", "Todos los jueves"},
		{rule(schedule.Monthly, 1, "2TU"), "Second Tuesday of each month", "Segundo martes de cada mes"},
		{rule(schedule.Monthly, 1, "-1FR"), "Last Friday of each month", "Último viernes de cada mes"},
		{rule(schedule.Monthly, 1, "1MO,3MO"), "First and third Monday of each month", "Primer y tercer lunes de cada mes"},
		{rule(schedule.Monthly, 2, "1WE"), "First Wednesday of each month (every 2 months)", "Primer miércoles de cada mes (cada 2 meses)"},
		{rule(schedule.Monthly, 1, ""), "Monthly on day 15", "Cada mes, el día 15"},
		{until(rule(schedule.Weekly, 1, "TH"), 2026, 1, 15), "Once, on Thursday, January 15", "Una sola vez, el jueves 15 de enero"},
		{until(rule(schedule.Weekly, 1, "MO"), 2026, 3, 2), "Every Monday, until Monday, March 2",
			"Todos los lunes, hasta el lunes 2 de marzo"},
	}
	for _, tc := range cases {
		if got := r.Words("en").Recurrence(tc.rule); got != tc.en {
			t.Errorf("en: got %q, want %q", got, tc.en)
		}
		if got := r.Words("es").Recurrence(tc.rule); got != tc.es {
			t.Errorf("es: got %q, want %q", got, tc.es)
		}
	}
	at := time.Date(2026, 12, 1, 18, 30, 0, 0, time.UTC)
	end := at.Add(90 * time.Minute)
	if got := r.Words("en").Date(at) + ", " + r.Words("en").Span(at, end); got != "Tuesday, December 1, 6:30 pm – 8 pm" {
		t.Errorf("en date: %q", got)
	}
	if got := r.Words("es").Date(at) + ", " + r.Words("es").Span(at, end); got != "martes 1 de diciembre, 18:30 – 20:00" {
		t.Errorf("es date: %q", got)
	}
	if got := r.Words("es").ShortDate(at); got != "1 dic 2026" {
		t.Errorf("es short date: %q", got)
	}
}

func TestWithUIKeepsTheSearch(t *testing.T) {
	if got := WithUI("/?need=cost.free&ui=en&need=access.step-free", "es"); got != "/?need=cost.free&need=access.step-free&ui=es" {
		t.Errorf("got %q", got)
	}
	if got := WithUI("/groups/x", "en"); got != "/groups/x?ui=en" {
		t.Errorf("got %q", got)
	}
}

// Links built from the request path stay on this site, whatever the path.
func TestWithUIStaysOnThisSite(t *testing.T) {
	for in, want := range map[string]string{
		"///evil.example/x":      "/evil.example/x?ui=es",
		"//evil.example/x?a=b":   "/x?a=b&ui=es",
		"/\\evil.example/x":      "/%5Cevil.example/x?ui=es",
		"/%5C%5Cevil.example":    "/%5C%5Cevil.example?ui=es",
		"/%2F%2Fevil.example/x":  "/%2F%2Fevil.example/x?ui=es",
		"https://evil.example/x": "/x?ui=es",
		"":                       "/?ui=es",
	} {
		got := WithUI(in, "es")
		if got != want {
			t.Errorf("WithUI(%q) = %q, want %q", in, got, want)
		}
		if u, err := url.Parse(got); err != nil || u.Host != "" || strings.HasPrefix(got, "//") || strings.Contains(got, `\`) {
			t.Errorf("WithUI(%q) = %q leaves the site", in, got)
		}
	}
}

// A huge query string is not echoed into every language link.
func TestWithUIDropsAHugeQuery(t *testing.T) {
	got := WithUI("/?q="+strings.Repeat("a", 100_000), "es")
	if got != "/?ui=es" {
		t.Fatalf("got %d bytes: %.80s", len(got), got)
	}
}

// A zone the catalogs name is said in each language; any other by its city.
func TestZoneNames(t *testing.T) {
	r := newRenderer(t)
	for _, tc := range []struct{ zone, en, es string }{
		{"America/Mexico_City", "Mexico City", "Ciudad de México"},
		{"Europe/London", "London", "Londres"},
		{"America/Bogota", "Bogotá", "Bogotá"},
		{"America/New_York", "New York", "Nueva York"},
		{"America/Argentina/Jujuy", "Jujuy", "Jujuy"},
		{"Asia/Ho_Chi_Minh", "Ho Chi Minh", "Ho Chi Minh"},
	} {
		if got := r.Words("en").Zone(tc.zone); got != tc.en {
			t.Errorf("en %s: got %q, want %q", tc.zone, got, tc.en)
		}
		if got := r.Words("es").Zone(tc.zone); got != tc.es {
			t.Errorf("es %s: got %q, want %q", tc.zone, got, tc.es)
		}
	}
}
