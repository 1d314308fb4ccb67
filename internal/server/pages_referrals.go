package server

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/formtoken"
	"github.com/belong-directory/belong/internal/referrals"
)

// A list being built lives in its own address (/list?ids=…): no cookie and
// nothing on the server until it is shared. Moving, removing and adding are
// links or GET buttons, so it all works without JavaScript.

const purposeShare = "share_list"

// listDays are the lengths offered for a list; any from 1 to 180 is taken.
var listDays = []int{7, 30, 60, 90, 180}

// listDraft is the list in the builder's address.
type listDraft struct {
	IDs  []string
	Lang string // the language the person reads
	Note string
	Days int
	// Back is the search the list was started from, to add more groups.
	Back string
}

// maxEchoedNote is as much of a note as the builder shows again: enough to
// see it is too long, never 10 KB reflected into a page.
const maxEchoedNote = 2 * referrals.MaxNote

// readDraft reads a list from an address or a form.
func (s *Server) readDraft(v url.Values, ui string) (listDraft, error) {
	d := listDraft{Lang: v.Get("lang"), Note: v.Get("note"), Back: safeBack(v.Get("back"))}
	if !slices.Contains(s.Referrals.Langs(), d.Lang) {
		d.Lang = ui
	}
	if utf8.RuneCountInString(d.Note) > maxEchoedNote {
		d.Note = string([]rune(d.Note)[:maxEchoedNote])
	}
	d.Days = referrals.DefaultDays
	if n, err := strconv.Atoi(v.Get("days")); err == nil {
		d.Days = n
	}
	ids, err := referrals.ParseIDs(v.Get("ids"))
	d.IDs = ids
	return d, err
}

// safeBack keeps a way back only when it is a search or group page of this
// site: never another site, never a script.
func safeBack(back string) string {
	if len(back) > 2000 || !strings.HasPrefix(back, "/") || strings.HasPrefix(back, "//") || strings.ContainsAny(back, "\\\r\n") {
		return ""
	}
	if back != "/" && !strings.HasPrefix(back, "/?") && !strings.HasPrefix(back, "/groups/") {
		return ""
	}
	return back
}

// values is the draft as an address's query, with ui.
func (d listDraft) values(ui string) url.Values {
	v := url.Values{}
	if len(d.IDs) > 0 {
		v.Set("ids", strings.Join(d.IDs, ","))
	}
	v.Set("lang", d.Lang)
	if d.Note != "" {
		v.Set("note", d.Note)
	}
	if d.Days != referrals.DefaultDays {
		v.Set("days", strconv.Itoa(d.Days))
	}
	if d.Back != "" {
		v.Set("back", d.Back)
	}
	v.Set("ui", ui)
	return v
}

func (d listDraft) href(ui string) string { return "/list?" + d.values(ui).Encode() }

// with returns the draft with ids in place of its own.
func (d listDraft) with(ids []string) listDraft {
	d.IDs = ids
	return d
}

// more is where to add more groups: the search it came from, carrying the list.
func (d listDraft) more(ui string) string {
	back := d.Back
	if back == "" || strings.HasPrefix(back, "/groups/") {
		back = "/?ui=" + ui
	}
	return withList(back, d.IDs)
}

// withList adds the list being built to a link of the search or group pages,
// before any #fragment, so the next "add" keeps what is on it.
func withList(href string, ids []string) string {
	if len(ids) == 0 {
		return href
	}
	frag := ""
	if i := strings.IndexByte(href, '#'); i >= 0 {
		href, frag = href[:i], href[i:]
	}
	sep := "?"
	if strings.Contains(href, "?") {
		sep = "&"
	}
	return href + sep + "list=" + url.QueryEscape(strings.Join(ids, ",")) + frag
}

// applyMove carries out one move of the builder's buttons; false when the
// address asks for none.
func applyMove(v url.Values, ids []string) ([]string, bool, error) {
	ids = slices.Clone(ids)
	if id := v.Get("add"); id != "" {
		more, err := referrals.ParseIDs(strings.Join(append(ids, id), ","))
		return more, true, err
	}
	for _, op := range []string{"up", "down", "remove"} {
		id := v.Get(op)
		if id == "" {
			continue
		}
		i := slices.Index(ids, strings.ToLower(id))
		switch {
		case i < 0:
		case op == "remove":
			ids = slices.Delete(ids, i, i+1)
		case op == "up" && i > 0:
			ids[i-1], ids[i] = ids[i], ids[i-1]
		case op == "down" && i < len(ids)-1:
			ids[i+1], ids[i] = ids[i], ids[i+1]
		}
		return ids, true, nil
	}
	return ids, false, nil
}

// builderPage is what web/templates/list.html receives.
type builderPage struct {
	D        listDraft
	Groups   []groupView
	IDs      string
	More     string
	Langs    []option
	Days     []option
	Peer     bool
	FollowUp bool
	Token    string
	Form     formState
	Max      int
}

// listBuilder shows the list in the address, and carries out a move asked
// for by one of its buttons by sending the browser to the list's new address.
func (s *Server) listBuilder(c echo.Context) error {
	lang := s.lang(c)
	q := c.QueryParams()
	d, err := s.readDraft(q, lang)
	if err == nil {
		var ids []string
		var moved bool
		ids, moved, err = applyMove(q, d.IDs)
		if err == nil && moved {
			return c.Redirect(http.StatusSeeOther, d.with(ids).href(lang)+"#list")
		}
	}
	var f formState
	status := http.StatusOK
	if err != nil {
		if f, err = s.refused(lang, err, nil, "ids"); err != nil {
			return err
		}
		status = http.StatusBadRequest
	}
	return s.renderBuilder(c, status, d, f, q.Get("follow_up") == "on")
}

func (s *Server) renderBuilder(c echo.Context, status int, d listDraft, f formState, followUp bool) error {
	lang := s.lang(c)
	groups, err := s.Referrals.Preview(c.Request().Context(), d.IDs)
	if err != nil {
		return err
	}
	p := builderPage{D: d, IDs: strings.Join(d.IDs, ","), More: d.more(lang), Token: s.Forms.Issue(purposeShare),
		Form: f, Peer: isPeer(s.maybeUser(c)), FollowUp: followUp, Max: referrals.MaxGroups}
	for _, g := range groups {
		p.Groups = append(p.Groups, s.groupView(lang, g))
	}
	for _, l := range s.Referrals.Langs() {
		p.Langs = append(p.Langs, option{Value: l, Label: s.View.I18n.T(l, "language.self"), Checked: l == d.Lang})
	}
	for _, n := range listDays {
		p.Days = append(p.Days, option{Value: strconv.Itoa(n), Label: s.View.I18n.N(lang, "referral.days", n), Checked: n == d.Days})
	}
	if !slices.Contains(listDays, d.Days) {
		p.Days = append(p.Days, option{Value: strconv.Itoa(d.Days), Label: s.View.I18n.N(lang, "referral.days", d.Days), Checked: true})
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, status, "list", s.View.I18n.T(lang, "referral.builder.title"), p)
}

func isPeer(u *directory.User) bool { return u != nil && u.Role.Grants(directory.Peer) }

// maybeUser is the signed-in person on a page anyone may use, or nil. Someone
// without a session cookie is never looked up (no Redis, no cookie); a
// session that cannot be read counts as not signed in.
func (s *Server) maybeUser(c echo.Context) *directory.User {
	if ck, err := c.Request().Cookie(sessionCookie); err != nil || ck.Value == "" {
		return nil
	}
	u, err := s.currentUser(c)
	if err != nil {
		return nil
	}
	return u
}

// shareList keeps the list and sends the person to the page that shares it.
func (s *Server) shareList(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil || len(form) > maxFormValues {
		return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
	}
	lang := s.lang(c)
	d, err := s.readDraft(form, lang)
	followUp := form.Get("follow_up") == "on"
	if err == nil {
		err = s.checkClickedForm(form, purposeShare)
	}
	if err == nil {
		d.Note = form.Get("note") // the whole note: the service judges it
		var l directory.ReferralList
		l, err = s.Referrals.Share(c.Request().Context(), referrals.Draft{ListingIDs: d.IDs, Lang: d.Lang,
			Note: d.Note, Days: d.Days, FollowUp: followUp}, s.maybeUser(c))
		if err == nil {
			return c.Redirect(http.StatusSeeOther, "/r/"+referrals.GroupCode(l.Code)+"/share?ui="+lang)
		}
	}
	if utf8.RuneCountInString(d.Note) > maxEchoedNote {
		d.Note = string([]rune(d.Note)[:maxEchoedNote])
	}
	var f formState
	switch {
	case errors.Is(err, formtoken.ErrTooFast):
		f.Problems = []problem{{Message: s.View.I18n.T(lang, "form.too_fast")}}
	case errors.Is(err, formtoken.ErrExpired), errors.Is(err, formtoken.ErrForged):
		f.Problems = []problem{{Message: s.View.I18n.T(lang, "form.expired")}}
	default:
		if f, err = s.refused(lang, err, nil, "ids", "lang", "note", "days", "follow_up"); err != nil {
			return err
		}
	}
	return s.renderBuilder(c, http.StatusUnprocessableEntity, d, f, followUp)
}
