package interop_test

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"

	"github.com/belong-directory/belong/internal/interop"
	"github.com/belong-directory/belong/internal/testenv"
)

// specTypesModule is where the browser tests' npm install puts the spec's own
// list of type codes (@code4recovery/spec, pinned in e2e/package.json).
var specTypesModule = filepath.Join("..", "..", "e2e", "node_modules", "@code4recovery", "spec", "lib", "types.js")

// specTypeCodes reads every type code of the spec's npm package with Node.js.
// Without the package or Node.js the test cannot run: a failure under CI, a
// skip (saying how to install it) on a laptop.
func specTypeCodes(t *testing.T) []string {
	t.Helper()
	missing := func(what string, err error) {
		t.Helper()
		msg := what + " is missing (" + err.Error() + "); scripts/browser.sh installs it (npm ci in e2e/)"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	module, err := filepath.Abs(specTypesModule)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(module); err != nil {
		missing("the npm package @code4recovery/spec", err)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("Node.js", err)
	}
	out, err := exec.Command(node, "-e",
		`process.stdout.write(JSON.stringify(Object.keys(require(process.argv[1]).types)))`, module).Output()
	if err != nil {
		t.Fatalf("node could not read %s: %v", module, err)
	}
	var codes []string
	if err := json.Unmarshal(out, &codes); err != nil || len(codes) == 0 {
		t.Fatalf("the spec's type list: %q %v", out, err)
	}
	return codes
}

// Every type code the spec lists is mapped on import (to a tag, a language or
// something belong derives) or listed on purpose as kept but not modelled, and
// the project's own table of the spec's codes lists exactly the package's.
func TestEverySpecTypeCodeIsMappedOrKept(t *testing.T) {
	codes := specTypeCodes(t)
	st := testenv.Store(t)
	ctx := context.Background()
	cats, err := st.Taxonomy(ctx, "en")
	if err != nil {
		t.Fatal(err)
	}
	langs, err := st.Languages(ctx, "en")
	if err != nil {
		t.Fatal(err)
	}
	cw := interop.NewMeetingTypeCrosswalk(cats, langs)
	for _, code := range codes {
		if !cw.Accounted(code) {
			t.Errorf("type %q is neither mapped nor listed as kept-but-unmodelled (meetingguide_types.go)", code)
		}
		if _, ok := interop.SpecMeetingTypes[code]; !ok {
			t.Errorf("type %q is missing from SpecMeetingTypes: say which group it is in", code)
		}
	}
	for code := range interop.SpecMeetingTypes {
		if !slices.Contains(codes, code) {
			t.Errorf("SpecMeetingTypes lists %q, which the spec no longer has", code)
		}
	}
	// The export's schema names exactly the spec's codes and belong's own.
	raw, err := os.ReadFile(filepath.Join("testdata", "meeting-guide.schema.json"))
	if err != nil {
		t.Fatal(err)
	}
	var schema struct {
		Defs map[string]struct {
			Enum []string `json:"enum"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatal(err)
	}
	want := append(slices.Clone(codes), interop.CustomMeetingTypes...)
	got := slices.Clone(schema.Defs["type"].Enum)
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("the export schema's type codes differ from the spec's and belong's:\n got %v\nwant %v", got, want)
	}
	mapped := 0
	for _, code := range codes {
		if !cw.Import(code).Kept {
			mapped++
		}
	}
	t.Logf("%d spec type codes: %d mapped, %d kept but not modelled", len(codes), mapped, len(codes)-mapped)
}
