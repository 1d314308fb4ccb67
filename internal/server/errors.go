package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"syscall"

	"github.com/labstack/echo/v4"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/i18n"
	"github.com/belong-directory/belong/internal/view"
)

// Problem is an RFC 9457 problem document.
type Problem struct {
	Type     string                 `json:"type"`
	Title    string                 `json:"title"`
	Status   int                    `json:"status"`
	Detail   string                 `json:"detail,omitempty"`
	Instance string                 `json:"instance,omitempty"`
	Errors   []directory.FieldError `json:"errors,omitempty"`
}

// handleError is the one place errors become responses. Domain sentinels map to
// statuses; anything unknown is a 500 that is logged and never shown in detail.
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	if errors.Is(err, errSessionsDown) {
		// Said plainly, with the cause kept for the log.
		err = fmt.Errorf("%w: %w", &pageError{status: http.StatusServiceUnavailable, titleKey: "signin.unavailable",
			detailKey: "signin.unavailable.detail", back: "/?ui=" + s.lang(c), backKey: "error.back"}, err)
	}
	p := s.problemFor(err)
	h := c.Response().Header()
	pe, _ := errors.AsType[*pageError](err)
	// A pageError is an answer the server chose, such as refusing overload, not
	// a failure to log: a flood must not become a flood of error records.
	if p.Status >= 500 && pe == nil {
		kind, detail := failure(err)
		s.Log.LogAttrs(c.Request().Context(), slog.LevelError, "request failed",
			slog.String("method", c.Request().Method),
			slog.String("route", route(c)),
			slog.String("request_id", h.Get(echo.HeaderXRequestID)),
			slog.String("failure", kind),
			slog.String("error", detail))
	}
	if p.Status == http.StatusServiceUnavailable && h.Get("Retry-After") == "" {
		h.Set("Retry-After", unavailableRetryAfter)
	}
	if len(c.Request().URL.Path) <= maxEchoedPath {
		p.Instance = c.Request().URL.Path
	}
	if !jsonOnly(c.Request().URL.Path) {
		// Outside the API the answer is a page or a problem document as Accept
		// says, in the language Accept-Language asks for.
		addVary(h, echo.HeaderAccept)
		addVary(h, "Accept-Language")
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(p.Status)
		return
	}
	if wantsJSON(c) {
		// c.JSON keeps a content type that is already set.
		c.Response().Header().Set(echo.HeaderContentType, "application/problem+json")
		_ = c.JSON(p.Status, p)
		return
	}
	s.errorPage(c, p, pe)
}

func (s *Server) problemFor(err error) Problem {
	var ve *directory.ValidationError
	var he *echo.HTTPError
	var pe *pageError
	switch {
	case errors.As(err, &pe):
		return Problem{Type: "about:blank", Status: pe.status, Title: s.View.I18n.T("en", pe.titleKey),
			Detail: pe.detail(s.View.I18n, "en")}
	case errors.As(err, &ve):
		return Problem{Type: "about:blank", Status: http.StatusBadRequest, Title: "Invalid input",
			Detail: ve.Error(), Errors: ve.Fields}
	case errors.Is(err, directory.ErrNotFound):
		return Problem{Type: "about:blank", Status: http.StatusNotFound, Title: "Not found",
			Detail: "Nothing is listed at this address."}
	case errors.Is(err, directory.ErrUnavailable):
		return Problem{Type: "about:blank", Status: http.StatusServiceUnavailable, Title: "Service Unavailable",
			Detail: "The directory cannot answer this right now. Please try again in a minute."}
	case errors.Is(err, directory.ErrConflict):
		return Problem{Type: "about:blank", Status: http.StatusConflict, Title: "Conflict",
			Detail: "That clashes with something already saved."}
	case errors.As(err, &he):
		p := Problem{Type: "about:blank", Status: he.Code, Title: http.StatusText(he.Code)}
		if he.Code < 500 {
			p.Detail = fmt.Sprint(he.Message)
		}
		return p
	}
	return Problem{Type: "about:blank", Status: http.StatusInternalServerError, Title: "Internal Server Error",
		Detail: "Something went wrong on our side. It has been logged."}
}

// unavailableRetryAfter is the Retry-After of a 503 that is not overload: a
// service the page needs is away or over its deadline.
const unavailableRetryAfter = "30"

// maxEchoedPath is the longest path a problem document repeats as its instance.
const maxEchoedPath = 256

// failure names the kind of thing that went wrong, for the log, in words that
// hold no connection string: a pgx connect error names the database user, host
// and port, and a network error both ends' addresses.
func failure(err error) (kind, detail string) {
	var (
		op    *net.OpError
		errno syscall.Errno
	)
	cause := "unknown"
	if errors.As(err, &errno) {
		cause = errno.Error()
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return "deadline exceeded", "the request's deadline passed before an answer"
	case errors.Is(err, context.Canceled):
		return "canceled", "the request was canceled"
	case errors.Is(err, directory.ErrUnavailable):
		// The store says only the kind of failure, never the connection.
		return "database unreachable", err.Error()
	case errors.As(err, &op):
		return "network", op.Op + ": " + cause
	}
	return "internal", err.Error()
}

// wantsJSON: the APIs always speak JSON; elsewhere the Accept header decides.
func wantsJSON(c echo.Context) bool {
	if jsonOnly(c.Request().URL.Path) {
		return true
	}
	accept := c.Request().Header.Get(echo.HeaderAccept)
	return strings.Contains(accept, "json") && !strings.Contains(accept, "text/html")
}

// jsonOnly reports whether path is in an API that answers only JSON: /api/
// and the HSDS API under /hsds.
func jsonOnly(path string) bool {
	return strings.HasPrefix(path, "/api/") || path == "/hsds" || strings.HasPrefix(path, "/hsds/")
}

// errorPage renders a plain page in the person's language with a way back.
func (s *Server) errorPage(c echo.Context, p Problem, pe *pageError) {
	lang := s.lang(c)
	t := s.View.I18n
	key := fmt.Sprintf("error.%d", p.Status)
	if t.T(lang, key+".title") == key+".title" {
		key = "error.500"
		if p.Status < 500 {
			key = "error.400"
		}
	}
	title, detail, back, backLabel := t.T(lang, key+".title"), t.T(lang, key+".detail"), "/?ui="+lang, t.T(lang, "error.back")
	if detail == key+".detail" {
		detail = p.Detail
	}
	if pe != nil {
		title, detail = t.T(lang, pe.titleKey), pe.detail(t, lang)
		if pe.back != "" {
			back, backLabel = pe.back, t.T(lang, pe.backKey)
		}
	}
	var ve []directory.FieldError
	if p.Status == http.StatusBadRequest {
		ve = p.Errors
	}
	if len(ve) > 0 && pe == nil {
		// Each problem is listed in the person's words; the detail in the
		// problem document is for programs.
		detail = t.T(lang, "error.400.fields")
	}
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().WriteHeader(p.Status)
	page := view.Page{Lang: lang, Title: title, Path: c.Request().URL.RequestURI(),
		Data: struct {
			Detail    string
			Fields    []directory.FieldError
			Back      string
			BackLabel string
		}{detail, ve, back, backLabel}}
	if err := s.View.Render(c.Response(), "error", page); err != nil {
		s.Log.Error("render error page", "error", err)
	}
}

// lang is the UI language of this request: ?ui= first, then Accept-Language.
// (?lang= is a search filter: the language a group meets in.)
func (s *Server) lang(c echo.Context) string {
	return s.View.I18n.Choose(c.QueryParam("ui"), c.Request().Header.Get("Accept-Language"))
}

// pageError is a handler's own explanation of a 4xx, with translated words and a
// way back to somewhere useful.
type pageError struct {
	status              int
	titleKey, detailKey string
	args                []any // for the detail
	// count, when set, makes the detail the plural form of detailKey for it
	// (i18n's N), count first among its arguments.
	count         int
	back, backKey string
}

func (e *pageError) Error() string { return e.titleKey }

// detail is the error's explanation in lang.
func (e *pageError) detail(t *i18n.Catalogs, lang string) string {
	if e.count > 0 {
		return t.N(lang, e.detailKey, e.count, e.args...)
	}
	return t.T(lang, e.detailKey, e.args...)
}
