package interop_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/interop"
)

// The export also writes the HSDS Tabular Data Package: one CSV per kind of
// record with the specification's columns first, and datapackage.json.
func TestHSDSTabularPackage(t *testing.T) {
	ls := directoryFixture()
	ls[0].Name = `=HYPERLINK("https://evil.example","Grief Circle")`
	svc, _ := fixture(t, ls...)
	d, err := svc.HSDSDataset(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	paths, err := d.WriteCSV(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 14 || filepath.Base(paths[13]) != "datapackage.json" {
		t.Fatalf("wrote %v", paths)
	}
	read := func(name string) [][]string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return rows
	}
	services := read("services.csv")
	if !slices.Equal(services[0][:9], []string{"id", "organization_id", "program_id", "name", "alternate_name",
		"description", "url", "email", "status"}) || !slices.Contains(services[0], "x_page_url") {
		t.Errorf("services header: %v", services[0])
	}
	if len(services) != 9 {
		t.Errorf("%d service rows", len(services)-1)
	}
	var names []string
	for _, r := range services[1:] {
		names = append(names, r[3])
	}
	if !slices.Contains(names, `'=HYPERLINK("https://evil.example","Grief Circle")`) {
		t.Errorf("the formula name is not escaped: %q", names)
	}
	schedules := read("schedules.csv")
	col := slices.Index(schedules[0], "timezone")
	if col < 0 || schedules[1][col] == "" || !slices.Contains(schedules[0], "x_timezone_name") {
		t.Errorf("schedules: %v", schedules[:2])
	}
	var pkg struct {
		Profile   string `json:"profile"`
		Resources []struct {
			Path   string `json:"path"`
			Schema struct {
				Fields []struct{ Name, Type string } `json:"fields"`
			} `json:"schema"`
		} `json:"resources"`
	}
	b, _ := os.ReadFile(filepath.Join(dir, "datapackage.json"))
	if err := json.Unmarshal(b, &pkg); err != nil || pkg.Profile != "tabular-data-package" || len(pkg.Resources) != 13 {
		t.Fatalf("datapackage: %v %s", err, b)
	}
	for _, r := range pkg.Resources {
		header := read(r.Path)[0]
		var fields []string
		for _, f := range r.Schema.Fields {
			fields = append(fields, f.Name)
		}
		if !slices.Equal(fields, header) {
			t.Errorf("%s: datapackage fields %v, header %v", r.Path, fields, header)
		}
	}
}

// The tabular package imports like the JSON files, and a round trip through
// it exports the same again.
func TestHSDSTabularRoundTrip(t *testing.T) {
	svc, _ := fixture(t, directoryFixture()...)
	d, err := svc.HSDSDataset(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := d.WriteCSV(dir); err != nil {
		t.Fatal(err)
	}
	_, before := exportTo(t, svc)

	im, dir2, _ := importer(t)
	p, err := im.CheckHSDS(t.Context(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if !p.OK() || len(p.Notes) != 0 || len(p.Listings) != 8 {
		t.Fatalf("problems %+v\nnotes %+v", p.Problems, p.Notes)
	}
	if _, err := im.Apply(t.Context(), p, "import"); err != nil {
		t.Fatal(err)
	}
	_, after := exportTo(t, interop.New(dir2, "https://belong.example", func() time.Time { return now }))
	for name, b := range before {
		if got, want := updatedAt.ReplaceAll(after[name], nil), updatedAt.ReplaceAll(b, nil); !bytes.Equal(got, want) {
			t.Errorf("%s differs after the round trip through CSV:\n got %s\nwant %s", name, got, want)
		}
	}
	if strings.Contains(string(after["phones.json"]), `"'+`) {
		t.Error("an escaped phone number kept its apostrophe")
	}
}

func FuzzHSDSTabular(f *testing.F) {
	im, _, _ := importer(f)
	org := "0f9e7b8a-1c2d-4e3f-8a9b-0c1d2e3f4a5b"
	f.Add([]byte("id,name,description\n"+org+",Org,\n"),
		[]byte("id,organization_id,name,description,status\n1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d,"+org+",A,'=x,active\n"))
	f.Add([]byte("id,name\n\"broken"), []byte("id,organization_id,name,status,x_page_url\n,,\"\",active,https://x/groups/A\n"))
	f.Add([]byte("\ufeffid;name\n"), []byte("latitude\nnot-a-number\n"))
	f.Fuzz(func(t *testing.T, orgs, services []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, "organizations.csv"), orgs, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "services.csv"), services, 0o644); err != nil {
			t.Fatal(err)
		}
		p, err := im.CheckHSDS(t.Context(), dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, pr := range append(p.Problems, p.Notes...) {
			if pr.Key == "" || pr.Message == "" {
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
