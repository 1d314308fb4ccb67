package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/belong-directory/belong/internal/testenv"
)

// The demo directory's HSDS export (its 150 published listings) imports into an empty database through the
// command line, and a spreadsheet with a mistake is refused with its row and
// column and an exit status of 1, nothing written.
func TestImportCommands(t *testing.T) {
	from, to := testenv.NewDatabase(t), testenv.NewDatabase(t)
	src := map[string]string{"DATABASE_URL": testenv.DatabaseURL(from), "BASE_URL": "https://belong.example"}
	dst := map[string]string{"DATABASE_URL": testenv.DatabaseURL(to), "BASE_URL": "https://belong.example"}
	for _, step := range []struct {
		env  map[string]string
		args []string
	}{{src, []string{"migrate", "up"}}, {src, []string{"seed", "--demo"}}, {dst, []string{"migrate", "up"}}} {
		if code, _, stderr := belong(t, step.env, step.args...); code != 0 {
			t.Fatalf("belong %v: %s", step.args, stderr)
		}
	}
	dir := filepath.Join(t.TempDir(), "hsds")
	if code, _, stderr := belong(t, src, "export", "hsds", dir); code != 0 {
		t.Fatalf("export: %s", stderr)
	}
	code, out, stderr := belong(t, dst, "import", "hsds", dir, "--dry-run")
	if code != 0 || !strings.Contains(out, "dry run: would add 150 and update 0 listings") {
		t.Fatalf("dry run: exit %d\n%s\n%s", code, out, stderr)
	}
	code, out, stderr = belong(t, dst, "import", "hsds", dir)
	if code != 0 || !strings.Contains(out, "imported: added 150 and updated 0 listings") {
		t.Fatalf("import: exit %d\n%s\n%s", code, out, stderr)
	}
	if code, out, _ := belong(t, dst, "import", "hsds", dir, "--dry-run"); code != 0 ||
		!strings.Contains(out, "would add 0 and update 150") {
		t.Errorf("again: %s", out)
	}

	csv := filepath.Join(t.TempDir(), "listings.csv")
	bad := "name,summary,organization,days,starts,ends,time_zone,city,country\n" +
		"Circle Z,Calm.,Org Z,Tuesday,25:00,20:00,America/Chicago,Chicago,US\n"
	if err := os.WriteFile(csv, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, stderr = belong(t, dst, "import", "csv", csv)
	if code != 1 || !strings.Contains(out, `problem: row 2, column starts: must be a time such as 18:30 or 6:30pm ("25:00")`) ||
		!strings.Contains(stderr, "1 problems; nothing was imported") {
		t.Errorf("bad csv: exit %d\n%s\n%s", code, out, stderr)
	}
	if err := os.WriteFile(csv, []byte(strings.Replace(bad, "25:00", "18:00", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, stderr := belong(t, dst, "import", "csv", csv); code != 0 || !strings.Contains(out, "add    circle-z (Circle Z)") {
		t.Errorf("good csv: exit %d\n%s\n%s", code, out, stderr)
	}
	for _, args := range [][]string{{"import"}, {"import", "json", "x"}, {"import", "csv"}, {"import", "csv", csv, "extra"}} {
		if code, _, stderr := belong(t, dst, args...); code != 2 || !strings.Contains(stderr, "Usage:") {
			t.Errorf("belong %v: exit %d, %s", args, code, stderr)
		}
	}
}
