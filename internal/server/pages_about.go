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
	p := historyPage{L: l, Changes: s.changeViews(lang, changes)}
	return s.render(c, http.StatusOK, "history", s.View.I18n.T(lang, "history.title", l.Name), p)
}

// changeViews says each change of a listing's history in words.
func (s *Server) changeViews(lang string, changes []directory.Change) []changeView {
	t := s.View.I18n.T
	words := s.View.Words(lang)
	var out []changeView
	for _, ch := range changes {
		key := "history.action." + ch.Action
		if t(lang, key) == key {
			key = "history.action.other"
		}
		out = append(out, changeView{Date: words.ShortDate(ch.At), At: ch.At.UTC().Format("2006-01-02T15:04:05Z"),
			Action: t(lang, key), By: t(lang, "history.by."+ch.By)})
	}
	return out
}

// listingCriteria says what can be listed and what cannot.
func (s *Server) listingCriteria(c echo.Context) error {
	return s.render(c, http.StatusOK, "criteria", s.View.I18n.T(s.lang(c), "criteria.title"), nil)
}
