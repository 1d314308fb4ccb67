package interop_test

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/interop"
)

func checkCSV(t *testing.T, im *interop.Importer, csv string) interop.Plan {
	t.Helper()
	p, err := im.CheckCSV(t.Context(), strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// The template's example row is a listing that imports as it is, so an admin
// who follows it cannot go wrong.
func TestCSVTemplateImports(t *testing.T) {
	im, dir, st := importer(t)
	var buf bytes.Buffer
	if err := im.CSVTemplate(&buf); err != nil {
		t.Fatal(err)
	}
	header, _, _ := strings.Cut(buf.String(), "\r\n")
	for _, col := range []string{"name", "summary", "organization", "days", "starts", "cost.free", "access.step-free"} {
		if !slices.Contains(strings.Split(header, ","), col) {
			t.Errorf("template header lacks %s: %s", col, header)
		}
	}
	p := checkCSV(t, im, buf.String())
	if !p.OK() || len(p.Listings) != 1 {
		t.Fatalf("template does not import: %+v", p.Problems)
	}
	if p.Listings[0].Update {
		t.Error("an empty directory has nothing to update")
	}
	ids, err := im.Apply(t.Context(), p, "test")
	if err != nil || len(ids) != 1 {
		t.Fatalf("apply: %v %v", ids, err)
	}
	l, err := st.Listing(t.Context(), "tuesday-grief-circle")
	if err != nil {
		t.Fatal(err)
	}
	if l.Organization.Name != "Neighbours Network" || l.Status != directory.Published || l.ConfirmedBy != directory.ByImport {
		t.Errorf("listing: %+v", l)
	}
	if len(l.Schedules) != 1 || l.Schedules[0].ByDay != "TU,TH" || l.Schedules[0].OpensAt != "18:30" ||
		l.Schedules[0].TimeZone != "America/Chicago" || l.Schedules[0].Start != "2026-01-06" {
		t.Errorf("schedule: %+v", l.Schedules)
	}
	if len(l.Locations) != 1 || l.Locations[0].City != "Chicago" || l.Locations[0].Country != "US" {
		t.Errorf("place: %+v", l.Locations)
	}
	if !slices.Equal(l.Languages, []string{"en", "es"}) {
		t.Errorf("languages: %v", l.Languages)
	}
	step, ok := l.Tag("access.step-free")
	if !ok || step.Value != directory.Partly || step.Note != "ramp at the side door" || step.Source != directory.ByImport {
		t.Errorf("step-free: %+v", step)
	}
	if free, ok := l.Tag("cost.free"); !ok || free.Value != directory.Yes {
		t.Errorf("cost.free: %+v", free)
	}
	if _, ok := l.Tag("care.childcare"); !ok {
		t.Error("childcare: no is a reported value, not absent")
	}
	if l.ContactEmail != "organizer@neighbours.example" {
		t.Errorf("contact email: %q", l.ContactEmail)
	}
	pending, _, err := st.OutboxBacklog(t.Context())
	if err != nil || pending != 1 {
		t.Errorf("outbox: %d %v", pending, err)
	}
	var audits int
	if err := st.Pool().QueryRow(t.Context(), `SELECT count(*) FROM audit_log WHERE actor = 'test'`).Scan(&audits); err != nil || audits != 1 {
		t.Errorf("audit rows: %d %v", audits, err)
	}
	if _, err := dir.PublicListing(t.Context(), "tuesday-grief-circle"); err != nil {
		t.Errorf("public: %v", err)
	}

	// The same file again updates the listing in place.
	p = checkCSV(t, im, buf.String())
	if !p.OK() || !p.Listings[0].Update {
		t.Errorf("second check: %+v", p)
	}
}

const goodRow = "Circle A,A calm circle.,Neighbours,Monday,18:00,19:00,America/Chicago,Chicago,US\n"
const header = "name,summary,organization,days,starts,ends,time_zone,city,country\n"

// Two rows with one page address given in the slug column are told apart by
// that column, not by their names, which differ.
func TestCSVNamesTheSlugColumnWhenTwoRowsShareIt(t *testing.T) {
	im, _, _ := importer(t)
	p := checkCSV(t, im, "name,slug,summary,organization,days,starts,ends,time_zone,city,country\n"+
		"Circle A,the-circle,A calm circle.,Neighbours,Monday,18:00,19:00,America/Chicago,Chicago,US\n"+
		"Circle B,the-circle,Another circle.,Neighbours,Tuesday,18:00,19:00,America/Chicago,Chicago,US\n")
	if got := wheres(p.Problems); !slices.Equal(got, []where{{3, "slug", "import.problem.same_slug_given"}}) {
		t.Fatalf("problems: %+v", p.Problems)
	}
}

// A dry run names every problem by row and column, all at once, and writes
// nothing.
func TestCSVReportsEveryProblemByRowAndColumn(t *testing.T) {
	im, _, st := importer(t)
	csv := "Name,Summary,Organization,Days,Starts,Ends,Time zone,City,Country,languages,cost.free,discreet,website\n" +
		"Circle A,A calm circle.,Neighbours,Monday,18:00,19:00,America/Chicago,Chicago,US,English,yes,no,\n" +
		",No name here.,Neighbours,Someday,25:00,7,Mars/Olympus,Chicago,USA,Klingon,maybe,perhaps,javascript:alert(1)\n" +
		"\n" +
		"Circle A,Same name as row 2.,Neighbours,2nd Tuesday,6:30pm,8pm,America/Chicago,,,,,,\n" +
		"\"Too,many\",cells,here,,,,,,,,,,,extra\n"
	p := checkCSV(t, im, csv)
	want := []where{
		{3, "days", "import.problem.days"},
		{3, "starts", "import.problem.time"},
		{3, "ends", "import.problem.time"},
		{3, "discreet", "import.problem.yes_no"},
		{3, "languages", "import.problem.language"},
		{3, "cost.free", "import.problem.tag_value"},
		{3, "name", "import.field.required"},
		{3, "website", "import.problem.link"},
		{3, "country", "import.problem.country"},
		{3, "time_zone", "import.problem.time_zone"},
		{5, "city", "import.problem.no_place"},
		{5, "name", "import.problem.same_slug"},
		{6, "", "import.problem.cells"},
	}
	got := wheres(p.Problems)
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("missing problem %+v", w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("got %d problems, want %d:\n%+v", len(got), len(want), p.Problems)
	}
	if p.OK() {
		t.Error("a plan with problems is not OK")
	}
	if _, err := im.Apply(t.Context(), p, "test"); !errors.Is(err, interop.ErrNothingToImport) {
		t.Errorf("apply with problems: %v", err)
	}
	if pending, _, _ := st.OutboxBacklog(t.Context()); pending != 0 {
		t.Errorf("a refused import wrote %d outbox rows", pending)
	}
	// The monthly row was read as the 2nd Tuesday, 18:30 to 20:00.
	sc := p.Listings[2].Listing.Schedules[0]
	if sc.Freq != "MONTHLY" || sc.ByDay != "2TU" || sc.OpensAt != "18:30" || sc.ClosesAt != "20:00" {
		t.Errorf("monthly: %+v", sc)
	}
}

func TestCSVFileProblems(t *testing.T) {
	im, _, _ := importer(t)
	latin1 := []byte("name,summary,organization,city,country\nCaf\xe9 Circle,Un c\xedrculo.,Vecinos,Madrid,ES\n")
	utf16 := append([]byte{0xff, 0xfe}, []byte("n\x00a\x00")...)
	cases := []struct {
		name, csv string
		want      []where
	}{
		{"missing column", "name,organization,city,country\nA,B,Chicago,US\n",
			[]where{{1, "summary", "import.problem.missing_column"}}},
		{"unknown and doubled column", "name,summary,organization,city,country,colour,name\nA,B,C,Chicago,US,red,A\n",
			[]where{{1, "colour", "import.problem.unknown_column"}, {1, "name", "import.problem.column_twice"}}},
		{"latin-1", string(latin1), []where{{0, "", "import.problem.encoding"}}},
		{"utf-16", string(utf16), []where{{0, "", "import.problem.encoding"}}},
		{"empty", " \n", []where{{0, "", "import.problem.empty"}}},
		{"header only", header, []where{{0, "", "import.problem.empty"}}},
		{"bare quote", header + "A \"b\" c,d,e,Monday,18:00,19:00,UTC,X,US\n", []where{{2, "", "import.problem.unreadable"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := checkCSV(t, im, c.csv)
			if got := wheres(p.Problems); !slices.Equal(got, c.want) {
				t.Errorf("got %+v, want %+v", p.Problems, c.want)
			}
			for _, pr := range p.Problems {
				if pr.Message == "" {
					t.Errorf("problem without a message: %+v", pr)
				}
			}
		})
	}
}

// What spreadsheets write: a byte-order mark before the header, semicolons
// where the comma is the decimal mark, CRLF line ends, Spanish words.
func TestCSVReadsWhatSpreadsheetsWrite(t *testing.T) {
	im, _, _ := importer(t)
	csv := "\ufeffname;summary;organization;days;starts;ends;time_zone;city;country;latitude;longitude;languages;cost.free;repeats\r\n" +
		"Círculo de duelo;Un círculo tranquilo.;Vecinos;martes y jueves;18h30;20:00;Europe/Madrid;Madrid;es;40,4168;-3,7038;español, lengua de signos española;sí: el té es gratis;cada 2 semanas\r\n"
	p := checkCSV(t, im, csv)
	if !p.OK() {
		t.Fatalf("problems: %+v", p.Problems)
	}
	l := p.Listings[0].Listing
	if l.Slug != "circulo-de-duelo" || l.Schedules[0].ByDay != "TU,TH" || l.Schedules[0].Interval != 2 ||
		l.Schedules[0].OpensAt != "18:30" || *l.Locations[0].Lat != 40.4168 || l.Locations[0].Country != "ES" {
		t.Errorf("listing: %+v %+v %+v", l, l.Schedules, l.Locations)
	}
	if !slices.Equal(l.Languages, []string{"es", "ssp"}) {
		t.Errorf("languages: %v", l.Languages)
	}
	if free, _ := l.Tag("cost.free"); free.Value != directory.Yes || free.Note != "el té es gratis" {
		t.Errorf("cost.free: %+v", free)
	}
}

// A cell that a spreadsheet would run as a formula is kept as the text it is;
// every CSV export writes it back with a leading apostrophe.
func TestCSVFormulaCellsStayText(t *testing.T) {
	im, _, st := importer(t)
	formula := `=HYPERLINK("https://evil.example","Click")`
	csv := header + `"` + strings.ReplaceAll(formula, `"`, `""`) + `",+1 call now,@SUM(A1),Monday,18:00,19:00,America/Chicago,-Chicago,US` + "\n"
	p := checkCSV(t, im, csv)
	if !p.OK() {
		t.Fatalf("problems: %+v", p.Problems)
	}
	if _, err := im.Apply(t.Context(), p, "test"); err != nil {
		t.Fatal(err)
	}
	l, err := st.Listing(t.Context(), p.Listings[0].Slug)
	if err != nil {
		t.Fatal(err)
	}
	if l.Name != formula || l.Summary != "+1 call now" || l.Organization.Name != "@SUM(A1)" {
		t.Errorf("stored: %q %q %q", l.Name, l.Summary, l.Organization.Name)
	}
	var buf bytes.Buffer
	w := interop.NewCSVWriter(&buf)
	if err := w.Write([]string{l.Name, l.Summary, l.Organization.Name, l.Locations[0].City, "-87.6775", "\tx", "plain"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := `"'=HYPERLINK(""https://evil.example"",""Click"")",'+1 call now,'@SUM(A1),'-Chicago,-87.6775,'` + "\tx,plain\r\n"
	if buf.String() != want {
		t.Errorf("export:\n got %q\nwant %q", buf.String(), want)
	}
}

// Apply is all or nothing: when the database refuses the last listing, the
// ones before it are not written either, nor their outbox and audit rows.
func TestCSVApplyIsAllOrNothing(t *testing.T) {
	im, _, st := importer(t)
	p := checkCSV(t, im, header+goodRow+strings.Replace(goodRow, "Circle A", "Circle B", 1))
	if !p.OK() || len(p.Listings) != 2 {
		t.Fatalf("plan: %+v", p)
	}
	// A language code of the right shape that the languages table lacks:
	// validation lets it through, the database's foreign key does not.
	p.Listings[1].Listing.Languages = []string{"qqq"}
	if _, err := im.Apply(t.Context(), p, "test"); err == nil {
		t.Fatal("the database accepted an unknown language")
	}
	if _, err := st.Listing(t.Context(), p.Listings[0].Slug); !errors.Is(err, directory.ErrNotFound) {
		t.Errorf("the first listing was written: %v", err)
	}
	pending, _, _ := st.OutboxBacklog(t.Context())
	var audits int
	_ = st.Pool().QueryRow(t.Context(), `SELECT count(*) FROM audit_log`).Scan(&audits)
	if pending != 0 || audits != 0 {
		t.Errorf("outbox %d, audit %d after a refused import", pending, audits)
	}
}

func FuzzCSVImport(f *testing.F) {
	im, _, _ := importer(f)
	var tmpl bytes.Buffer
	if err := im.CSVTemplate(&tmpl); err != nil {
		f.Fatal(err)
	}
	f.Add(tmpl.Bytes())
	f.Add([]byte(header + goodRow))
	f.Add([]byte("name;summary;organization\n\"a;b\";c;d\n"))
	f.Add([]byte("\ufeffname,summary,organization,days\nA,B,C,last Friday and 2TU\n"))
	f.Add([]byte("name,summary,organization,latitude\n=1+1,\"x\"\"y\",@z,NaN\n"))
	f.Add([]byte{0xff, 0xfe, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := im.CheckCSV(t.Context(), bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		for _, pr := range p.Problems {
			if pr.Key == "" || pr.Message == "" || pr.Row < 0 {
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

// One mistake is one problem: a time that cannot be read is not reported
// again as a schedule that cannot be read.
func TestCSVOneProblemPerMistake(t *testing.T) {
	im, _, _ := importer(t)
	p := checkCSV(t, im, header+strings.Replace(goodRow, "18:00", "25:00", 1))
	if got := wheres(p.Problems); !slices.Equal(got, []where{{2, "starts", "import.problem.time"}}) {
		t.Errorf("problems: %+v", p.Problems)
	}
}

// What the listing's validation leaves to the database is checked before it
// gets there, so a file the check passes is one the database takes.
func TestCSVChecksWhatTheDatabaseWouldRefuse(t *testing.T) {
	im, _, _ := importer(t)
	csv := "name,summary,organization,organization_website,organization_email,repeats,days,starts,ends,time_zone,city,country\n" +
		"A,B,C,javascript:alert(1),not-an-address,every 20 weeks,Monday,18:00,19:00,UTC,X,US\n"
	p := checkCSV(t, im, csv)
	want := []where{{2, "repeats", "import.problem.repeats"}, {2, "organization_website", "import.problem.link"},
		{2, "organization_email", "import.problem.email"}}
	if got := wheres(p.Problems); !slices.Equal(got, want) {
		t.Errorf("got %+v, want %+v", p.Problems, want)
	}
}
