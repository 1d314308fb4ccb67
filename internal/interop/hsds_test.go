package interop_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/interop"
	"github.com/belong-directory/belong/internal/interop/hsds"
	"github.com/belong-directory/belong/internal/interop/schematest"
)

func services(t *testing.T, svc *interop.Service, raw string) hsds.Page[hsds.Service] {
	t.Helper()
	q, err := interop.ParseQuery(raw)
	if err != nil {
		t.Fatal(err)
	}
	page, err := svc.Services(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	p, ok := page.(hsds.Page[hsds.Service])
	if !ok {
		t.Fatalf("%s: a page of %T", raw, page)
	}
	return p
}

func TestHSDSServices(t *testing.T) {
	t.Parallel()
	svc, ls := fixture(t, directoryFixture()...)

	list := services(t, svc, "")
	schematest.Check(t, schematest.HSDS, "services_page", mustJSON(t, list))
	if list.TotalItems != 8 || len(list.Contents) != 8 || !list.FirstPage || !list.LastPage || list.Empty {
		t.Fatalf("page: %+v", list)
	}

	full := services(t, svc, "full=true&per_page=3&page=2")
	schematest.Check(t, schematest.HSDS, "services_full_page", mustJSON(t, full))
	if full.TotalPages != 3 || full.PageNumber != 2 || full.FirstPage || full.LastPage || len(full.Contents) != 3 {
		t.Fatalf("page 2 of 3: %+v", full)
	}

	q, _ := interop.ParseQuery("minimal=true")
	minimal, err := svc.Services(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	schematest.Check(t, schematest.HSDS, "services_minimal_page", mustJSON(t, minimal))

	past := services(t, svc, "page=9")
	if !past.Empty || len(past.Contents) != 0 || past.TotalItems != 8 || !past.LastPage {
		t.Fatalf("past the end: %+v", past)
	}

	// The whole of one service, nested as HSDS nests it.
	grief := ls["grief-circle"]
	sv, err := svc.ServiceByID(t.Context(), grief.ID)
	if err != nil {
		t.Fatal(err)
	}
	schematest.Check(t, schematest.HSDS, "service_full", mustJSON(t, sv))
	if sv.Status != "active" || sv.Organization.Name != "Neighbours" || len(sv.Schedules) != 1 ||
		len(sv.ServiceAtLocations) != 1 || len(sv.Languages) != 2 || sv.URL != "https://belong.example/groups/grief-circle" {
		t.Fatalf("service: %+v", sv)
	}
	sc := sv.Schedules[0]
	// Chicago in January is six hours behind UTC.
	if sc.Freq != "WEEKLY" || sc.ByDay != "TU,TH" || sc.OpensAt != "18:30" || sc.Timezone != -6 ||
		sc.XTimezone != "America/Chicago" || sc.DTStart != "2025-01-07" {
		t.Fatalf("schedule: %+v", sc)
	}
	loc := sv.ServiceAtLocations[0].Location
	if loc.LocationType != "physical" || loc.Addresses[0].Address1 != "1234 N Milwaukee Ave" || loc.Latitude == nil {
		t.Fatalf("location: %+v", loc)
	}
	var access []string
	for _, a := range loc.Accessibility {
		access = append(access, a.Description)
	}
	if !slices.Equal(access, []string{"Step-free: yes", "Accessible toilet: partly"}) {
		t.Fatalf("accessibility: %v", access)
	}
	values := map[string]string{}
	for _, a := range sv.Attributes {
		values[a.TaxonomyTerm.Code] = a.Value
	}
	// Reported tags, as reported; "no" is said as no; unreported is absent; a
	// fully offered tag with an Open Eligibility twin links to it too.
	if values["care.childcare"] != "no" || values["access.accessible-toilet"] != "partly" ||
		values["cost.free"] != "yes" || values["free"] != "yes" || values["lgbtq"] != "yes" {
		t.Fatalf("attributes: %v", values)
	}
	if _, ok := values["transit.parking"]; ok {
		t.Fatal("an unreported tag became an attribute")
	}
	if !strings.Contains(sv.InterpretationServices, "partly") || len(sv.CostOptions) != 1 || *sv.CostOptions[0].Amount != 0 {
		t.Fatalf("interpreting and cost: %q %+v", sv.InterpretationServices, sv.CostOptions)
	}

	// A discreet place: no street, postal code, name, transport notes or position.
	harbour, err := svc.ServiceByID(t.Context(), ls["safe-harbour"].ID)
	if err != nil {
		t.Fatal(err)
	}
	raw := mustJSON(t, harbour)
	schematest.Check(t, schematest.HSDS, "service_full", raw)
	for _, leak := range []string{"Quiet Street", "60618", "Behind the clinic", "Library", "41.92"} {
		if strings.Contains(string(raw), leak) {
			t.Fatalf("discreet place leaks %q: %s", leak, raw)
		}
	}

	// Online only: a virtual location and no physical-access attributes.
	online, _ := svc.ServiceByID(t.Context(), ls["online-circle"].ID)
	schematest.Check(t, schematest.HSDS, "service_full", mustJSON(t, online))
	if l := online.ServiceAtLocations[0].Location; l.LocationType != "virtual" || l.URL == "" || len(l.Addresses) != 0 {
		t.Fatalf("online location: %+v", l)
	}
	for _, a := range online.Attributes {
		if a.TaxonomyTerm.Code == "access.step-free" {
			t.Fatal("a physical-access tag of an online-only listing is published")
		}
	}
	// Madrid in January is one hour ahead.
	if online.Schedules[0].Timezone != 1 {
		t.Fatalf("Madrid offset %v", online.Schedules[0].Timezone)
	}

	paused, _ := svc.ServiceByID(t.Context(), ls["hybrid-paused"].ID)
	if paused.Status != "temporarily closed" || paused.Alert != "Back in March." {
		t.Fatalf("paused: %+v", paused.ServiceFields)
	}

	for _, id := range []string{ls["draft-circle"].ID, "00000000-0000-4000-8000-000000000000", "grief-circle"} {
		if _, err := svc.ServiceByID(t.Context(), id); !errors.Is(err, directory.ErrNotFound) {
			t.Errorf("%s: %v, want not found", id, err)
		}
	}
}

func TestHSDSFilters(t *testing.T) {
	t.Parallel()
	svc, ls := fixture(t, directoryFixture()...)
	terms := svc.TaxonomyTerms(interop.Query{Page: 1, PerPage: interop.MaxPerPage})
	schematest.Check(t, schematest.HSDS, "taxonomy_terms_page", mustJSON(t, terms))
	termID := map[string]string{}
	for _, term := range terms.Contents {
		termID[term.Code] = term.ID
	}
	slugs := func(raw string) []string {
		var out []string
		for _, sv := range services(t, svc, raw).Contents {
			out = append(out, strings.TrimPrefix(sv.XPageURL, "https://belong.example/groups/"))
		}
		return out
	}
	for raw, want := range map[string][]string{
		// Step-free: yes at the grief circle and the harbour; hidden at the online circle.
		"taxonomy_term_id=" + termID["access.step-free"]: {"grief-circle", "safe-harbour"},
		// A category term finds what any of its tags offers; "no" childcare is not childcare.
		"taxonomy_term_id=" + termID["time-care"]: {"hybrid-paused"},
		// The Open Eligibility taxonomy: services with a tag that has a twin there.
		"taxonomy_id=" + openEligibilityID(t, svc):              {"grief-circle", "hybrid-paused"},
		"organization_id=" + ls["safe-harbour"].Organization.ID: {"safe-harbour"},
		"search=GRIEF":              {"grief-circle"},
		"search=logan+square+week":  {"a-very-long-group-name-that-goes-on-and-on-about-what-it-does-every-week", "ended-circle", "fortnightly-circle", "grief-circle", "hybrid-paused", "monthly-circle", "safe-harbour"},
		"modified_after=2999-01-01": nil,
		"taxonomy_term_id=00000000-0000-4000-8000-000000000000": nil,
	} {
		got := slugs(raw)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: got %v, want %v", raw, got, want)
		}
	}

	top := svc.TaxonomyTerms(interop.Query{Page: 1, PerPage: 100, TopOnly: true})
	below := svc.TaxonomyTerms(interop.Query{Page: 1, PerPage: 100, ParentID: termID["cost"]})
	if top.TotalItems != 10+5 || below.TotalItems != 4 {
		t.Fatalf("%d top-level terms (10 categories, 5 Open Eligibility), %d cost tags", top.TotalItems, below.TotalItems)
	}
	taxa := svc.Taxonomies(interop.Query{Page: 1, PerPage: 10})
	schematest.Check(t, schematest.HSDS, "taxonomies_page", mustJSON(t, taxa))
	if _, err := svc.TaxonomyTermByID(termID["cost.free"]); err != nil {
		t.Fatal(err)
	}

	orgs, err := svc.Organizations(t.Context(), interop.Query{Page: 1, PerPage: 10, FullService: true})
	if err != nil {
		t.Fatal(err)
	}
	schematest.Check(t, schematest.HSDS, "organizations_page", mustJSON(t, orgs))
	if orgs.TotalItems != 2 || orgs.Contents[0].Name != "Harbour Collective" || len(orgs.Contents[1].Services) != 7 {
		t.Fatalf("organizations: %d, %+v", orgs.TotalItems, orgs.Contents[0])
	}
	one, err := svc.OrganizationByID(t.Context(), ls["grief-circle"].Organization.ID, false)
	if err != nil || len(one.Services) != 7 || one.Services[0].Organization != nil || one.Services[0].Schedules != nil {
		t.Fatalf("organization: %+v, %v", one, err)
	}
}

func openEligibilityID(t *testing.T, svc *interop.Service) string {
	t.Helper()
	for _, tx := range svc.Taxonomies(interop.Query{Page: 1, PerPage: 10}).Contents {
		if tx.Name == "Open Eligibility" {
			return tx.ID
		}
	}
	t.Fatal("no Open Eligibility taxonomy")
	return ""
}

// Ids stay the same from one answer to the next, though the database gives a
// listing's places and schedules new ids whenever it is saved; taxonomy ids are
// the same in every directory.
func TestHSDSIdsAreStable(t *testing.T) {
	t.Parallel()
	svc, dir, ls := fixtureWithDirectory(t, directoryFixture()[0])
	before, _ := svc.ServiceByID(t.Context(), ls["grief-circle"].ID)
	grief := ls["grief-circle"]
	grief.Version = 0
	grief.Schedules[0].Notes = "Saved again."
	if err := dir.Save(t.Context(), grief, "test"); err != nil {
		t.Fatal(err)
	}
	after, _ := svc.ServiceByID(t.Context(), grief.ID)
	if before.Schedules[0].ID != after.Schedules[0].ID || after.Schedules[0].Notes != "Saved again." ||
		before.ServiceAtLocations[0].LocationID != after.ServiceAtLocations[0].LocationID {
		t.Fatalf("ids changed on a save: %+v / %+v", before.Schedules[0], after.Schedules[0])
	}
	other, _ := fixture(t)
	if termID(t, svc, "cost.free") != termID(t, other, "cost.free") {
		t.Fatal("taxonomy term ids differ between directories")
	}
}

func termID(t *testing.T, svc *interop.Service, code string) string {
	t.Helper()
	for _, term := range svc.TaxonomyTerms(interop.Query{Page: 1, PerPage: interop.MaxPerPage}).Contents {
		if term.Code == code {
			return term.ID
		}
	}
	t.Fatalf("no term %s", code)
	return ""
}

func TestHSDSSchemaCatchesWhatItShould(t *testing.T) {
	t.Parallel()
	for def, bad := range map[string]string{
		"schedule":     `{"id":"6b1e0c52-3f9a-5d27-9b51-0e8d2c47a163","service_id":"6b1e0c52-3f9a-5d27-9b51-0e8d2c47a163","freq":"WEEKLY","interval":1,"opens_at":"18:30","closes_at":"20:00","dtstart":"2025-01-07","timezone":"America/Chicago","x_timezone_name":"America/Chicago"}`,
		"location":     `{"id":"6b1e0c52-3f9a-5d27-9b51-0e8d2c47a163","location_type":"online"}`,
		"service_full": `{"id":"6b1e0c52-3f9a-5d27-9b51-0e8d2c47a163","organization_id":"6b1e0c52-3f9a-5d27-9b51-0e8d2c47a163","name":"A","status":"open"}`,
		"address":      `{"id":"6b1e0c52-3f9a-5d27-9b51-0e8d2c47a163","city":"Chicago","state_province":"IL","postal_code":"","country":"US","address_type":"physical"}`,
		"page":         `{"total_pages":1,"page_number":1,"size":10,"first_page":true,"last_page":true,"empty":true,"contents":[]}`,
		"attribute":    `{"id":"6b1e0c52-3f9a-5d27-9b51-0e8d2c47a163","link_id":"6b1e0c52-3f9a-5d27-9b51-0e8d2c47a163","link_type":"offers","link_entity":"service","taxonomy_term_id":"6b1e0c52-3f9a-5d27-9b51-0e8d2c47a163","value":"maybe"}`,
	} {
		if !schematest.Invalid(t, schematest.HSDS, def, []byte(bad)) {
			t.Errorf("a bad %s passes", def)
		}
	}
	discreet := `{"id":"6b1e0c52-3f9a-5d27-9b51-0e8d2c47a163","location_type":"physical","x_discreet":true,"latitude":41.9,"longitude":-87.7}`
	if !schematest.Invalid(t, schematest.HSDS, "location", []byte(discreet)) {
		t.Error("a discreet place with a position passes")
	}
}

func TestHSDSExportWritesOneFilePerRecordKind(t *testing.T) {
	t.Parallel()
	svc, _ := fixture(t, directoryFixture()...)
	d, err := svc.HSDSDataset(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	paths, err := d.WriteJSON(dir)
	if err != nil {
		t.Fatal(err)
	}
	def := map[string]string{"taxonomies": "taxonomy", "taxonomy_terms": "taxonomy_term", "organizations": "organization",
		"services": "service_one_to_one", "locations": "location", "service_at_locations": "service_at_location",
		"addresses": "address", "phones": "phone", "schedules": "schedule", "languages": "language",
		"accessibility": "accessibility", "cost_options": "cost_option", "attributes": "attribute"}
	if len(paths) != len(def) {
		t.Fatalf("wrote %v", paths)
	}
	ids := map[string]bool{}
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".json")
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var records []json.RawMessage
		if err := json.Unmarshal(b, &records); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(records) == 0 {
			t.Errorf("%s is empty", name)
		}
		for _, r := range records {
			schematest.Check(t, schematest.HSDS, def[name], r)
			var rec struct {
				ID string `json:"id"`
			}
			_ = json.Unmarshal(r, &rec)
			if ids[rec.ID] {
				t.Errorf("%s: id %s used twice", name, rec.ID)
			}
			ids[rec.ID] = true
			if strings.Contains(string(r), `"location":`) || strings.Contains(string(r), `"taxonomy_term":`) {
				t.Errorf("%s: nested record in a flat file: %s", name, r)
			}
		}
		if name == "services" && len(records) != 8 {
			t.Errorf("%d services", len(records))
		}
	}
}
