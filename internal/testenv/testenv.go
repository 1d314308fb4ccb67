// Package testenv owns the real services that tests run against: a fresh PostgreSQL
// database per test, and the shared Redis and Meilisearch servers. A service that is
// missing skips the test on a laptop and fails it under CI=true.
package testenv

import (
	"os"
	"testing"
)

// Unavailable skips the test, or fails it when CI=true, because a real service is
// needed and is not there.
func Unavailable(t testing.TB, service string, err error) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("%s is required under CI=true but is not reachable: %v", service, err)
	}
	t.Skipf("%s not reachable (%v); run scripts/services.sh", service, err)
}

func getenv(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}
