package server

import (
	"bytes"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/formtoken"
	"github.com/belong-directory/belong/internal/referrals"
	"github.com/belong-directory/belong/internal/view"
)

// The recipient's pages (/r/{code}…) show a shared list in the language
// chosen for the person. They set no cookie and no cache keeps them. A code
// that is malformed, never given, ended or deleted gets the same kind 404.

const purposeMark = "referral_mark"

// groupView is one group of a list in words.
type groupView struct {
	ID, Slug, Name, TextLang string
	State                    referrals.GroupState
	Summary, Org             string
	Schedules                []scheduleView
	Next, NextZone           string // the next meeting, and the zone its times are in
	Needs, Partly            []string
	HowToJoin, PhoneMeeting  string
	CostNote                 string
	Places, Rooms            []directory.Location
	Email, Phone, Website    string
	Confirmed                string
	Mark                     directory.Mark
}

// groupView says one group of a list in words, with its next meeting only:
// a list is read at a glance and printed on one page.
func (s *Server) groupView(lang string, g referrals.Group) groupView {
	v := groupView{ID: g.ID, Name: g.Name, TextLang: g.TextLang, State: g.State, Mark: g.Mark}
	l := g.Public
	if l == nil {
		return v
	}
	words := s.View.Words(lang)
	v.Slug, v.Summary, v.Org = l.Slug, l.Summary, l.Organization.Name
	v.Confirmed = words.ShortDate(l.ConfirmedAt)
	labels := map[string]string{}
	for _, c := range s.Directory.Taxonomy(lang) {
		for _, t := range c.Tags {
			labels[t.Slug] = t.Label
		}
	}
	for _, t := range l.Tags {
		switch t.Value {
		case directory.Yes:
			v.Needs = append(v.Needs, labels[t.Tag])
		case directory.Partly:
			v.Partly = append(v.Partly, labels[t.Tag])
		}
	}
	now := time.Now()
	var soonest time.Time // of every schedule's next meeting
	for _, sc := range l.Schedules {
		sv, ok := scheduleWords(words, sc, now, l.Paused)
		if !ok {
			continue
		}
		sv.Next = sv.Next[:min(1, len(sv.Next))]
		v.Schedules = append(v.Schedules, sv)
		if len(sv.Next) == 0 {
			continue
		}
		if at, err := time.Parse(time.RFC3339, sv.Next[0].Start); err == nil && (soonest.IsZero() || at.Before(soonest)) {
			soonest = at
			v.Next, v.NextZone = sv.Next[0].Date+", "+sv.Next[0].Span, sv.Zone
		}
	}
	v.HowToJoin, v.PhoneMeeting, v.CostNote = l.HowToJoin, l.PhoneMeeting, l.CostNote
	v.Places, v.Rooms = l.Places(), l.Rooms()
	v.Email, v.Phone, v.Website = l.Email, l.Phone, l.Website
	if v.Email == "" && v.Phone == "" && v.Website == "" {
		v.Email, v.Phone, v.Website = l.Organization.Email, l.Organization.Phone, l.Organization.Website
	}
	return v
}

// listGone is the one answer for every code that opens no list.
func (s *Server) listGone(c echo.Context) error {
	return &pageError{status: http.StatusNotFound, titleKey: "referral.gone.title", detailKey: "referral.gone.detail",
		back: "/?ui=" + s.lang(c), backKey: "referral.gone.back"}
}

// openList opens the list a code names, or answers listGone.
func (s *Server) openList(c echo.Context) (referrals.Opened, error) {
	c.Response().Header().Set("Cache-Control", "no-store")
	o, err := s.Referrals.Open(c.Request().Context(), c.Param("code"))
	if errors.Is(err, directory.ErrNotFound) {
		return o, s.listGone(c)
	}
	return o, err
}

// listLang is the language a recipient page speaks: the list's, unless the
// person chose another with ?ui=.
func (s *Server) listLang(c echo.Context, l directory.ReferralList) string {
	if ui := c.QueryParam("ui"); ui != "" && slices.Contains(s.Referrals.Langs(), ui) {
		return ui
	}
	return l.Lang
}

// listLink is the address the person is given.
func (s *Server) listLink(code string) string {
	return strings.TrimRight(s.Config.BaseURL, "/") + "/r/" + referrals.GroupCode(code)
}

// textMessage is the list as a text message in its language: the link and
// the day it ends, never the note (it would not fit, and a text message is
// easily seen by others).
func (s *Server) textMessage(l directory.ReferralList) string {
	return s.View.I18n.N(l.Lang, "referral.sms", len(l.ListingIDs), s.listLink(l.Code), s.View.Words(l.Lang).ShortDate(l.ExpiresOn))
}

// recipientPage is what web/templates/referral.html and referral_print.html
// receive.
type recipientPage struct {
	Code, Link, Expires, Note string
	NoteLang                  string
	Groups                    []groupView
	FollowUp                  bool
	Marks                     []directory.Mark
	Token                     string
	Done                      string
	Problem                   string
}

// renderIn writes a page in lang, whatever the request asked for.
func (s *Server) renderIn(c echo.Context, status int, lang, name, title string, data any) error {
	c.Response().Header().Set(echo.HeaderContentType, echo.MIMETextHTMLCharsetUTF8)
	c.Response().WriteHeader(status)
	return s.View.Render(c.Response(), name, view.Page{Lang: lang, Title: title,
		Path: c.Request().URL.RequestURI(), Data: data})
}

func (s *Server) recipientData(c echo.Context, o referrals.Opened, lang string) recipientPage {
	p := recipientPage{Code: referrals.GroupCode(o.List.Code), Link: s.listLink(o.List.Code),
		Expires: s.View.Words(lang).ShortDate(o.List.ExpiresOn), Note: o.List.Note, FollowUp: o.List.FollowUp,
		Marks: directory.Marks}
	for _, g := range o.Groups {
		p.Groups = append(p.Groups, s.groupView(lang, g))
	}
	if p.FollowUp {
		p.Token = s.Forms.Issue(purposeMark)
	}
	p.Done = done(c, "marked", "cleared")
	return p
}

// recipient is the shared list as the person opens it.
func (s *Server) recipient(c echo.Context) error {
	o, err := s.openList(c)
	if err != nil {
		return err
	}
	lang := s.listLang(c, o.List)
	return s.renderIn(c, http.StatusOK, lang, "referral", s.View.I18n.T(lang, "referral.title"), s.recipientData(c, o, lang))
}

// recipientPrint is the list as a small booklet to print.
func (s *Server) recipientPrint(c echo.Context) error {
	o, err := s.openList(c)
	if err != nil {
		return err
	}
	lang := s.listLang(c, o.List)
	return s.renderIn(c, http.StatusOK, lang, "referral_print", s.View.I18n.T(lang, "referral.title"), s.recipientData(c, o, lang))
}

// recipientText is the text-message version, as plain text.
func (s *Server) recipientText(c echo.Context) error {
	o, err := s.openList(c)
	if err != nil {
		return err
	}
	return c.String(http.StatusOK, s.textMessage(o.List))
}

// recipientQR is the list's link as a QR code, as SVG or PNG: the link and
// nothing else.
func (s *Server) recipientQR(format string) echo.HandlerFunc {
	return func(c echo.Context) error {
		o, err := s.openList(c)
		if err != nil {
			return err
		}
		var b bytes.Buffer
		if format == "svg" {
			err = writeQRSVG(&b, s.listLink(o.List.Code))
		} else {
			err = writeQRPNG(&b, s.listLink(o.List.Code))
		}
		if err != nil {
			return err
		}
		mime := "image/svg+xml"
		if format == "png" {
			mime = "image/png"
		}
		return c.Blob(http.StatusOK, mime, b.Bytes())
	}
}

// sharePage is what web/templates/list_shared.html receives.
type sharePage struct {
	Code, Link, Path, Text, Expires string
	TextLen                         int
	ListLang                        string
	Kept                            bool
}

// shareReady is the page for whoever shared a list: the link, the code to
// read aloud, the QR code, the print view and the text message. It shows
// nothing the list itself does not.
func (s *Server) shareReady(c echo.Context) error {
	o, err := s.openList(c)
	if err != nil {
		return err
	}
	lang := s.lang(c)
	text := s.textMessage(o.List)
	u := s.maybeUser(c)
	p := sharePage{Code: referrals.GroupCode(o.List.Code), Link: s.listLink(o.List.Code),
		Path: "/r/" + referrals.GroupCode(o.List.Code), Text: text, TextLen: utf8.RuneCountInString(text),
		Expires: s.View.Words(lang).ShortDate(o.List.ExpiresOn), ListLang: o.List.Lang,
		Kept: u != nil && o.List.CreatedBy == u.ID}
	return s.render(c, http.StatusOK, "list_shared", s.View.I18n.T(lang, "referral.shared.title"), p)
}

// markGroup keeps or clears the person's mark on one group of their list.
func (s *Server) markGroup(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil || len(form) > maxFormValues {
		return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
	}
	o, err := s.openList(c)
	if err != nil {
		return err
	}
	lang := s.listLang(c, o.List)
	listing, mark := form.Get("listing"), form.Get("mark")
	if form.Get("clear") != "" {
		mark = ""
	}
	err = s.checkClickedForm(form, purposeMark)
	if err == nil {
		err = s.Referrals.Mark(c.Request().Context(), c.Param("code"), listing, mark)
	}
	if err == nil {
		d := "marked"
		if mark == "" {
			d = "cleared"
		}
		return c.Redirect(http.StatusSeeOther, "/r/"+referrals.GroupCode(o.List.Code)+"?ui="+url.QueryEscape(lang)+
			"&done="+d+"#g-"+listing)
	}
	key, status := "", http.StatusUnprocessableEntity
	switch {
	case errors.Is(err, referrals.ErrNoFollowUp):
		key, status = "referral.error.follow_up_off", http.StatusConflict
	case errors.Is(err, formtoken.ErrTooFast):
		key = "form.too_fast"
	case errors.Is(err, formtoken.ErrExpired), errors.Is(err, formtoken.ErrForged):
		key = "form.expired"
	default:
		ve, ok := errors.AsType[*directory.ValidationError](err)
		if !ok {
			return err
		}
		key = ve.Fields[0].Key
	}
	p := s.recipientData(c, o, lang)
	p.Problem = s.View.I18n.T(lang, key)
	return s.renderIn(c, status, lang, "referral", s.View.I18n.T(lang, "referral.title"), p)
}
