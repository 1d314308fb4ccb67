package server

import (
	"net/http"
	"strings"
	"testing"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/interop/schematest"
	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/internal/testenv"
)

// openDataServer is a server over a directory with an open group, a discreet
// one and a draft, and their ids by slug.
func openDataServer(t *testing.T) (*Server, map[string]*directory.Listing) {
	t.Helper()
	st := testenv.Store(t)
	open := testenv.WeeklyGroup("open-circle", "cost.free", "access.step-free")
	open.Locations[0].Address, open.Locations[0].PostalCode = "2150 N Milwaukee Ave", "60647"
	open.Schedules[0].ByDay = "MO,WE"
	discreet := testenv.WeeklyGroup("quiet-circle", "paperwork.no-id")
	discreet.Organization = directory.Organization{Slug: "quiet-org", Name: "Quiet Org"}
	discreet.Locations[0].Address, discreet.Locations[0].Discreet = "9 Hidden Lane", true
	draft := testenv.WeeklyGroup("draft-circle")
	draft.Status = directory.Draft
	ls := map[string]*directory.Listing{}
	for _, l := range []*directory.Listing{open, discreet, draft} {
		if err := st.InTx(t.Context(), func(tx *store.Tx) error { _, err := tx.SaveListing(t.Context(), l, "test"); return err }); err != nil {
			t.Fatal(err)
		}
		ls[l.Slug] = l
	}
	srv, _ := newTestServer(t, st, postgresEngine(t, st))
	return srv, ls
}

func TestMeetingGuideFeedAnswersAnyOrigin(t *testing.T) {
	t.Parallel()
	srv, _ := openDataServer(t)
	rec := do(srv, http.MethodGet, "/api/meeting-guide.json", map[string]string{"Origin": "https://meetings.example"})
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("%d %v %s", rec.Code, rec.Header(), rec.Body)
	}
	if got := rec.Header().Get("Access-Control-Allow-Origin"); got != "*" {
		t.Fatalf("Access-Control-Allow-Origin = %q", got)
	}
	schematest.Check(t, schematest.MeetingGuide, "", rec.Body.Bytes())
	feed := decode[[]map[string]any](t, rec.Body.Bytes())
	if len(feed) != 3 { // Monday and Wednesday of the open circle, Tuesday of the quiet one
		t.Fatalf("%d meetings: %s", len(feed), rec.Body)
	}
	if strings.Contains(rec.Body.String(), "Hidden Lane") || strings.Contains(rec.Body.String(), "draft-circle") {
		t.Fatalf("the feed shows what no page does: %s", rec.Body)
	}
	// (net/http leaves a HEAD's body unsent; the recorder keeps it.)
	if head := do(srv, http.MethodHead, "/api/meeting-guide.json", nil); head.Code != http.StatusOK {
		t.Fatalf("HEAD: %d", head.Code)
	}
	// Only the feed is open to every origin.
	for _, target := range []string{"/hsds/services", "/api/v1/tags", "/"} {
		if got := do(srv, http.MethodGet, target, nil).Header().Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("%s: Access-Control-Allow-Origin = %q", target, got)
		}
	}
}

func TestHSDSAPI(t *testing.T) {
	t.Parallel()
	srv, ls := openDataServer(t)
	get := func(target string, want int) []byte {
		t.Helper()
		rec := do(srv, http.MethodGet, target, nil)
		if rec.Code != want {
			t.Fatalf("%s: %d, want %d: %s", target, rec.Code, want, rec.Body)
		}
		ct := rec.Header().Get("Content-Type")
		if (want == http.StatusOK && !strings.HasPrefix(ct, "application/json")) ||
			(want != http.StatusOK && ct != "application/problem+json") {
			t.Fatalf("%s: Content-Type %q", target, ct)
		}
		if strings.Contains(rec.Body.String(), "Hidden Lane") {
			t.Fatalf("%s: the discreet street leaks: %s", target, rec.Body)
		}
		return rec.Body.Bytes()
	}
	for _, target := range []string{"/hsds", "/hsds/"} {
		schematest.Check(t, schematest.HSDS, "info", get(target, http.StatusOK))
	}
	list := get("/hsds/services", http.StatusOK)
	schematest.Check(t, schematest.HSDS, "services_page", list)
	if p := decode[map[string]any](t, list); p["total_items"] != 2.0 {
		t.Fatalf("services: %s", list)
	}
	schematest.Check(t, schematest.HSDS, "services_full_page", get("/hsds/services?full=true&per_page=1&page=2", http.StatusOK))
	schematest.Check(t, schematest.HSDS, "services_minimal_page", get("/hsds/services?minimal=true", http.StatusOK))
	one := get("/hsds/services/"+ls["open-circle"].ID, http.StatusOK)
	schematest.Check(t, schematest.HSDS, "service_full", one)
	if !strings.Contains(string(one), "2150 N Milwaukee Ave") || !strings.Contains(string(one), `"x_timezone_name":"America/Chicago"`) {
		t.Fatalf("service: %s", one)
	}
	schematest.Check(t, schematest.HSDS, "service_full", get("/hsds/services/"+ls["quiet-circle"].ID, http.StatusOK))
	orgs := get("/hsds/organizations?full_service=true", http.StatusOK)
	schematest.Check(t, schematest.HSDS, "organizations_page", orgs)
	schematest.Check(t, schematest.HSDS, "organization", get("/hsds/organizations/"+ls["open-circle"].Organization.ID, http.StatusOK))
	taxa := decode[struct {
		Contents []struct{ ID string } `json:"contents"`
	}](t, get("/hsds/taxonomies", http.StatusOK))
	schematest.Check(t, schematest.HSDS, "taxonomy", get("/hsds/taxonomies/"+taxa.Contents[0].ID, http.StatusOK))
	terms := get("/hsds/taxonomy_terms?taxonomy_id="+taxa.Contents[0].ID+"&top_only=true", http.StatusOK)
	schematest.Check(t, schematest.HSDS, "taxonomy_terms_page", terms)
	term := decode[struct {
		Contents []struct{ ID string } `json:"contents"`
	}](t, terms).Contents[0].ID
	schematest.Check(t, schematest.HSDS, "taxonomy_term", get("/hsds/taxonomy_terms/"+term, http.StatusOK))

	// Not published, not there, or not an id: 404, as a problem document even
	// for a client that asks for nothing in particular.
	for _, target := range []string{"/hsds/services/" + ls["draft-circle"].ID, "/hsds/services/open-circle",
		"/hsds/services/00000000-0000-4000-8000-000000000000", "/hsds/organizations/nobody",
		"/hsds/taxonomies/00000000-0000-4000-8000-000000000000", "/hsds/taxonomy_terms/free"} {
		get(target, http.StatusNotFound)
	}

	// A bad parameter: 400 naming it.
	for target, field := range map[string]string{
		"/hsds/services?page=0":                 "page",
		"/hsds/services?per_page=lots":          "per_page",
		"/hsds/services?modified_after=monday":  "modified_after",
		"/hsds/services?taxonomy_term_id=free":  "taxonomy_term_id",
		"/hsds/services?minimal=true&full=true": "minimal",
		"/hsds/organizations?full_service=yes":  "full_service",
		"/hsds/taxonomy_terms?parent_id=cost":   "parent_id",
		"/hsds/services?format=xml":             "format",
	} {
		p := decode[Problem](t, get(target, http.StatusBadRequest))
		if len(p.Errors) == 0 || p.Errors[0].Field != field {
			t.Errorf("%s: %+v does not name %s", target, p, field)
		}
	}
}
