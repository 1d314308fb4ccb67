package server_test

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/testenv"
)

// gapsEnv is the product with two groups in Chicago: one free, one free with
// childcare only in part, and a moderator and an admin to sign in.
func gapsEnv(t *testing.T) *staffEnv {
	t.Helper()
	e := newStaffEnv(t)
	e.addUser("mod@example.org", directory.Moderator)
	e.addUser("admin@example.org", directory.Admin)
	e.publish(testenv.WeeklyGroup("free-circle", "cost.free"), "a@example.org")
	e.publish(testenv.WeeklyGroup("free-talk", "cost.free"), "b@example.org")
	e.drain()
	// The directory learns of Chicago, as its minute-by-minute refresh would.
	if err := e.web.Directory.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	return e
}

// unusualSearch asks for four needs nobody asks for together, in one city.
const unusualSearch = "need=access.step-free&need=lang.sign-interpreting&need=sensory.scent-free&need=transit.parking&city=Chicago"

// commonSearch asks for what many ask for: free, with childcare.
const commonSearch = "need=cost.free&need=care.childcare&city=chicago"

func (e *staffEnv) search(query string) {
	e.t.Helper()
	for _, target := range []string{"/?ui=en&" + query, "/api/v1/listings?" + query} {
		if rec := e.do(http.MethodGet, target, nil); rec.Code != http.StatusOK {
			e.t.Fatalf("%s: %d %s", target, rec.Code, rec.Body)
		}
	}
}

func (e *staffEnv) flushCounts() {
	e.t.Helper()
	e.web.NeedCounter.Flush(e.t.Context())
	if e.web.NeedCounter.Lost() != 0 || e.web.NeedCounter.Dropped() != 0 {
		e.t.Fatalf("counts lost %d, dropped %d", e.web.NeedCounter.Lost(), e.web.NeedCounter.Dropped())
	}
}

func csvRows(t *testing.T, body string) [][]string {
	t.Helper()
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("CSV: %v\n%s", err, body)
	}
	if len(rows) == 0 || strings.Join(rows[0], ",") != "week,week_start,needs,place,outcome,searches" {
		t.Fatalf("CSV header: %v", rows)
	}
	return rows[1:]
}

// TestOneUnusualSearchIsNeverPublic makes one unusual search (through the page
// and the API: two searches) and shows that neither the public page nor the
// public CSV reveals it, while a moderator sees it; then ten searches of a
// common combination make its cell appear for everyone.
func TestOneUnusualSearchIsNeverPublic(t *testing.T) {
	e := gapsEnv(t)
	mod := e.signIn("mod@example.org")
	e.search(unusualSearch)
	e.flushCounts()

	page := e.do(http.MethodGet, "/gaps?ui=en", nil)
	if page.Code != http.StatusOK {
		t.Fatalf("/gaps: %d %s", page.Code, page.Body)
	}
	for _, label := range []string{"Step-free", "scent", "Parking", "Chicago"} {
		if strings.Contains(page.Body.String(), label) {
			t.Errorf("the public page says %q after one search", label)
		}
	}
	mustContain(t, "public /gaps", page.Body.String(), "no combination of needs reached 10 searches")
	if rows := csvRows(t, e.do(http.MethodGet, "/gaps.csv", nil).Body.String()); len(rows) != 0 {
		t.Errorf("the public CSV has rows after one search: %v", rows)
	}
	staffPage := e.do(http.MethodGet, "/gaps?ui=en", nil, mod).Body.String()
	mustContain(t, "the moderators' /gaps", staffPage, "Chicago", "You see every count")
	staffCSV := csvRows(t, e.do(http.MethodGet, "/gaps.csv", nil, mod).Body.String())
	if len(staffCSV) != 1 || staffCSV[0][2] != "access.step-free lang.sign-interpreting sensory.scent-free transit.parking" ||
		staffCSV[0][3] != "Chicago" || staffCSV[0][4] != "none" || staffCSV[0][5] != "2" ||
		!strings.Contains(staffCSV[0][0], "-W") {
		t.Errorf("the moderators' CSV: %v", staffCSV)
	}

	for range 5 { // five on the page and five through the API
		e.search(commonSearch)
	}
	e.search("need=cost.free&need=care.childcare&city=Chicago&page=1&per_page=1") // first pages count
	e.flushCounts()
	page = e.do(http.MethodGet, "/gaps?ui=en", nil)
	body := page.Body.String()
	mustContain(t, "public /gaps after ten searches", body, "Childcare provided", "Free", "Chicago")
	if strings.Contains(body, "Step-free") || strings.Contains(body, "Parking") {
		t.Error("the unusual search shows publicly once another cell is public")
	}
	if strings.Contains(body, "Come close today") {
		t.Error("the public page shows what the moderators' report adds")
	}
	rows := csvRows(t, e.do(http.MethodGet, "/gaps.csv", nil).Body.String())
	if len(rows) != 1 || rows[0][2] != "care.childcare cost.free" || rows[0][3] != "Chicago" || rows[0][4] != "none" ||
		rows[0][5] != "12" {
		t.Errorf("the public CSV after twelve common searches: %v", rows)
	}

	// The moderators see what comes close today: both groups are free, neither
	// offers childcare.
	staffPage = e.do(http.MethodGet, "/gaps?ui=en&place=Chicago", nil, mod).Body.String()
	mustContain(t, "the moderators' /gaps", staffPage, "Come close today", "Childcare provided (2 listings)")
}

// TestGapsAnswersEachRoleItsOwnView: the same route, two views. Anonymous
// visitors get the public one without a cookie; moderators and admins the
// full one, never cached; a broken session is the public view, not an error.
func TestGapsAnswersEachRoleItsOwnView(t *testing.T) {
	e := gapsEnv(t)
	for _, path := range []string{"/gaps?ui=es", "/gaps.csv"} {
		anon := e.do(http.MethodGet, path, nil)
		if anon.Code != http.StatusOK || anon.Header().Get("Set-Cookie") != "" {
			t.Errorf("%s anonymous: %d, cookie %q", path, anon.Code, anon.Header().Get("Set-Cookie"))
		}
		if vary := strings.Join(anon.Header().Values("Vary"), ", "); !strings.Contains(vary, "Cookie") {
			t.Errorf("%s: Vary %q lacks Cookie", path, vary)
		}
		for _, who := range []string{"mod@example.org", "admin@example.org"} {
			rec := e.do(http.MethodGet, path, nil, e.signIn(who))
			if rec.Code != http.StatusOK || rec.Header().Get("Cache-Control") != "private, no-store" {
				t.Errorf("%s as %s: %d, Cache-Control %q", path, who, rec.Code, rec.Header().Get("Cache-Control"))
			}
		}
		stale := e.do(http.MethodGet, path, nil, &http.Cookie{Name: "belong_session", Value: "not-a-session"})
		if stale.Code != http.StatusOK {
			t.Errorf("%s with a stale cookie: %d", path, stale.Code)
		}
	}
	anon := e.do(http.MethodGet, "/gaps?ui=es", nil).Body.String()
	mustContain(t, "public /gaps in Spanish", anon, "Necesidades que nadie cubre todavía", "al menos 10 búsquedas")
	if strings.Contains(anon, "Ves todos los recuentos") || strings.Contains(anon, `aria-label="Moderación"`) {
		t.Error("the public page shows the moderators' view")
	}
	staff := e.do(http.MethodGet, "/gaps?ui=es", nil, e.signIn("mod@example.org")).Body.String()
	mustContain(t, "the moderators' /gaps in Spanish", staff, "Ves todos los recuentos", `aria-label="Moderación"`)
}

// TestGapsRefusesBadInputClearly: unknown windows and places get a 400 that
// says what to choose, linked to the field, on the page and in the CSV.
func TestGapsRefusesBadInputClearly(t *testing.T) {
	e := gapsEnv(t)
	rec := e.do(http.MethodGet, "/gaps?ui=en&weeks=5&place=Atlantis", nil)
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("bad weeks and place: %d", rec.Code)
	}
	mustContain(t, "the refused page", rec.Body.String(), `href="#f-weeks"`, "Choose 4, 12, 26 or 52 weeks.",
		`href="#f-place"`, "Choose a place from the list.", `aria-invalid="true"`)
	if rec := e.do(http.MethodGet, "/gaps?ui=en&weeks=%zz", nil); rec.Code != http.StatusBadRequest {
		t.Errorf("a broken query: %d", rec.Code)
	}
	csvRec := e.do(http.MethodGet, "/gaps.csv?place=Atlantis", nil)
	if csvRec.Code != http.StatusBadRequest || strings.Contains(csvRec.Body.String(), "week,week_start") {
		t.Errorf("CSV with a bad place: %d %s", csvRec.Code, csvRec.Body)
	}
	// Asked for from a page, the refusal is in the person's words, not the
	// problem document's.
	csvRec = e.do(http.MethodGet, "/gaps.csv?ui=es&weeks=abc", nil)
	body := csvRec.Body.String()
	mustContain(t, "the refused CSV", body, "Revisa esto y vuelve a intentarlo:", "Elige 4, 12, 26 o 52 semanas.")
	if strings.Contains(body, "invalid input") {
		t.Errorf("the refused CSV shows the program's words: %s", body)
	}
}

// TestGapsCSVCellsAreNeverFormulas: a place a spreadsheet would read as a
// formula comes out inert.
func TestGapsCSVCellsAreNeverFormulas(t *testing.T) {
	e := gapsEnv(t)
	if err := e.st.AddNeedCounts(t.Context(), []directory.NeedCount{{Week: directory.WeekOf(time.Now()),
		Needs: []string{"cost.free"}, Place: `=HYPERLINK("http://evil.example","x")`, Outcome: directory.NoFullMatch,
		Searches: 11}}); err != nil {
		t.Fatal(err)
	}
	rows := csvRows(t, e.do(http.MethodGet, "/gaps.csv", nil).Body.String())
	if len(rows) != 1 || !strings.HasPrefix(rows[0][3], "'=") {
		t.Fatalf("CSV: %v", rows)
	}
}
