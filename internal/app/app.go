// Package app wires the product's parts together: the directory service, the
// search engine with its fallback and cache, the HTTP server and the indexer with
// the hook that tells the search cache of every change. main and the tests both
// build through here, so a hook that goes missing in production goes missing in
// the tests too.
package app

import (
	"context"
	"log/slog"
	"time"

	"github.com/meilisearch/meilisearch-go"
	"github.com/redis/go-redis/v9"

	"github.com/belong-directory/belong/internal/accounts"
	"github.com/belong-directory/belong/internal/cache"
	"github.com/belong-directory/belong/internal/config"
	"github.com/belong-directory/belong/internal/corrections"
	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/feeds"
	"github.com/belong-directory/belong/internal/formtoken"
	"github.com/belong-directory/belong/internal/gaps"
	"github.com/belong-directory/belong/internal/health"
	"github.com/belong-directory/belong/internal/i18n"
	"github.com/belong-directory/belong/internal/indexer"
	"github.com/belong-directory/belong/internal/interop"
	"github.com/belong-directory/belong/internal/listings"
	"github.com/belong-directory/belong/internal/mail"
	"github.com/belong-directory/belong/internal/moderation"
	"github.com/belong-directory/belong/internal/ratelimit"
	"github.com/belong-directory/belong/internal/referrals"
	"github.com/belong-directory/belong/internal/search"
	"github.com/belong-directory/belong/internal/server"
	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/internal/submissions"
	"github.com/belong-directory/belong/internal/view"
	"github.com/belong-directory/belong/web"
)

// Clients are the connections to the three services; main opens them from the
// config, tests from the services they run against.
type Clients struct {
	Store *store.Store
	Redis *redis.Client
	Meili meilisearch.ServiceManager
}

// Thresholds are the configured freshness thresholds.
func Thresholds(cfg config.Config) directory.Thresholds {
	return directory.Thresholds{AgingAfter: cfg.AgingAfter, StaleAfter: cfg.StaleAfter}
}

// SearchEngine answers from Meilisearch, from PostgreSQL when Meilisearch fails
// or is over its deadline, and keeps Meilisearch's answers in Redis for
// SEARCH_CACHE_TTL.
func SearchEngine(cfg config.Config, log *slog.Logger, c Clients) search.Engine {
	th := Thresholds(cfg)
	failover := &search.Failover{
		Primary: search.NewSearcher(search.NewMeiliBackend(c.Meili, cfg.MeiliIndex, cfg.SearchTimeout), th, time.Now).
			SuggestFrom(c.Store),
		Fallback: search.NewSearcher(search.NewPostgresBackend(c.Store), th, time.Now).SuggestFrom(c.Store),
		// Three failures in a row open the breaker: a dead Meilisearch then
		// costs three fast refusals, not a timeout per request, and the fallback
		// means the same. Not one: on a saturated machine a single search over
		// its deadline sent every search for the cooldown to PostgreSQL, the
		// dearer engine, and overload fed on itself (80% of the searches of a
		// 200-connection overload were answered by the fallback).
		Threshold: 3,
		// Only one search probes after the cooldown (the rest keep using the
		// fallback), so a short one costs little and brings Meilisearch back
		// within seconds of it answering again.
		Cooldown: 2 * time.Second,
		Log:      log.With("component", "search"),
		Now:      time.Now,
	}
	return cache.NewCachedEngine(failover, c.Redis, cache.SearchCacheOptions{TTL: cfg.CacheTTL,
		Prefix: cfg.CachePrefix, Timeout: cfg.RedisTimeout, Log: log.With("component", "search-cache")})
}

// Web is the HTTP server with what runs beside it.
type Web struct {
	Server     *server.Server
	Directory  *listings.Service
	Health     *health.Monitor
	Accounts   *accounts.Service
	Moderation *moderation.Service
	// NeedCounter counts searches for needs for the unmet-needs report; it
	// writes only while RunBackground runs.
	NeedCounter *gaps.Counter
	// Corrections takes what anyone tells the directory about a listing.
	Corrections *corrections.Service
	Referrals   *referrals.Service
}

// signInFloor is the least time asking for a sign-in link takes, whether or not
// the address has an account: well above the work either way, so the answer's
// timing says nothing.
const signInFloor = 300 * time.Millisecond

// ServerOptions change what NewWeb would otherwise build from the clients.
type ServerOptions struct {
	// Engine answers searches; nil means SearchEngine.
	Engine search.Engine
	// Checks are what readiness reports; nil means PostgreSQL (required), Redis
	// and Meilisearch.
	Checks []health.Check
}

// NewWeb builds the directory service, the renderer and the HTTP server. The
// directory service reads its first terms from PostgreSQL, so PostgreSQL must
// answer now; later it may go away and pages keep working from memory.
func NewWeb(ctx context.Context, cfg config.Config, log *slog.Logger, c Clients, o ServerOptions) (*Web, error) {
	catalogs, err := i18n.Load(web.Translations, "i18n")
	if err != nil {
		return nil, err
	}
	renderer, err := view.New(catalogs, nil)
	if err != nil {
		return nil, err
	}
	dir, err := listings.New(ctx, c.Store, listings.Options{Thresholds: Thresholds(cfg), UILangs: catalogs.Languages(),
		Log: log.With("component", "directory")})
	if err != nil {
		return nil, err
	}
	if o.Engine == nil {
		o.Engine = SearchEngine(cfg, log, c)
	}
	composer := mail.Composer{Catalogs: catalogs, BaseURL: cfg.BaseURL}
	subs := submissions.New(c.Store, dir.Vocabulary(), composer, cfg.BaseURL, time.Now, log.With("component", "submissions"))
	if o.Checks == nil {
		o.Checks = []health.Check{
			health.Postgres(c.Store.Pool()),
			{Name: "redis", Ping: func(ctx context.Context) error { return c.Redis.Ping(ctx).Err() }},
			{Name: "meilisearch", Ping: func(ctx context.Context) error { return search.Ping(ctx, c.Meili) }},
		}
	}
	monitor := health.NewMonitor(log, 2*time.Second, o.Checks...)
	accts := accounts.New(c.Store, accounts.Options{Mail: composer, BaseURL: cfg.BaseURL, RequestFloor: signInFloor})
	mod := moderation.New(c.Store, moderation.Options{Mail: composer, BaseURL: cfg.BaseURL})
	counter := gaps.NewCounter(c.Store, gaps.CounterOptions{Log: log.With("component", "need-counter")})
	corr := corrections.New(c.Store, corrections.Options{Links: subs, Mail: composer, BaseURL: cfg.BaseURL})
	refs := referrals.New(c.Store, dir, referrals.Options{Langs: catalogs.Languages(), Log: log.With("component", "referrals")})
	srv, err := server.New(server.Deps{Config: cfg, Log: log, Directory: dir, Health: monitor, View: renderer,
		Search: o.Engine, Vocabulary: dir.Vocabulary(), Submissions: subs,
		Forms:    formtoken.New(cfg.FormSecret.Reveal(), 2*time.Hour, cfg.FormMinFill),
		Limits:   ratelimit.New(c.Redis, cfg.RatePrefix, cfg.FormSecret.Reveal(), time.Now),
		Interop:  interop.New(dir, cfg.BaseURL, time.Now),
		Importer: interop.NewImporter(dir, c.Store, time.Now),
		Accounts: accts, Moderation: mod, Corrections: corr, Sessions: cache.NewSessionStore(c.Redis, cfg.SessionPrefix),
		NeedCounter: counter, Gaps: gaps.NewService(c.Store, o.Engine, time.Now), Feeds: NewFeeds(log, c.Store),
		Referrals: refs})
	if err != nil {
		return nil, err
	}
	return &Web{Server: srv, Directory: dir, Health: monitor, Accounts: accts, Moderation: mod,
		Corrections: corr, NeedCounter: counter, Referrals: refs}, nil
}

// RunBackground keeps readiness and the directory's terms up to date and
// writes the unmet-needs counts until ctx ends. The function it returns waits
// until the last counts are written: call it after the HTTP server has shut
// down and before PostgreSQL closes.
func (w *Web) RunBackground(ctx context.Context) (wait func()) {
	go w.Health.Watch(ctx, 15*time.Second)
	go w.Directory.Watch(ctx, time.Minute)
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.NeedCounter.Run(ctx)
	}()
	return func() { <-done }
}

// NewIndexer wires the indexer to PostgreSQL, Meilisearch and the search cache in
// Redis. Nothing here talks to Meilisearch or Redis yet, so an unreachable one
// does not stop a start: the indexer logs it and keeps retrying.
func NewIndexer(cfg config.Config, log *slog.Logger, c Clients) (*indexer.Indexer, error) {
	catalogs, err := i18n.Load(web.Translations, "i18n")
	if err != nil {
		return nil, err
	}
	log = log.With("component", "indexer")
	generation := cache.NewSearchGeneration(c.Redis, cfg.CachePrefix)
	index := search.NewIndex(c.Meili, cfg.MeiliIndex, cfg.SearchTimeout)
	index.TaskTimeout = cfg.MeiliTaskTimeout
	return indexer.New(indexer.Deps{
		Listings: c.Store,
		Taxonomy: c.Store,
		Outbox:   c.Store,
		Listen:   indexer.ListenWith(c.Store.ListenOutbox),
		Fallback: indexer.Fallback(c.Store),
		Index:    index,
		OnApplied: func(ctx context.Context) {
			// With Redis down the cache is bypassed, so nothing stale is served.
			if err := generation.BumpGeneration(ctx); err != nil {
				log.Debug("search cache not told of the change", "error", err.Error())
			}
		},
		Log: log,
	}, indexer.Config{Batch: cfg.WorkerBatch, Drains: cfg.WorkerDrains, Poll: cfg.WorkerPoll, Lease: cfg.WorkerLease, UILangs: catalogs.Languages()}), nil
}

// NewMailSender delivers the mail queue through SMTP_URL, or to the log when it
// is not set.
func NewMailSender(cfg config.Config, log *slog.Logger, st *store.Store) (*mail.Sender, error) {
	log = log.With("component", "mail")
	var transport mail.Transport = mail.LogTransport{Log: log}
	if cfg.SMTPURL != "" {
		t, err := mail.NewSMTPTransport(cfg.SMTPURL.Reveal(), cfg.MailFrom, 30*time.Second)
		if err != nil {
			return nil, err
		}
		transport = t
	}
	return &mail.Sender{Queue: st, Transport: transport, Log: log, Poll: cfg.MailPoll, Lease: 2 * time.Minute}, nil
}

// NewReminders asks organizers to confirm listings nobody has confirmed for
// FRESHNESS_REMIND_AFTER, at most every FRESHNESS_REMIND_EVERY.
func NewReminders(cfg config.Config, log *slog.Logger, st *store.Store) (submissions.Reminders, error) {
	catalogs, err := i18n.Load(web.Translations, "i18n")
	if err != nil {
		return submissions.Reminders{}, err
	}
	svc := submissions.New(st, nil, mail.Composer{Catalogs: catalogs, BaseURL: cfg.BaseURL}, cfg.BaseURL, time.Now,
		log.With("component", "reminders"))
	return submissions.Reminders{Service: svc, After: cfg.RemindAfter, Every: cfg.RemindEvery, Batch: 100}, nil
}

// FeedSyncEvery is how often the worker looks for feed subscriptions that are
// due; each subscription has its own interval.
const FeedSyncEvery = time.Minute

// NewFeeds is the feeds service: subscriptions, imports and their sync.
func NewFeeds(log *slog.Logger, st *store.Store) *feeds.Service {
	return feeds.NewService(st, feeds.NewFetcher(), time.Now, log.With("component", "feeds"))
}

// NewReferralExpiry deletes referral lists once they have ended.
func NewReferralExpiry(cfg config.Config, log *slog.Logger, st *store.Store) (*referrals.Service, error) {
	catalogs, err := i18n.Load(web.Translations, "i18n")
	if err != nil {
		return nil, err
	}
	// The sweep never reads a listing, so it needs no directory service.
	return referrals.New(st, nil, referrals.Options{Langs: catalogs.Languages(),
		Log: log.With("component", "referrals")}), nil
}
