package server

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/labstack/echo/v4"

	"github.com/belong-directory/belong/internal/config"
	"github.com/belong-directory/belong/internal/directory"
)

// SessionStore keeps the sessions of signed-in people (Redis). Its client
// bounds every call with REDIS_TIMEOUT.
type SessionStore interface {
	scs.CtxStore
	Ping(ctx context.Context) error
}

// sessionCookie names the only cookie the product sets, and only for people who
// sign in.
const sessionCookie = "belong_session"

// Session keys.
const (
	sessionUser  = "user"
	sessionEpoch = "epoch"
)

// errSessionsDown: the session store did not answer, so nobody can sign in or
// be recognised as signed in right now. Nothing else depends on it.
var errSessionsDown = errors.New("sessions are unavailable")

// sessions wraps scs without its LoadAndSave middleware: a session is loaded
// only on the routes that need one, and a cookie is written only on sign-in
// and sign-out, so no anonymous visitor ever gets one and public pages never
// wait for Redis.
type sessions struct {
	m     *scs.SessionManager
	store SessionStore
}

func newSessions(store SessionStore, cfg config.Config) *sessions {
	if store == nil {
		store = noSessions{}
	}
	m := scs.New()
	m.Store = store
	m.Lifetime, m.IdleTimeout = cfg.SessionLifetime, cfg.SessionIdle
	m.Cookie.Name = sessionCookie
	m.Cookie.HttpOnly = true
	m.Cookie.SameSite = http.SameSiteLaxMode
	m.Cookie.Secure = strings.HasPrefix(cfg.BaseURL, "https://")
	return &sessions{m: m, store: store}
}

// available reports whether sessions can be kept right now.
func (s *sessions) available(ctx context.Context) error {
	if err := s.store.Ping(ctx); err != nil {
		return errors.Join(errSessionsDown, err)
	}
	return nil
}

// begin starts a new session for u and saves it; the caller writes the cookie.
func (s *sessions) begin(ctx context.Context, u directory.User) (string, error) {
	ctx, err := s.m.Load(ctx, "")
	if err != nil {
		return "", err
	}
	s.m.Put(ctx, sessionUser, u.ID)
	s.m.Put(ctx, sessionEpoch, u.SessionEpoch)
	token, _, err := s.m.Commit(ctx)
	if err != nil {
		return "", errors.Join(errSessionsDown, err)
	}
	return token, nil
}

// end deletes the request's session, if any, and removes its cookie.
func (s *sessions) end(c echo.Context) error {
	cookie, err := c.Request().Cookie(sessionCookie)
	if err == nil && cookie.Value != "" {
		if err := s.store.DeleteCtx(c.Request().Context(), cookie.Value); err != nil {
			return errors.Join(errSessionsDown, err)
		}
	}
	s.writeCookie(c, "")
	return nil
}

// writeCookie sets the session cookie, or removes it when token is empty. It
// ends with the browser (no Expires): moderators may use a shared computer.
// (scs's WriteSessionCookie needs a loaded session in the context even to
// remove a cookie.)
func (s *sessions) writeCookie(c echo.Context, token string) {
	ck := s.m.Cookie
	cookie := &http.Cookie{Name: ck.Name, Value: token, Path: ck.Path, Domain: ck.Domain, HttpOnly: ck.HttpOnly,
		Secure: ck.Secure, SameSite: ck.SameSite}
	if token == "" {
		cookie.Expires, cookie.MaxAge = time.Unix(1, 0), -1
	}
	c.Response().Header().Add("Set-Cookie", cookie.String())
	c.Response().Header().Set("Cache-Control", "no-store")
}

// currentUser returns the signed-in person of the request, or nil for someone
// not signed in. A session whose account has been disabled or signed out
// everywhere since is ended and its cookie removed.
func (s *Server) currentUser(c echo.Context) (*directory.User, error) {
	cookie, err := c.Request().Cookie(sessionCookie)
	if err != nil || cookie.Value == "" {
		return nil, nil
	}
	m := s.sessions.m
	ctx, err := m.Load(c.Request().Context(), cookie.Value)
	if err != nil {
		return nil, errors.Join(errSessionsDown, err)
	}
	id, epoch := m.GetString(ctx, sessionUser), m.GetInt(ctx, sessionEpoch)
	if id == "" {
		// Expired in Redis: the cookie is all that is left of it.
		s.sessions.writeCookie(c, "")
		return nil, nil
	}
	u, err := s.Accounts.Current(ctx, id, epoch)
	if errors.Is(err, directory.ErrNotFound) {
		return nil, s.sessions.end(c)
	}
	if err != nil {
		return nil, err
	}
	// With an idle timeout scs marks every loaded session modified; saving
	// it again moves the idle deadline on. A failure only shortens it.
	if m.Status(ctx) == scs.Modified {
		if _, _, err := m.Commit(ctx); err != nil {
			s.Log.Debug("session not refreshed", "error", err.Error())
		}
	}
	return &u, nil
}

// userKey is where a role middleware leaves the signed-in person for the
// handler.
const userKey = "user"

// signedIn returns the person a role middleware let through.
func signedIn(c echo.Context) directory.User {
	u, _ := c.Get(userKey).(directory.User)
	return u
}

// anon marks a route anyone may use, signed in or not. It loads no session, so
// public pages neither set a cookie nor depend on Redis.
func anon(next echo.HandlerFunc) echo.HandlerFunc { return next }

// role lets through people signed in with a role that grants needs; an empty
// needs lets through anyone signed in. Someone not signed in is sent to sign in
// (a page) or refused (a form sent without a session); a signed-in person
// without the role is refused.
func (s *Server) role(needs directory.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			u, err := s.currentUser(c)
			if err != nil {
				return err
			}
			lang := s.lang(c)
			if u == nil {
				if c.Request().Method == http.MethodGet || c.Request().Method == http.MethodHead {
					return c.Redirect(http.StatusSeeOther, "/sign-in?ui="+lang)
				}
				return &pageError{status: http.StatusForbidden, titleKey: "signin.required",
					detailKey: "signin.required.detail", back: "/sign-in?ui=" + lang, backKey: "signin.go"}
			}
			if needs != "" && !u.Role.Grants(needs) {
				return &pageError{status: http.StatusForbidden, titleKey: "error.403.title",
					detailKey: "error.403.detail", back: home(u.Role) + "?ui=" + lang, backKey: "staff.home"}
			}
			// A staff page is for this person only: never kept by a cache.
			c.Response().Header().Set("Cache-Control", "no-store")
			c.Set(userKey, *u)
			return next(c)
		}
	}
}

// noSessions is the session store of a server built without one: signing in
// is unavailable, as with Redis down.
type noSessions struct{}

func (noSessions) Ping(context.Context) error { return errors.New("no session store configured") }
func (n noSessions) Find(string) ([]byte, bool, error) {
	return nil, false, n.Ping(context.Background())
}
func (n noSessions) Commit(string, []byte, time.Time) error { return n.Ping(context.Background()) }
func (n noSessions) Delete(string) error                    { return n.Ping(context.Background()) }
func (n noSessions) FindCtx(ctx context.Context, _ string) ([]byte, bool, error) {
	return nil, false, n.Ping(ctx)
}
func (n noSessions) CommitCtx(ctx context.Context, _ string, _ []byte, _ time.Time) error {
	return n.Ping(ctx)
}
func (n noSessions) DeleteCtx(ctx context.Context, _ string) error { return n.Ping(ctx) }
