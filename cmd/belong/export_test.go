package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/belong-directory/belong/internal/interop/schematest"
	"github.com/belong-directory/belong/internal/testenv"
)

// The demo directory exports whole: every HSDS record kind to its own JSON and
// CSV file (and datapackage.json),
// each record to the test schema, and the Meeting Guide feed to its schema.
func TestExportTheDemoDirectory(t *testing.T) {
	db := testenv.NewDatabase(t)
	env := map[string]string{"DATABASE_URL": testenv.DatabaseURL(db), "BASE_URL": "https://belong.example"}
	for _, args := range [][]string{{"migrate", "up"}, {"seed", "--demo"}} {
		if code, _, stderr := belong(t, env, args...); code != 0 {
			t.Fatalf("belong %v: %s", args, stderr)
		}
	}
	dir := t.TempDir()
	code, out, stderr := belong(t, env, "export", "hsds", filepath.Join(dir, "hsds"))
	if code != 0 || !strings.Contains(out, "wrote 27 files") {
		t.Fatalf("exit %d: %s %s", code, out, stderr)
	}
	def := map[string]string{"services": "service_one_to_one", "organizations": "organization", "locations": "location",
		"schedules": "schedule", "attributes": "attribute", "taxonomy_terms": "taxonomy_term"}
	for name, d := range def {
		b, err := os.ReadFile(filepath.Join(dir, "hsds", name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		var records []json.RawMessage
		if err := json.Unmarshal(b, &records); err != nil || len(records) == 0 {
			t.Fatalf("%s: %d records, %v", name, len(records), err)
		}
		for _, r := range records {
			schematest.Check(t, schematest.HSDS, d, r)
		}
	}

	feed := filepath.Join(dir, "meetings.json")
	if code, out, stderr := belong(t, env, "export", "meeting-guide", feed); code != 0 || !strings.Contains(out, "meetings") {
		t.Fatalf("exit %d: %s %s", code, out, stderr)
	}
	b, err := os.ReadFile(feed)
	if err != nil {
		t.Fatal(err)
	}
	schematest.Check(t, schematest.MeetingGuide, "", b)

	for _, args := range [][]string{{"export"}, {"export", "csv", "x"}, {"export", "hsds"}, {"export", "hsds", dir, "extra"}} {
		if code, _, stderr := belong(t, env, args...); code != 2 || !strings.Contains(stderr, "Usage:") {
			t.Errorf("belong %v: exit %d, %s", args, code, stderr)
		}
	}
}
