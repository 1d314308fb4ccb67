// Package server owns the HTTP surface: one route table, the middleware every
// request passes through, and the one error handler that turns domain errors into
// an HTML page or an RFC 9457 problem document.
package server

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"

	"github.com/klauspost/compress/gzhttp"
	"github.com/klauspost/compress/gzip"
	"github.com/labstack/echo/v4"

	"github.com/belong-directory/belong/internal/accounts"
	"github.com/belong-directory/belong/internal/config"
	"github.com/belong-directory/belong/internal/corrections"
	"github.com/belong-directory/belong/internal/feeds"
	"github.com/belong-directory/belong/internal/formtoken"
	"github.com/belong-directory/belong/internal/gaps"
	"github.com/belong-directory/belong/internal/health"
	"github.com/belong-directory/belong/internal/interop"
	"github.com/belong-directory/belong/internal/listings"
	"github.com/belong-directory/belong/internal/moderation"
	"github.com/belong-directory/belong/internal/ratelimit"
	"github.com/belong-directory/belong/internal/referrals"
	"github.com/belong-directory/belong/internal/search"
	"github.com/belong-directory/belong/internal/submissions"
	"github.com/belong-directory/belong/internal/view"
)

// Deps are what the handlers need; main supplies them.
type Deps struct {
	Config config.Config
	Log    *slog.Logger
	// Directory is the directory service: public listings and the terms pages
	// are built from.
	Directory *listings.Service
	Health    *health.Monitor
	View      *view.Renderer
	// Search answers /api/v1/listings; Vocabulary is what its parameters are
	// checked against.
	Search search.Engine
	// Submissions takes new listings and keeps them true through manage links.
	Submissions *submissions.Service
	// Limits slows down clients that write or open private links too often.
	Limits *ratelimit.Limiter
	// Forms signs and checks the token of every state-changing form.
	Forms      *formtoken.Signer
	Vocabulary search.Vocabulary
	// Accounts signs moderators and admins in; their sessions live in
	// Sessions (Redis). Moderation is what they do there.
	Accounts   *accounts.Service
	Sessions   SessionStore
	Moderation *moderation.Service
	// Corrections takes what anyone tells the directory about a listing, and
	// follows it to a decision.
	Corrections *corrections.Service
	// Interop builds the open-data feeds: Meeting Guide and HSDS 3.0.
	Interop *interop.Service
	// NeedCounter counts searches for needs, off the request path; Gaps reads
	// the counts back as the unmet-needs report.
	NeedCounter *gaps.Counter
	Gaps        *gaps.Service
	// Importer checks and applies the spreadsheets admins upload.
	Importer *interop.Importer
	// Feeds are the feeds admins subscribe to and their import runs.
	Feeds *feeds.Service
	// Referrals keeps the lists people share with the groups they picked.
	Referrals *referrals.Service
}

// Server is the HTTP server with its routes.
type Server struct {
	Deps
	echo     *echo.Echo
	handler  http.Handler // echo, its answers compressed
	http     *http.Server
	sessions *sessions
	// pages and api are how many requests each class of route takes at once.
	pages, api *admission
	refusals   *refusalLog
}

// New builds the server and its route table.
func New(d Deps) (*Server, error) {
	bodyLimit, err := config.ParseBytes(d.Config.BodyLimit)
	if err != nil {
		return nil, err
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	// The client's address is the connection's own, never a header a client can
	// set: rate limits must not be escaped by sending X-Forwarded-For. Behind a
	// load balancer, trust its header explicitly here.
	e.IPExtractor = echo.ExtractIPDirect()
	e.JSONSerializer = jsonSerializer{}
	s := &Server{Deps: d, echo: e, sessions: newSessions(d.Sessions, d.Config),
		pages:    newAdmission(d.Config.PagesInFlight, d.Config.QueueWait, d.Config.LatencyTarget),
		api:      newAdmission(d.Config.APIInFlight, d.Config.QueueWait, d.Config.LatencyTarget),
		refusals: &refusalLog{log: d.Log}}
	e.HTTPErrorHandler = s.handleError
	s.routes(bodyLimit)
	// Answers of 1 KB or more are gzipped for clients that accept it, at the
	// fastest level: klauspost/compress's gzip, not Echo's middleware on the
	// standard library's, takes 140 µs for a 60 KB page of results where the
	// standard library took 400 µs at the same level, for a smaller answer;
	// compressing was a tenth of serve's CPU under load (make bench).
	compress, err := gzhttp.NewWrapper(gzhttp.MinSize(1024), gzhttp.CompressionLevel(gzip.BestSpeed),
		gzhttp.EnableZstd(false))
	if err != nil {
		return nil, err
	}
	s.handler = compress(e)
	s.http = &http.Server{
		Addr:              d.Config.ListenAddr,
		Handler:           s.handler,
		ReadTimeout:       d.Config.ReadTimeout,
		ReadHeaderTimeout: d.Config.ReadTimeout,
		WriteTimeout:      d.Config.WriteTimeout,
		IdleTimeout:       d.Config.IdleTimeout,
		ErrorLog:          slog.NewLogLogger(d.Log.Handler(), slog.LevelWarn),
	}
	return s, nil
}

// Handler exposes the routed handler, for tests through httptest.
func (s *Server) Handler() http.Handler { return s.handler }

// Serve answers on ln until Shutdown.
func (s *Server) Serve(ln net.Listener) error {
	if err := s.http.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// Shutdown stops accepting requests and waits for the ones under way.
func (s *Server) Shutdown(ctx context.Context) error { return s.http.Shutdown(ctx) }
