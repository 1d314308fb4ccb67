// Package schematest checks JSON documents in tests against the schemas belong
// writes from the Meeting Guide and HSDS 3.0 specifications
// (internal/interop/testdata), so the interop tests and the HTTP tests hold
// answers to the same rules. Only tests import it.
package schematest

import (
	"bytes"
	"path/filepath"
	"runtime"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Schema files in internal/interop/testdata.
const (
	MeetingGuide = "meeting-guide.schema.json"
	HSDS         = "hsds.schema.json"
)

var (
	once     sync.Once
	compiler *jsonschema.Compiler
	mu       sync.Mutex
	compiled = map[string]*jsonschema.Schema{}
)

func testdata() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "testdata")
}

// schema compiles file's definition def ("" for the whole file) once, with
// formats (uri, date, date-time, uuid, email) asserted, not just noted.
func schema(t testing.TB, file, def string) *jsonschema.Schema {
	t.Helper()
	once.Do(func() {
		compiler = jsonschema.NewCompiler()
		compiler.AssertFormat()
	})
	mu.Lock()
	defer mu.Unlock()
	loc := filepath.ToSlash(filepath.Join(testdata(), file))
	if def != "" {
		loc += "#/$defs/" + def
	}
	if s, ok := compiled[loc]; ok {
		return s
	}
	s, err := compiler.Compile(loc)
	if err != nil {
		t.Fatalf("compile %s: %v", loc, err)
	}
	compiled[loc] = s
	return s
}

// Check fails the test unless doc (JSON) is valid against file's definition
// def ("" for the whole file), naming every place it is not.
func Check(t testing.TB, file, def string, doc []byte) {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("not JSON: %v\n%.500s", err, doc)
	}
	if err := schema(t, file, def).Validate(v); err != nil {
		t.Fatalf("%s %s: %v", file, def, err)
	}
}

// Invalid reports whether doc breaks file's definition def: for tests that
// show a schema catches what it should.
func Invalid(t testing.TB, file, def string, doc []byte) bool {
	t.Helper()
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return true
	}
	return schema(t, file, def).Validate(v) != nil
}
