// Package config owns the process configuration: read once from the environment,
// validated, and passed down explicitly. Nothing here is global.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"reflect"
	"strings"
	"time"

	"github.com/caarlos0/env/v11"
)

// Config is every setting the binary reads. Defaults work on a developer machine
// where scripts/services.sh has started the local services.
type Config struct {
	DatabaseURL    Secret `env:"DATABASE_URL" envDefault:"postgres://belong:belong@127.0.0.1:5432/belong?sslmode=disable"`
	RedisURL       Secret `env:"REDIS_URL" envDefault:"redis://127.0.0.1:6379/0"`
	MeiliURL       string `env:"MEILI_URL" envDefault:"http://127.0.0.1:7700"`
	MeiliMasterKey Secret `env:"MEILI_MASTER_KEY" envDefault:"belong-dev-master-key-0123456789"`
	MeiliIndex     string `env:"MEILI_INDEX" envDefault:"listings"`
	ListenAddr     string `env:"LISTEN_ADDR" envDefault:":8080"`
	BaseURL        string `env:"BASE_URL" envDefault:"http://localhost:8080"`
	LogLevel       string `env:"LOG_LEVEL" envDefault:"info"`

	ReadTimeout     time.Duration `env:"HTTP_READ_TIMEOUT" envDefault:"10s"`
	WriteTimeout    time.Duration `env:"HTTP_WRITE_TIMEOUT" envDefault:"20s"`
	IdleTimeout     time.Duration `env:"HTTP_IDLE_TIMEOUT" envDefault:"60s"`
	ShutdownTimeout time.Duration `env:"SHUTDOWN_TIMEOUT" envDefault:"15s"`
	BodyLimit       string        `env:"HTTP_BODY_LIMIT" envDefault:"256K"`
	DatabaseTimeout time.Duration `env:"DATABASE_TIMEOUT" envDefault:"5s"`
	// StatementTimeout is PostgreSQL's statement_timeout on the server's
	// connections: a query the request has given up on stops there too.
	StatementTimeout time.Duration `env:"DATABASE_STATEMENT_TIMEOUT" envDefault:"5s"`
	SearchTimeout    time.Duration `env:"SEARCH_TIMEOUT" envDefault:"800ms"`
	RedisTimeout     time.Duration `env:"REDIS_TIMEOUT" envDefault:"300ms"`

	// Overload is refused early. Each page or API request must finish within
	// RequestTimeout; each class of route (pages, API) serves at most its
	// in-flight number at once, lets as many more wait up to QueueWait for a
	// turn, and answers the rest 503 with Retry-After at once.
	RequestTimeout time.Duration `env:"HTTP_REQUEST_TIMEOUT" envDefault:"3s"`
	PagesInFlight  int           `env:"HTTP_PAGES_IN_FLIGHT" envDefault:"16"`
	APIInFlight    int           `env:"HTTP_API_IN_FLIGHT" envDefault:"16"`
	QueueWait      time.Duration `env:"HTTP_QUEUE_WAIT" envDefault:"250ms"`
	// LatencyTarget is how long a page or API request should take at most,
	// waiting included; while answers take longer, each class takes fewer
	// requests at once (down to 4), and more again as they speed up. The
	// slowest answers of an overload run at about three times it: with 500 ms,
	// 200 connections pushed the p99 of accepted requests to 0.93-1.4 s in
	// make faults; with 250 ms, 0.70-0.85 s.
	LatencyTarget time.Duration `env:"HTTP_LATENCY_TARGET" envDefault:"250ms"`
	// MeiliTaskTimeout bounds the indexer's wait for one Meilisearch task: tasks
	// queue behind each other, so this is far longer than a search's deadline.
	MeiliTaskTimeout time.Duration `env:"MEILI_TASK_TIMEOUT" envDefault:"2m"`

	// Freshness thresholds: a listing confirmed longer ago than AgingAfter is shown
	// with a notice; longer ago than StaleAfter it leaves default results.
	AgingAfter time.Duration `env:"FRESHNESS_AGING_AFTER" envDefault:"4380h"`
	StaleAfter time.Duration `env:"FRESHNESS_STALE_AFTER" envDefault:"8760h"`
	// RemindAfter is when an organizer is first asked to confirm a listing;
	// RemindEvery how often at most the same listing is asked again.
	RemindAfter time.Duration `env:"FRESHNESS_REMIND_AFTER" envDefault:"3600h"`
	RemindEvery time.Duration `env:"FRESHNESS_REMIND_EVERY" envDefault:"720h"`

	// Worker runs the outbox indexer inside serve unless turned off.
	Worker      bool          `env:"WORKER" envDefault:"true"`
	WorkerPoll  time.Duration `env:"WORKER_POLL" envDefault:"5s"`
	WorkerBatch int           `env:"WORKER_BATCH" envDefault:"200"`
	// WorkerDrains is how many batches one indexer reads, builds and writes to
	// PostgreSQL at once; each drain also keeps a batch queued in Meilisearch
	// while it indexes another, so a backlog never leaves it idle.
	WorkerDrains int `env:"WORKER_DRAINS" envDefault:"2"`
	// WorkerLease is how long a batch holds its outbox rows without renewing
	// them: a batch renews it every third of it, and the rows of a worker that
	// dies, or cannot reach PostgreSQL, are taken up by another once it runs out.
	WorkerLease time.Duration `env:"WORKER_LEASE" envDefault:"15s"`

	// Email: without SMTP_URL messages go to the log and `belong mail show`.
	SMTPURL  Secret        `env:"SMTP_URL"`
	MailFrom string        `env:"MAIL_FROM" envDefault:"belong <no-reply@localhost>"`
	MailPoll time.Duration `env:"MAIL_POLL" envDefault:"2s"`
	// FormSecret signs the tokens of forms and links (at least 32 bytes); a
	// random one per process when empty, which is fine for one process only.
	FormSecret Secret `env:"FORM_SECRET"`
	// FormMinFill is how long a person takes at least to fill in a public form;
	// a form sent sooner is refused as a bot's.
	FormMinFill time.Duration `env:"FORM_MIN_FILL" envDefault:"3s"`
	CacheTTL    time.Duration `env:"SEARCH_CACHE_TTL" envDefault:"60s"`
	// CachePrefix begins every search-cache key in Redis, so two directories (or
	// two checkouts' tests) can share one Redis.
	CachePrefix string `env:"SEARCH_CACHE_PREFIX" envDefault:"belong:search"`
	// RatePrefix begins the keys of the per-client rate limits in Redis.
	RatePrefix string `env:"RATE_LIMIT_PREFIX" envDefault:"belong:rate"`
	// RateLimitFactor multiplies every per-client limit: raise it where many
	// people reach the directory from one address (a library, a clinic).
	RateLimitFactor float64 `env:"RATE_LIMIT_FACTOR" envDefault:"1"`
	SearchPerPage   int     `env:"SEARCH_PER_PAGE" envDefault:"20"`

	// Sessions of signed-in moderators and admins, kept in Redis under
	// SessionPrefix: they end SESSION_LIFETIME after sign-in, or after
	// SESSION_IDLE_TIMEOUT without a request, whichever comes first.
	SessionLifetime time.Duration `env:"SESSION_LIFETIME" envDefault:"12h"`
	SessionIdle     time.Duration `env:"SESSION_IDLE_TIMEOUT" envDefault:"2h"`
	SessionPrefix   string        `env:"SESSION_PREFIX" envDefault:"belong:session"`
}

// Secret is a string that never prints itself.
type Secret string

// A URL keeps its host and path visible and loses its password, so a dump still
// says where the service is.
// Parameters that may carry a secret too (the PostgreSQL driver takes
// ?password= and ?sslpassword=) keep their names and lose their values.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	u, err := url.Parse(string(s))
	if err != nil || u.Host == "" {
		return "[redacted]"
	}
	if _, has := u.User.Password(); !has && u.User != nil {
		return "[redacted]" // a name alone may be a token
	}
	q := u.Query()
	hidden := false
	for k := range q {
		if name := strings.ToLower(k); strings.Contains(name, "pass") || strings.Contains(name, "secret") ||
			strings.Contains(name, "token") || strings.Contains(name, "key") {
			q[k], hidden = []string{"xxxxx"}, true
		}
	}
	if hidden {
		u.RawQuery = q.Encode()
	}
	if _, has := u.User.Password(); has {
		return u.Redacted()
	}
	if hidden {
		return u.String()
	}
	return string(s)
}

// Reveal returns the secret value for the one place that needs it.
func (s Secret) Reveal() string { return string(s) }

// FieldError names the environment variable that holds a bad value.
type FieldError struct {
	Var     string
	Problem string
}

func (e FieldError) Error() string { return e.Var + ": " + e.Problem }

// Load reads the environment and validates the result.
func Load() (Config, error) {
	return LoadFrom(nil)
}

// LoadFrom reads the given variables instead of the process environment when vars
// is not nil; tests use it.
func LoadFrom(vars map[string]string) (Config, error) {
	var c Config
	opts := env.Options{}
	if vars != nil {
		opts.Environment = vars
	}
	if err := env.ParseWithOptions(&c, opts); err != nil {
		return Config{}, parseError(err)
	}
	if err := c.Validate(); err != nil {
		return Config{}, err
	}
	return c, nil
}

// parseError turns the env library's aggregate error into one naming the variable.
func parseError(err error) error {
	var agg env.AggregateError
	if errors.As(err, &agg) && len(agg.Errors) > 0 {
		var msgs []string
		for _, e := range agg.Errors {
			var pe env.ParseError
			if errors.As(e, &pe) {
				msgs = append(msgs, FieldError{Var: envName(pe.Name), Problem: "cannot read " + pe.Type.String() + " value"}.Error())
				continue
			}
			msgs = append(msgs, e.Error())
		}
		return fmt.Errorf("configuration: %s", strings.Join(msgs, "; "))
	}
	return fmt.Errorf("configuration: %w", err)
}

// envName maps a struct field name back to its variable via the struct tags.
func envName(field string) string {
	if f, ok := reflect.TypeFor[Config]().FieldByName(field); ok {
		return f.Tag.Get("env")
	}
	return field
}

// Dump lists every variable with its effective value, secrets redacted, in
// declaration order.
func (c Config) Dump() []string {
	t := reflect.TypeFor[Config]()
	v := reflect.ValueOf(c)
	out := make([]string, 0, t.NumField())
	for i := range t.NumField() {
		line := fmt.Sprintf("%s=%v", t.Field(i).Tag.Get("env"), v.Field(i).Interface())
		if t.Field(i).Name == "FormSecret" && c.FormSecret == "" {
			line += " (unset: random per process)"
		}
		out = append(out, line)
	}
	return out
}

// Validate checks every value a later failure would otherwise make confusing.
func (c Config) Validate() error {
	var errs []error
	check := func(ok bool, v, problem string) {
		if !ok {
			errs = append(errs, FieldError{Var: v, Problem: problem})
		}
	}
	check(validURL(c.DatabaseURL.Reveal(), "postgres", "postgresql"), "DATABASE_URL",
		"must be a postgres:// URL such as postgres://user:pass@host:5432/db")
	check(validURL(c.RedisURL.Reveal(), "redis", "rediss"), "REDIS_URL",
		"must be a redis:// URL such as redis://127.0.0.1:6379/0")
	check(validURL(c.MeiliURL, "http", "https"), "MEILI_URL",
		"must be an http:// URL such as http://127.0.0.1:7700")
	check(len(c.MeiliMasterKey) >= 16, "MEILI_MASTER_KEY", "must be at least 16 bytes")
	check(c.MeiliIndex != "" && strings.Trim(c.MeiliIndex, "abcdefghijklmnopqrstuvwxyz0123456789_-") == "",
		"MEILI_INDEX", "may hold only a-z, 0-9, _ and -")
	_, _, err := net.SplitHostPort(c.ListenAddr)
	check(err == nil, "LISTEN_ADDR", "must be host:port, such as :8080")
	check(validURL(c.BaseURL, "http", "https"), "BASE_URL", "must be an absolute http(s) URL")
	check(c.LogLevel == "debug" || c.LogLevel == "info" || c.LogLevel == "warn" || c.LogLevel == "error",
		"LOG_LEVEL", "must be debug, info, warn or error")
	for v, d := range map[string]time.Duration{
		"HTTP_READ_TIMEOUT": c.ReadTimeout, "HTTP_WRITE_TIMEOUT": c.WriteTimeout,
		"HTTP_IDLE_TIMEOUT": c.IdleTimeout, "SHUTDOWN_TIMEOUT": c.ShutdownTimeout,
		"DATABASE_TIMEOUT": c.DatabaseTimeout, "SEARCH_TIMEOUT": c.SearchTimeout,
		"REDIS_TIMEOUT": c.RedisTimeout, "WORKER_POLL": c.WorkerPoll, "MEILI_TASK_TIMEOUT": c.MeiliTaskTimeout,
		"DATABASE_STATEMENT_TIMEOUT": c.StatementTimeout, "HTTP_REQUEST_TIMEOUT": c.RequestTimeout,
	} {
		check(d > 0, v, "must be a positive duration such as 5s")
	}
	check(c.AgingAfter > 0 && c.StaleAfter > c.AgingAfter, "FRESHNESS_STALE_AFTER",
		"must be longer than FRESHNESS_AGING_AFTER, and both positive")
	check(c.WorkerBatch >= 1 && c.WorkerBatch <= 1000, "WORKER_BATCH", "must be between 1 and 1000")
	check(c.WorkerDrains >= 1 && c.WorkerDrains <= 8, "WORKER_DRAINS", "must be between 1 and 8")
	check(c.WorkerLease >= 10*time.Second, "WORKER_LEASE", "must be at least 10s")
	check(c.MailPoll >= 10*time.Millisecond, "MAIL_POLL", "must be at least 10ms")
	check(c.RemindAfter > 0 && c.RemindAfter < c.StaleAfter, "FRESHNESS_REMIND_AFTER",
		"must be positive and shorter than FRESHNESS_STALE_AFTER")
	check(c.RemindEvery >= time.Hour, "FRESHNESS_REMIND_EVERY", "must be at least 1h")
	check(!strings.ContainsAny(c.MailFrom, "\r\n") && strings.Contains(c.MailFrom, "@"), "MAIL_FROM",
		"must be an address such as belong <no-reply@example.org>")
	check(c.SMTPURL == "" || strings.HasPrefix(string(c.SMTPURL), "smtp://"), "SMTP_URL",
		"must look like smtp://user:password@host:587")
	check(c.FormMinFill >= 0 && c.FormMinFill < time.Hour, "FORM_MIN_FILL", "must be between 0s and 1h")
	check(c.FormSecret == "" || len(c.FormSecret) >= 32, "FORM_SECRET", "must be at least 32 characters")
	check(c.SearchPerPage >= 1 && c.SearchPerPage <= 100, "SEARCH_PER_PAGE", "must be between 1 and 100")
	check(c.PagesInFlight >= 1 && c.PagesInFlight <= 10000, "HTTP_PAGES_IN_FLIGHT", "must be between 1 and 10000")
	check(c.APIInFlight >= 1 && c.APIInFlight <= 10000, "HTTP_API_IN_FLIGHT", "must be between 1 and 10000")
	check(c.QueueWait >= 0 && c.QueueWait < c.RequestTimeout, "HTTP_QUEUE_WAIT",
		"must be 0 or more and shorter than HTTP_REQUEST_TIMEOUT")
	check(c.LatencyTarget > 0 && c.LatencyTarget < c.RequestTimeout, "HTTP_LATENCY_TARGET",
		"must be positive and shorter than HTTP_REQUEST_TIMEOUT")
	check(c.RateLimitFactor >= 0.1 && c.RateLimitFactor <= 1000, "RATE_LIMIT_FACTOR", "must be between 0.1 and 1000")
	check(c.CacheTTL >= 0, "SEARCH_CACHE_TTL", "must not be negative (0 turns the cache off)")
	check(c.CachePrefix != "" && !strings.ContainsAny(c.CachePrefix, " *?[]"), "SEARCH_CACHE_PREFIX",
		"must be a plain key prefix such as belong:search")
	check(c.SessionLifetime >= time.Minute && c.SessionIdle >= time.Minute && c.SessionIdle <= c.SessionLifetime,
		"SESSION_IDLE_TIMEOUT", "must be at least 1m and no longer than SESSION_LIFETIME")
	check(c.SessionPrefix != "" && !strings.ContainsAny(c.SessionPrefix, " *?[]"), "SESSION_PREFIX",
		"must be a plain key prefix such as belong:session")
	_, err = ParseBytes(c.BodyLimit)
	check(err == nil, "HTTP_BODY_LIMIT", "must be a size such as 256K or 1M")
	if len(errs) > 0 {
		return fmt.Errorf("configuration: %w", errors.Join(errs...))
	}
	return nil
}

func validURL(raw string, schemes ...string) bool {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return false
	}
	for _, s := range schemes {
		if u.Scheme == s {
			return true
		}
	}
	return false
}

// ParseBytes reads a size such as 512, 64K or 2M.
func ParseBytes(s string) (int64, error) {
	mult := int64(1)
	switch {
	case strings.HasSuffix(s, "K"):
		mult, s = 1<<10, strings.TrimSuffix(s, "K")
	case strings.HasSuffix(s, "M"):
		mult, s = 1<<20, strings.TrimSuffix(s, "M")
	}
	var n int64
	if _, err := fmt.Sscanf(s, "%d", &n); err != nil || n <= 0 || fmt.Sprint(n) != s {
		return 0, fmt.Errorf("bad size %q", s)
	}
	return n * mult, nil
}
