package server

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
)

// TestJSONSerializerWritesWhatEncodingJSONWrites: the API's answers are the same
// bytes as with Echo's default serializer, escaping, map order and times included.
func TestJSONSerializerWritesWhatEncodingJSONWrites(t *testing.T) {
	km := 1.25
	v := map[string]any{"b": []any{"<script>&\u2028", 3.0e21, 1e-7, &km, nil, true},
		"a": struct {
			At    time.Time      `json:"at"`
			Zero  *time.Time     `json:"zero,omitempty"`
			Count map[string]int `json:"count"`
			Raw   json.RawMessage
		}{At: time.Date(2026, 11, 30, 6, 0, 0, 123, time.FixedZone("x", -5*3600)), Count: map[string]int{"z": 1, "é": 2, "a": 3},
			Raw: json.RawMessage(`{"k": [1, 2]}`)}}
	for _, indent := range []string{"", "  "} {
		e := echo.New()
		want, got := httptest.NewRecorder(), httptest.NewRecorder()
		if err := (echo.DefaultJSONSerializer{}).Serialize(e.NewContext(httptest.NewRequest(http.MethodGet, "/", nil), want), v, indent); err != nil {
			t.Fatal(err)
		}
		if err := (jsonSerializer{}).Serialize(e.NewContext(httptest.NewRequest(http.MethodGet, "/", nil), got), v, indent); err != nil {
			t.Fatal(err)
		}
		if got.Body.String() != want.Body.String() {
			t.Errorf("indent %q:\n got %s\nwant %s", indent, got.Body, want.Body)
		}
	}
}
