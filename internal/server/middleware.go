package server

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"
)

func requestID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// requestLog logs one line per request: method, route pattern, status, duration
// and request id. It never logs the client's address, the query string or the
// path itself: /groups/:slug is logged, never which group a person looked at,
// nor the token of a manage or sign-in link, and a path nobody routes (huge, or
// full of bidi controls) is not written out.
func (s *Server) requestLog() echo.MiddlewareFunc {
	return middleware.RequestLoggerWithConfig(middleware.RequestLoggerConfig{
		LogMethod:    true,
		LogStatus:    true,
		LogLatency:   true,
		LogRequestID: true,
		HandleError:  true,
		LogValuesFunc: func(c echo.Context, v middleware.RequestLoggerValues) error {
			if refused, _ := c.Get(refusedKey).(bool); refused {
				s.refusals.add(route(c))
				return nil
			}
			level := slog.LevelInfo
			switch {
			case v.Status == http.StatusServiceUnavailable:
				level = slog.LevelWarn // overload or a service away: a state, not a fault
			case v.Status >= 500:
				level = slog.LevelError
			}
			s.Log.LogAttrs(c.Request().Context(), level, "request",
				slog.String("method", v.Method),
				slog.String("route", route(c)),
				slog.Int("status", v.Status),
				slog.Duration("duration", v.Latency),
				slog.String("request_id", v.RequestID))
			return nil
		},
	})
}

// contentSecurityPolicy allows nothing from anywhere but the app's own origin and
// no inline script or style.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; manifest-src 'self'"

func securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(self), interest-cohort=()")
		return next(c)
	}
}

// route is the pattern of the route that answered, the same for every group;
// "unrouted" when none did.
func route(c echo.Context) string {
	if p := c.Path(); p != "" && p != "/*" {
		return p
	}
	return "unrouted"
}

// get answers GET and HEAD alike on one route: a HEAD is a GET whose body
// net/http leaves unsent.
func get(e *echo.Echo, path string, h echo.HandlerFunc, m ...echo.MiddlewareFunc) {
	e.Match([]string{http.MethodGet, http.MethodHead}, path, h, m...)
}

// addVary adds field to the Vary header, keeping what is there: the gzip
// middleware's Accept-Encoding must survive a handler that varies by language.
func addVary(h http.Header, field string) {
	for _, v := range h.Values(echo.HeaderVary) {
		for f := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(f), field) {
				return
			}
		}
	}
	h.Add(echo.HeaderVary, field)
}

// byLanguage marks answers whose words follow Accept-Language (unless ?ui= says).
func byLanguage(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		addVary(c.Response().Header(), "Accept-Language")
		return next(c)
	}
}

// private marks answers that say which group someone looked at: no browser
// history cache or proxy keeps them, as with search results.
func private(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "private, no-store")
		return next(c)
	}
}

func bodyLimitString(n int64) string { return strconv.FormatInt(n, 10) + "B" }

// crossOrigin refuses state-changing requests that a browser says come from
// another site (Sec-Fetch-Site, or Origin against Host), without any cookie:
// anonymous people get none. GET, HEAD and OPTIONS pass.
func crossOrigin() echo.MiddlewareFunc {
	cop := http.NewCrossOriginProtection()
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if err := cop.Check(c.Request()); err != nil {
				return echo.NewHTTPError(http.StatusForbidden, "This form must be sent from this site.").SetInternal(err)
			}
			return next(c)
		}
	}
}
