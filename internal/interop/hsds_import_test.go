package interop_test

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/interop"
)

// exportTo writes svc's HSDS dataset into a new directory and returns it, with
// each file's bytes.
func exportTo(t *testing.T, svc *interop.Service) (string, map[string][]byte) {
	t.Helper()
	d, err := svc.HSDSDataset(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	paths, err := d.WriteJSON(dir)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(p)] = b
	}
	return dir, files
}

// updatedAt is the one field an import changes: when the listing last changed
// here, which is when it was imported.
var updatedAt = regexp.MustCompile(`"x_updated_at": "[^"]*"`)

// An HSDS export imported into an empty database and exported again is the
// same, byte for byte, but for when each listing last changed: ids, slugs,
// schedules, places, discreet places, tags with their notes and dates.
func TestHSDSRoundTrip(t *testing.T) {
	svc, _ := fixture(t, directoryFixture()...)
	dir, before := exportTo(t, svc)

	im, dir2, _ := importer(t)
	start := time.Now()
	p, err := im.CheckHSDS(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if !p.OK() || len(p.Notes) != 0 {
		t.Fatalf("problems %+v\nnotes %+v", p.Problems, p.Notes)
	}
	if len(p.Listings) != 8 {
		t.Fatalf("%d listings planned", len(p.Listings))
	}
	if _, err := im.Apply(t.Context(), p, "import"); err != nil {
		t.Fatal(err)
	}
	_, after := exportTo(t, interop.New(dir2, "https://belong.example", func() time.Time { return now }))
	for name, b := range before {
		got, want := updatedAt.ReplaceAll(after[name], nil), updatedAt.ReplaceAll(b, nil)
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs after the round trip:\n got %s\nwant %s", name, got, want)
		}
	}
	var services []struct {
		UpdatedAt time.Time `json:"x_updated_at"`
	}
	if err := json.Unmarshal(after["services.json"], &services); err != nil {
		t.Fatal(err)
	}
	for _, s := range services {
		if s.UpdatedAt.Before(start.Add(-time.Second)) {
			t.Errorf("x_updated_at %s is before the import", s.UpdatedAt)
		}
	}

	// Importing the same dataset again changes the listings in place.
	p, err = im.CheckHSDS(t.Context(), dir)
	if err != nil || !p.OK() {
		t.Fatalf("again: %v %+v", err, p.Problems)
	}
	for _, l := range p.Listings {
		if !l.Update {
			t.Errorf("%s is not an update", l.Slug)
		}
	}
	if _, err := im.Apply(t.Context(), p, "import"); err != nil {
		t.Fatal(err)
	}
}

// The nested form the API answers (/hsds/services?full=true) imports too.
func TestHSDSImportsNestedServices(t *testing.T) {
	svc, _ := fixture(t, directoryFixture()...)
	page, err := svc.Services(t.Context(), interop.Query{Full: true, PerPage: 50, Page: 1})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "services.json")
	if err := os.WriteFile(path, mustJSON(t, page), 0o644); err != nil {
		t.Fatal(err)
	}
	im, _, st := importer(t)
	p, err := im.CheckHSDS(t.Context(), path)
	if err != nil || !p.OK() || len(p.Listings) != 8 {
		t.Fatalf("%v %+v %+v", err, p.Problems, p.Notes)
	}
	if _, err := im.Apply(t.Context(), p, "import"); err != nil {
		t.Fatal(err)
	}
	l, err := st.Listing(t.Context(), "grief-circle")
	if err != nil {
		t.Fatal(err)
	}
	if step, _ := l.Tag("access.step-free"); step.Value != directory.Yes || step.Note != "ramp at the side door" {
		t.Errorf("step-free: %+v", step)
	}
	if l.Phone != "+1 312 555 0100" || !slices.Equal(l.Languages, []string{"en", "es"}) {
		t.Errorf("listing: %+v", l)
	}
}

// Another directory's HSDS: what fits is kept, what does not is reported by
// record, and what makes a listing impossible stops the import.
func TestHSDSReportsWhatDoesNotFit(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	org := "0f9e7b8a-1c2d-4e3f-8a9b-0c1d2e3f4a5b"
	svc1, svc2 := "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d", "svc-two"
	loc1, loc2 := "2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e", "3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e7f"
	write("organizations.json", `[{"id":"`+org+`","name":"Comunidad Abierta","description":"","tax_status":"501c3"},
		{"id":"org-ftp","name":"FTP Org","description":"","website":"ftp://files.example"}]`)
	write("services.json", `[
		{"id":"`+svc1+`","organization_id":"`+org+`","name":"Grupo de apoyo","description":"Un grupo semanal.\n\nMás detalles.","status":"active","accreditations":"none"},
		{"id":"`+svc2+`","organization_id":"missing-org","name":"Orphan","status":"active"},
		{"id":"4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a","organization_id":"`+org+`","name":"Bad status","status":"sometimes"},
		{"id":"5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b","organization_id":"org-ftp","name":"Odd org","status":"active"}]`)
	write("service_at_locations.json", `[{"id":"x1","service_id":"`+svc1+`","location_id":"`+loc1+`"},
		{"id":"x2","service_id":"`+svc1+`","location_id":"`+loc2+`"}]`)
	write("locations.json", `[{"id":"`+loc1+`","location_type":"physical","name":"Centro","latitude":40.4,"longitude":-3.7},
		{"id":"`+loc2+`","location_type":"postal","name":"PO Box"}]`)
	write("addresses.json", `[{"id":"a1","location_id":"`+loc1+`","address_1":"Calle Mayor 1","address_2":"2º","city":"Madrid","state_province":"Madrid","postal_code":"28013","country":"es","address_type":"physical"}]`)
	write("schedules.json", `[{"id":"s1","service_id":"`+svc1+`","freq":"weekly","interval":1,"byday":"we","opens_at":"18:00:00","closes_at":"19:30:00","dtstart":"2026-01-07","timezone":1},
		{"id":"s2","service_id":"`+svc1+`","freq":"MONTHLY","bymonthday":15,"opens_at":"10:00","closes_at":"11:00","timezone":1},
		{"id":"s3","service_id":"5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b","freq":"WEEKLY","interval":50,"byday":"MO","opens_at":"10:00","closes_at":"11:00","x_timezone_name":"UTC"}]`)
	write("languages.json", `[{"id":"l1","service_id":"`+svc1+`","name":"Spanish","code":""},{"id":"l2","service_id":"`+svc1+`","name":"Elvish","code":"qya"}]`)
	write("attributes.json", `[{"id":"t1","link_id":"`+svc1+`","link_type":"offers","link_entity":"service","taxonomy_term_id":"term-x","value":"yes"},
		{"id":"t2","link_id":"`+svc1+`","link_type":"offers","link_entity":"service","taxonomy_term_id":"term-y"}]`)
	write("taxonomy_terms.json", `[{"id":"term-x","code":"cost.free","name":"Free","description":"","taxonomy":"x","taxonomy_id":"x","language":"en"},
		{"id":"term-y","code":"unknown-code","name":"?","description":"","taxonomy":"x","taxonomy_id":"x","language":"en"}]`)
	write("contacts.json", `[]`)
	write("cost_options.json", `[{"id":"c1","service_id":"`+svc1+`","option":"Donation","amount":5}]`)

	im, _, _ := importer(t)
	p, err := im.CheckHSDS(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	problems := map[string]bool{}
	for _, pr := range p.Problems {
		problems[pr.Item+" "+pr.Column+" "+pr.Key] = true
	}
	for _, want := range []string{
		"service svc-two organization_id import.problem.organization",
		"service 4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a status import.problem.status",
		"organization org-ftp website import.field.format",
		"schedule s3 interval import.field.schedule",
	} {
		if !problems[want] {
			t.Errorf("missing problem %q in %+v", want, p.Problems)
		}
	}
	if len(p.Problems) != 4 {
		t.Errorf("problems: %+v", p.Problems)
	}
	notes := map[string]bool{}
	for _, n := range p.Notes {
		notes[n.Item+" "+n.Column] = true
	}
	for _, want := range []string{
		"contacts.json ", "organization " + org + " tax_status", "service " + svc1 + " accreditations",
		"address a1 address_2", "service svc-two id", "location " + loc2 + " location_type",
		"schedule s1 timezone", "schedule s2 bymonthday", "language l2 name", "attribute t2 taxonomy_term_id",
		"cost_option c1 amount",
	} {
		if !notes[want] {
			t.Errorf("missing note %q", want)
		}
	}
	if p.OK() {
		t.Fatal("a dataset with problems is not OK")
	}
	var l directory.Listing
	for _, pl := range p.Listings {
		if pl.Name == "Grupo de apoyo" {
			l = pl.Listing
		}
	}
	if l.ID != svc1 || l.Summary != "Un grupo semanal." || l.Description != "Más detalles." ||
		l.Organization.ID != org || l.Organization.Slug != "comunidad-abierta" {
		t.Errorf("listing: %+v", l)
	}
	if len(l.Locations) != 1 || l.Locations[0].Country != "ES" || l.Locations[0].Address != "Calle Mayor 1" {
		t.Errorf("places: %+v", l.Locations)
	}
	if len(l.Schedules) != 1 || l.Schedules[0].TimeZone != "Etc/GMT-1" || l.Schedules[0].OpensAt != "18:00" ||
		l.Schedules[0].ByDay != "WE" {
		t.Errorf("schedules: %+v", l.Schedules)
	}
	if !slices.Equal(l.Languages, []string{"es"}) {
		t.Errorf("languages: %v", l.Languages)
	}
	if free, ok := l.Tag("cost.free"); !ok || free.Value != directory.Yes {
		t.Errorf("tags: %+v", l.Tags)
	}
}

func FuzzHSDSImport(f *testing.F) {
	im, _, _ := importer(f)
	f.Add([]byte(`[{"id":"1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d","name":"A","organization":{"id":"o","name":"O"},` +
		`"service_at_locations":[{"location":{"id":"l","location_type":"physical","addresses":[{"city":"X","country":"US"}]}}],` +
		`"schedules":[{"freq":"WEEKLY","byday":"MO","opens_at":"10:00","closes_at":"11:00","timezone":-5}],` +
		`"attributes":[{"taxonomy_term_id":"cost.free","value":"partly"}]}]`))
	f.Add([]byte(`{"total_items":1,"contents":[{"name":"B","organization_id":"o"}]}`))
	f.Add([]byte(`{"name":"C","status":"temporarily closed","alert":"back soon","x_page_url":"https://x/groups/c"}`))
	f.Add([]byte(`[1, "two", null, {"id": 3}]`))
	f.Add([]byte(`not json`))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "services.json")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		p, err := im.CheckHSDS(t.Context(), path)
		if err != nil {
			t.Fatal(err)
		}
		for _, pr := range append(p.Problems, p.Notes...) {
			if pr.Key == "" || pr.Message == "" || strings.TrimSpace(pr.String()) == "" {
				t.Fatalf("problem without a key or message: %+v", pr)
			}
		}
		if p.OK() {
			for _, l := range p.Listings {
				if err := l.Listing.Validate(); err != nil {
					t.Fatalf("an OK plan holds an invalid listing: %v", err)
				}
			}
		}
	})
}
