package server

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/belong-directory/belong/internal/directory"
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
	if p.Status >= 500 {
		s.Log.LogAttrs(c.Request().Context(), slog.LevelError, "request failed",
			slog.String("method", c.Request().Method),
			slog.String("route", c.Path()),
			slog.String("request_id", c.Response().Header().Get(echo.HeaderXRequestID)),
			slog.String("error", err.Error()))
	}
	if p.Status == http.StatusServiceUnavailable {
		c.Response().Header().Set("Retry-After", "30")
	}
	p.Instance = c.Request().URL.Path
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(p.Status)
		return
	}
	pe, _ := errors.AsType[*pageError](err)
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
			Detail: s.View.I18n.T("en", pe.detailKey)}
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

// wantsJSON: the API always speaks JSON; elsewhere the Accept header decides.
func wantsJSON(c echo.Context) bool {
	if strings.HasPrefix(c.Request().URL.Path, "/api/") {
		return true
	}
	accept := c.Request().Header.Get(echo.HeaderAccept)
	return strings.Contains(accept, "json") && !strings.Contains(accept, "text/html")
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
		title, detail = t.T(lang, pe.titleKey), t.T(lang, pe.detailKey)
		if pe.back != "" {
			back, backLabel = pe.back, t.T(lang, pe.backKey)
		}
	}
	var ve []directory.FieldError
	if p.Status == http.StatusBadRequest {
		ve = p.Errors
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
	back, backKey       string
}

func (e *pageError) Error() string { return e.titleKey }
