package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/referrals"
)

// keptView is one of a peer worker's lists on their dashboard.
type keptView struct {
	ID, Code, Path, Link string
	LangName             string
	Note                 string
	Created, Expires     string
	FollowUp             bool
	Groups               []groupView
	Marked               int
	MarkDays             map[string]string // listing id → the day of its mark
}

// listsPage is what web/templates/lists.html receives.
type listsPage struct {
	Staff staffView
	Lists []keptView
	Days  []option
	Done  string
	Form  formState
}

// myLists is a peer worker's dashboard: their lists, when each ends, the marks
// people left, and renew, follow-up and delete. Nobody sees anyone else's.
func (s *Server) myLists(c echo.Context) error {
	return s.renderLists(c, http.StatusOK, formState{})
}

func (s *Server) renderLists(c echo.Context, status int, f formState) error {
	u := signedIn(c)
	lang := s.lang(c)
	kept, err := s.Referrals.Mine(c.Request().Context(), u)
	if err != nil {
		return err
	}
	words := s.View.Words(lang)
	p := listsPage{Staff: staff(u), Done: done(c, "renewed", "deleted", "follow_up_on", "follow_up_off", "gone"), Form: f}
	for _, k := range kept {
		v := keptView{ID: k.List.ID, Code: referrals.GroupCode(k.List.Code), Path: "/r/" + referrals.GroupCode(k.List.Code),
			Link: s.listLink(k.List.Code), LangName: s.View.I18n.T(k.List.Lang, "language.self"), Note: k.List.Note,
			Created: words.ShortDate(k.List.CreatedOn), Expires: words.ShortDate(k.List.ExpiresOn),
			FollowUp: k.List.FollowUp, Marked: len(k.Marks), MarkDays: map[string]string{}}
		for _, g := range k.Groups {
			v.Groups = append(v.Groups, s.groupView(lang, g))
		}
		for _, m := range k.Marks {
			v.MarkDays[m.ListingID] = words.ShortDate(m.On)
		}
		p.Lists = append(p.Lists, v)
	}
	for _, n := range listDays {
		p.Days = append(p.Days, option{Value: strconv.Itoa(n), Label: s.View.I18n.N(lang, "referral.days", n),
			Checked: n == referrals.DefaultDays})
	}
	return s.render(c, status, "lists", s.View.I18n.T(lang, "lists.title"), p)
}

// listAction carries out renew, follow-up and delete on one of the person's
// own lists. A list that is not there, or not theirs, leads back to their
// lists with the same words either way.
func (s *Server) listAction(action string) echo.HandlerFunc {
	return func(c echo.Context) error {
		u, lang, ctx, id := signedIn(c), s.lang(c), c.Request().Context(), c.Param("id")
		var err error
		var d string
		switch action {
		case "renew":
			days, convErr := strconv.Atoi(c.FormValue("days"))
			if convErr != nil {
				days = -1
			}
			err, d = s.Referrals.Renew(ctx, u, id, days), "renewed"
		case "follow-up":
			on := c.FormValue("follow_up") == "on"
			err, d = s.Referrals.SetFollowUp(ctx, u, id, on), "follow_up_off"
			if on {
				d = "follow_up_on"
			}
		case "delete":
			err, d = s.Referrals.Delete(ctx, u, id), "deleted"
		}
		if errors.Is(err, directory.ErrNotFound) {
			// Deleted in another tab, or never this person's: back to their
			// lists, which say so.
			return c.Redirect(http.StatusSeeOther, "/lists?ui="+lang+"&done=gone")
		}
		if err != nil {
			f, err := s.refused(lang, err, nil)
			if err != nil {
				return err
			}
			for _, msg := range f.Errors {
				f.Problems = append(f.Problems, problem{Message: msg})
			}
			return s.renderLists(c, http.StatusBadRequest, f)
		}
		return c.Redirect(http.StatusSeeOther, "/lists?ui="+lang+"&done="+d)
	}
}
