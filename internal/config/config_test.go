package config

import (
	"strings"
	"testing"
)

func TestDefaultsAreValid(t *testing.T) {
	c, err := LoadFrom(map[string]string{})
	if err != nil {
		t.Fatalf("defaults should load: %v", err)
	}
	if c.ListenAddr != ":8080" || c.SearchPerPage != 20 {
		t.Fatalf("unexpected defaults: %+v", c)
	}
}

func TestBadValuesNameTheVariable(t *testing.T) {
	cases := map[string]map[string]string{
		"DATABASE_URL":               {"DATABASE_URL": "mysql://x"},
		"REDIS_URL":                  {"REDIS_URL": "127.0.0.1:6379"},
		"MEILI_URL":                  {"MEILI_URL": "::nope"},
		"MEILI_MASTER_KEY":           {"MEILI_MASTER_KEY": "short"},
		"LISTEN_ADDR":                {"LISTEN_ADDR": "8080"},
		"LOG_LEVEL":                  {"LOG_LEVEL": "loud"},
		"SEARCH_TIMEOUT":             {"SEARCH_TIMEOUT": "-1s"},
		"FRESHNESS_STALE_AFTER":      {"FRESHNESS_AGING_AFTER": "9000h"},
		"WORKER_BATCH":               {"WORKER_BATCH": "0"},
		"WORKER_DRAINS":              {"WORKER_DRAINS": "9"},
		"HTTP_BODY_LIMIT":            {"HTTP_BODY_LIMIT": "lots"},
		"HTTP_READ_TIMEOUT":          {"HTTP_READ_TIMEOUT": "soon"},
		"WORKER":                     {"WORKER": "perhaps"},
		"DATABASE_STATEMENT_TIMEOUT": {"DATABASE_STATEMENT_TIMEOUT": "0s"},
		"HTTP_REQUEST_TIMEOUT":       {"HTTP_REQUEST_TIMEOUT": "-3s"},
		"HTTP_PAGES_IN_FLIGHT":       {"HTTP_PAGES_IN_FLIGHT": "0"},
		"HTTP_API_IN_FLIGHT":         {"HTTP_API_IN_FLIGHT": "-1"},
		"HTTP_QUEUE_WAIT":            {"HTTP_QUEUE_WAIT": "5s"},
		"HTTP_LATENCY_TARGET":        {"HTTP_LATENCY_TARGET": "3s"},
		"RATE_LIMIT_FACTOR":          {"RATE_LIMIT_FACTOR": "0"},
	}
	for want, vars := range cases {
		t.Run(want, func(t *testing.T) {
			_, err := LoadFrom(vars)
			if err == nil {
				t.Fatalf("expected an error for %v", vars)
			}
			if !strings.Contains(err.Error(), want) {
				t.Fatalf("error %q does not name %s", err, want)
			}
		})
	}
}

func TestDumpRedactsSecrets(t *testing.T) {
	c, err := LoadFrom(map[string]string{
		"DATABASE_URL":     "postgres://app:hunter2hunter2@db:5432/belong",
		"MEILI_MASTER_KEY": "very-secret-master-key",
		"REDIS_URL":        "redis://:redispass@cache:6379/0",
	})
	if err != nil {
		t.Fatal(err)
	}
	dump := strings.Join(c.Dump(), "\n")
	for _, secret := range []string{"hunter2hunter2", "very-secret-master-key", "redispass"} {
		if strings.Contains(dump, secret) {
			t.Fatalf("dump leaks %q:\n%s", secret, dump)
		}
	}
	for _, visible := range []string{"DATABASE_URL=postgres://app:xxxxx@db:5432/belong", "MEILI_MASTER_KEY=[redacted]", "LISTEN_ADDR=:8080"} {
		if !strings.Contains(dump, visible) {
			t.Fatalf("dump lacks %q:\n%s", visible, dump)
		}
	}
}

// A password the driver reads from the address's query is hidden too, in any
// case of its name; the rest of the address stays readable.
func TestSecretsInTheQueryAreRedacted(t *testing.T) {
	for in, want := range map[string]string{
		"postgres://db:5432/belong?sslmode=disable&password=hunter2": "postgres://db:5432/belong?password=xxxxx&sslmode=disable",
		"postgres://db:5432/belong?Password=hunter2":                 "postgres://db:5432/belong?Password=xxxxx",
		"postgres://app:hunter2@db/belong?sslpassword=hunter2":       "postgres://app:xxxxx@db/belong?sslpassword=xxxxx",
		"postgres://db:5432/belong?sslmode=disable":                  "postgres://db:5432/belong?sslmode=disable",
	} {
		if got := Secret(in).String(); got != want {
			t.Errorf("%s: got %s, want %s", in, got, want)
		}
	}
}

func TestParseBytes(t *testing.T) {
	for in, want := range map[string]int64{"512": 512, "64K": 64 << 10, "2M": 2 << 20} {
		if got, err := ParseBytes(in); err != nil || got != want {
			t.Errorf("ParseBytes(%q) = %d, %v", in, got, err)
		}
	}
	for _, bad := range []string{"", "K", "-1", "1.5M", "10G", "0"} {
		if _, err := ParseBytes(bad); err == nil {
			t.Errorf("ParseBytes(%q) should fail", bad)
		}
	}
}

func FuzzParseBytes(f *testing.F) {
	for _, s := range []string{"512", "64K", "2M", "", "K", "-1", "1.5M", "99999999999999999999M"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseBytes(s)
		if err == nil && n <= 0 {
			t.Fatalf("ParseBytes(%q) = %d without an error", s, n)
		}
	})
}

// FuzzLoadFrom feeds arbitrary values to every variable: loading either works
// and validates, or fails naming what is wrong; it never panics.
func FuzzLoadFrom(f *testing.F) {
	f.Add("postgres://u:p@h:5432/db", "30s", "4380h", "200", "256K")
	f.Add("::", "-1s", "0h", "-3", "1G")
	f.Fuzz(func(t *testing.T, dbURL, timeout, aging, batch, limit string) {
		c, err := LoadFrom(map[string]string{"DATABASE_URL": dbURL, "SEARCH_TIMEOUT": timeout,
			"FRESHNESS_AGING_AFTER": aging, "WORKER_BATCH": batch, "HTTP_BODY_LIMIT": limit})
		if err == nil {
			if verr := c.Validate(); verr != nil {
				t.Fatalf("loaded a configuration that does not validate: %v", verr)
			}
			return
		}
		if !strings.HasPrefix(err.Error(), "configuration:") {
			t.Fatalf("error does not say it is about configuration: %v", err)
		}
	})
}
