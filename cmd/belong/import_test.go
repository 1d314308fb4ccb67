package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/belong-directory/belong/internal/testenv"
)

// A Meeting Guide file imports, imports again without changing anything, and
// a broken one changes nothing and says why.
func TestImportMeetingGuideFile(t *testing.T) {
	db := testenv.NewDatabase(t)
	env := map[string]string{"DATABASE_URL": testenv.DatabaseURL(db)}
	if code, _, stderr := belong(t, env, "migrate", "up"); code != 0 {
		t.Fatalf("migrate: %s", stderr)
	}
	feed := filepath.Join("..", "..", "internal", "feeds", "testdata", "feed.json")
	code, out, stderr := belong(t, env, "import", "meeting-guide", feed, "--name", "Example Intergroup")
	if code != 0 || !strings.Contains(out, "3 added, 0 updated, 0 unchanged") ||
		!strings.Contains(out, "not modelled: C×1 D×1 O×1 ZZ-CUSTOM×1") {
		t.Fatalf("first import: exit %d\n%s\n%s", code, out, stderr)
	}
	code, out, stderr = belong(t, env, "import", "meeting-guide", feed)
	if code != 0 || !strings.Contains(out, "0 added, 0 updated, 3 unchanged") || !strings.Contains(out, "Example Intergroup") {
		t.Fatalf("second import: exit %d\n%s\n%s", code, out, stderr)
	}

	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`[{"name": "x", "slug": "x", "day": 9}, {"name":`), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, stderr = belong(t, env, "import", "meeting-guide", bad)
	if code != 1 || !strings.Contains(stderr, "not valid JSON") || !strings.Contains(out, "failed") {
		t.Fatalf("broken feed: exit %d\n%s\n%s", code, out, stderr)
	}
	code, _, stderr = belong(t, env, "import", "meeting-guide", "http://example.org/feed.json")
	if code != 1 || !strings.Contains(stderr, "https://") {
		t.Fatalf("http feed: exit %d %s", code, stderr)
	}
	for _, args := range [][]string{{"import"}, {"import", "csv-ish"}, {"import", "meeting-guide"},
		{"import", "meeting-guide", feed, "--bogus"}} {
		if code, _, stderr := belong(t, env, args...); code != 2 || !strings.Contains(stderr, "Usage:") {
			t.Errorf("belong %v: exit %d, %s", args, code, stderr)
		}
	}
}
