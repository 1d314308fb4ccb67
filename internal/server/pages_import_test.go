package server_test

import (
	"bytes"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/belong-directory/belong/internal/directory"
)

// upload posts a CSV file as the upload form does.
func (e *staffEnv) upload(target, content string, cookie *http.Cookie) *httptest.ResponseRecorder {
	e.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	part, err := w.CreateFormFile("file", "listings.csv")
	if err != nil {
		e.t.Fatal(err)
	}
	part.Write([]byte(content))
	w.Close()
	req := httptest.NewRequest(http.MethodPost, target, &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	n := staffClients.Add(1)
	req.RemoteAddr = fmt.Sprintf("10.%d.%d.3:4000", n/250, n%250)
	req.AddCookie(cookie)
	rec := httptest.NewRecorder()
	e.web.Server.Handler().ServeHTTP(rec, req)
	return rec
}

const importHeader = "name,summary,organization,days,starts,ends,time_zone,city,country,cost.free\n"

func TestAdminsImportASpreadsheet(t *testing.T) {
	t.Parallel()
	e := newStaffEnv(t)
	e.addUser("admin@example.org", directory.Admin)
	admin := e.signIn("admin@example.org")

	page := e.do(http.MethodGet, "/admin/import?ui=en", nil, admin)
	if page.Code != http.StatusOK {
		t.Fatalf("import page: %d", page.Code)
	}
	mustContain(t, "the import page", page.Body.String(), `href="/admin/import/template.csv?ui=en"`,
		`href="/admin/import/columns?ui=en"`, `type="file"`, `enctype="multipart/form-data"`)

	tmpl := e.do(http.MethodGet, "/admin/import/template.csv", nil, admin)
	if tmpl.Code != http.StatusOK || !strings.HasPrefix(tmpl.Header().Get("Content-Type"), "text/csv") ||
		!strings.Contains(tmpl.Header().Get("Content-Disposition"), "attachment") {
		t.Fatalf("template: %d %v", tmpl.Code, tmpl.Header())
	}
	mustContain(t, "the template", tmpl.Body.String(), "name,summary,organization,", "Tuesday Grief Circle")

	for lang, words := range map[string]string{"en": "What goes here", "es": "Qué va aquí"} {
		guide := e.do(http.MethodGet, "/admin/import/columns?ui="+lang, nil, admin)
		if guide.Code != http.StatusOK {
			t.Fatalf("guide %s: %d", lang, guide.Code)
		}
		mustContain(t, "the column guide", guide.Body.String(), words, "<code>access.step-free</code>", "<code>time_zone</code>")
	}

	// No file: the form says so, next to the field.
	rec := e.do(http.MethodPost, "/admin/import?ui=en", url.Values{}, admin)
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("no file: %d", rec.Code)
	}
	mustContain(t, "the form without a file", rec.Body.String(), `href="#f-file"`, "Choose a CSV file", `aria-invalid="true"`)

	// A file with problems: every one by row and column, in the page's language, nothing saved.
	bad := importHeader + "Circle A,A calm circle.,Neighbours,Monday,25:00,19:00,America/Chicago,Chicago,US,maybe\n"
	rec = e.upload("/admin/import?ui=es", bad, admin)
	if rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("bad file: %d %s", rec.Code, rec.Body)
	}
	mustContain(t, "the report", rec.Body.String(), "<code>starts</code>", "Escriba una hora como 18:30",
		"<code>cost.free</code>", "maybe", "Todavía no se ha guardado nada")
	if strings.Contains(rec.Body.String(), `name="apply"`) {
		t.Error("a file with problems offers to import")
	}
	if _, err := e.st.Listing(t.Context(), "circle-a"); !errors.Is(err, directory.ErrNotFound) {
		t.Fatalf("a checked file was saved: %v", err)
	}

	latin1 := "name,summary,organization,city,country\nCaf\xe9,Un c\xedrculo.,Vecinos,Madrid,ES\n"
	rec = e.upload("/admin/import?ui=en", latin1, admin)
	mustContain(t, "the encoding report", rec.Body.String(), "CSV UTF-8")

	// The fixed file: a report of what would happen, then apply.
	good := strings.Replace(bad, "25:00", "18:00", 1)
	good = strings.Replace(good, "maybe", "yes", 1)
	rec = e.upload("/admin/import?ui=en", good, admin)
	if rec.Code != http.StatusOK {
		t.Fatalf("good file: %d %s", rec.Code, rec.Body)
	}
	mustContain(t, "the ready report", rec.Body.String(), "Ready to import 1 listing", "/groups/circle-a",
		"New listing", `name="apply" value="yes"`)
	if _, err := e.st.Listing(t.Context(), "circle-a"); !errors.Is(err, directory.ErrNotFound) {
		t.Fatalf("a dry run saved: %v", err)
	}
	rec = e.do(http.MethodPost, "/admin/import?ui=en", url.Values{"csv": {good}, "apply": {"yes"}}, admin)
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/admin/import?ui=en&done=imported&added=1&updated=0" {
		t.Fatalf("apply: %d %s %s", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	mustContain(t, "the confirmation", e.do(http.MethodGet, rec.Header().Get("Location"), nil, admin).Body.String(),
		"Imported. New listings: 1. Updated: 0.")
	l, err := e.st.Listing(t.Context(), "circle-a")
	if err != nil {
		t.Fatal(err)
	}
	if l.ConfirmedBy != directory.ByImport || l.Schedules[0].OpensAt != "18:00" {
		t.Errorf("imported: %+v", l)
	}
	var actor string
	if err := e.st.Pool().QueryRow(t.Context(), `SELECT actor FROM audit_log WHERE entity_id = $1`, l.ID).Scan(&actor); err != nil ||
		actor != "admin@example.org" {
		t.Errorf("audit actor %q %v", actor, err)
	}

	// Moderators may not import.
	e.addUser("mod@example.org", directory.Moderator)
	if rec := e.upload("/admin/import", good, e.signIn("mod@example.org")); rec.Code != http.StatusForbidden {
		t.Errorf("a moderator imported: %d", rec.Code)
	}
}
