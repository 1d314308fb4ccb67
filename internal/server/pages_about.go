package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/belong-directory/belong/internal/directory"
)

type historyPage struct {
	L       directory.PublicListing
	Changes []changeView
}

type changeView struct {
	Date   string
	At     string // RFC 3339, for <time>
	Action string // translated
	By     string // translated role
}

// listingHistory shows when a listing changed and how, by role only.
func (s *Server) listingHistory(c echo.Context) error {
	l, changes, err := s.Directory.History(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	lang := s.lang(c)
	t := s.View.I18n.T
	words := s.View.Words(lang)
	p := historyPage{L: l}
	for _, ch := range changes {
		key := "history.action." + ch.Action
		if t(lang, key) == key {
			key = "history.action.other"
		}
		p.Changes = append(p.Changes, changeView{Date: words.ShortDate(ch.At), At: ch.At.UTC().Format("2006-01-02T15:04:05Z"),
			Action: t(lang, key), By: t(lang, "history.by."+ch.By)})
	}
	return s.render(c, http.StatusOK, "history", t(lang, "history.title", l.Name), p)
}

// listingCriteria says what can be listed and what cannot.
func (s *Server) listingCriteria(c echo.Context) error {
	return s.render(c, http.StatusOK, "criteria", s.View.I18n.T(s.lang(c), "criteria.title"), nil)
}
