package server

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/submissions"
)

// managePage is what web/templates/manage.html receives.
type managePage struct {
	M         submissions.Manage
	Token     string // the manage link's own token, for its forms' addresses
	FormToken string
	Public    string // the public page, once published
	Done      string // what the last action did, said once after a redirect
	Confirmed string
	History   []changeView
	// Corrections are the ones nobody has answered yet, each with its date.
	Corrections []correctionItem
}

// manageLink answers a manage link: its status, and what the organizer can do.
// A forged, old or revoked link gets a 404 that offers a new one.
func (s *Server) manageLink(c echo.Context) error {
	token := c.Param("token")
	m, err := s.Submissions.Open(c.Request().Context(), token)
	if err != nil {
		return s.manageError(c, err)
	}
	lang := s.lang(c)
	t := s.View.I18n
	words := s.View.Words(lang)
	p := managePage{M: m, Token: token, FormToken: s.Forms.Issue(purposeManage),
		Done: doneMessage(t.T, lang, c.QueryParam("done")), Confirmed: words.ShortDate(m.Listing.ConfirmedAt)}
	if m.Published() {
		p.Public = "/groups/" + m.Listing.Slug + "?ui=" + lang
	}
	p.History = s.changeViews(lang, m.History)
	open, err := s.Corrections.OpenFor(c.Request().Context(), token)
	if err != nil {
		return s.manageError(c, err)
	}
	for _, corr := range open {
		p.Corrections = append(p.Corrections, correctionItem{Correction: corr, Waiting: words.ShortDate(corr.CreatedAt)})
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, http.StatusOK, "manage", t.T(lang, "manage.title"), p)
}

// doneMessages are the actions whose result a manage page says after a redirect.
var doneMessages = map[string]bool{"confirm": true, "pause": true, "resume": true, "archive": true,
	"archive_unsure": true, "edit": true, "link": true,
	"corrected": true}

func doneMessage(t func(string, string, ...any) string, lang, done string) string {
	if !doneMessages[done] {
		return ""
	}
	return t(lang, "manage.done."+done)
}

// manageAction runs one of the manage page's buttons, then goes back to it.
func (s *Server) manageAction(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
	}
	token := c.Param("token")
	if err := s.checkClickedForm(form, purposeManage); err != nil {
		return s.manageFormExpired(c, token)
	}
	ctx := c.Request().Context()
	action := c.Param("action")
	switch action {
	case "confirm":
		err = s.Submissions.Confirm(ctx, token)
	case submissions.Archive:
		// Archiving cannot be undone from the manage page: it needs the box
		// that says the group has ended, which the browser also asks for.
		if form.Get("sure") != "yes" {
			return c.Redirect(http.StatusSeeOther, "/manage/"+token+"?ui="+s.lang(c)+"&done=archive_unsure")
		}
		err = s.Submissions.SetState(ctx, token, action)
	case submissions.Pause, submissions.Resume:
		err = s.Submissions.SetState(ctx, token, action)
	case "link":
		err = s.Submissions.RenewLink(ctx, token)
	default:
		return echo.ErrNotFound
	}
	if err != nil {
		return s.manageError(c, err)
	}
	lang := s.lang(c)
	if action == "link" {
		// The old link no longer works: say so on a page of its own.
		return c.Redirect(http.StatusSeeOther, "/manage/sent?ui="+lang)
	}
	return c.Redirect(http.StatusSeeOther, "/manage/"+token+"?ui="+lang+"&done="+action)
}

// manageFormExpired sends the organizer back to a fresh manage page.
func (s *Server) manageFormExpired(c echo.Context, token string) error {
	lang := s.lang(c)
	return &pageError{status: http.StatusBadRequest, titleKey: "form.expired.title", detailKey: "form.expired",
		back: "/manage/" + token + "?ui=" + lang, backKey: "manage.back"}
}

// manageEditForm shows the edit form filled in from the listing (or from its
// open revision, so a second edit starts from the first).
func (s *Server) manageEditForm(c echo.Context) error {
	token := c.Param("token")
	m, err := s.Submissions.Open(c.Request().Context(), token)
	if err != nil {
		return s.manageError(c, err)
	}
	from := m.Listing
	if m.Revision.State.Open() {
		from = m.Revision.Proposed
	}
	return s.renderSubmit(c, http.StatusOK, submitPage{Form: submissionForm(submissions.FromListing(from)),
		Action: "/manage/" + token + "/edit", Edit: true, Version: m.Listing.Version})
}

// manageEdit takes the edit form: a revision for the moderators.
func (s *Server) manageEdit(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil || len(form) > maxFormValues {
		return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
	}
	token := c.Param("token")
	p := submitPage{Form: form, Action: "/manage/" + token + "/edit", Edit: true, Version: versionOf(form)}
	if err := s.checkForm(form, purposeManage); err != nil {
		return s.refuse(c, p, err)
	}
	err = s.Submissions.Edit(c.Request().Context(), token, versionOf(form), parseSubmission(form, s.lang(c)))
	if errors.Is(err, directory.ErrNotFound) {
		return s.manageError(c, err)
	}
	if err != nil {
		return s.refuse(c, p, err)
	}
	return c.Redirect(http.StatusSeeOther, "/manage/"+token+"?ui="+s.lang(c)+"&done=edit")
}

// manageError turns a link that opens nothing into a page that offers a new
// one; anything else goes to the one error handler.
func (s *Server) manageError(c echo.Context, err error) error {
	if !errors.Is(err, directory.ErrNotFound) {
		return err
	}
	lang := s.lang(c)
	return &pageError{status: http.StatusNotFound, titleKey: "manage.notfound.title", detailKey: "manage.notfound.detail",
		back: "/manage?ui=" + lang, backKey: "manage.request.title"}
}

// manageRequest is the page where an organizer asks for a fresh link by email.
func (s *Server) manageRequest(c echo.Context) error {
	return s.renderManageRequest(c, http.StatusOK, url.Values{}, "")
}

func (s *Server) renderManageRequest(c echo.Context, status int, form url.Values, problem string) error {
	lang := s.lang(c)
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, status, "manage_request", s.View.I18n.T(lang, "manage.request.title"), struct {
		Form    url.Values
		Problem string
		Token   string
	}{form, problem, s.Forms.Issue(purposeManage)})
}

// manageSend sends fresh links to an address, and says the same whether or not
// any listing has it.
func (s *Server) manageSend(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil {
		return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
	}
	lang := s.lang(c)
	if err := s.checkForm(form, purposeManage); err != nil {
		return s.renderManageRequest(c, http.StatusUnprocessableEntity, form, s.View.I18n.T(lang, formTokenKey(err)))
	}
	var ve *directory.ValidationError
	if err := s.Submissions.SendLinks(c.Request().Context(), form.Get("email")); errors.As(err, &ve) {
		return s.renderManageRequest(c, http.StatusUnprocessableEntity, form, s.View.I18n.T(lang, ve.Fields[0].Key))
	} else if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/manage/sent?ui="+lang)
}

func (s *Server) manageSent(c echo.Context) error {
	lang := s.lang(c)
	t := s.View.I18n
	return s.render(c, http.StatusOK, "notice", t.T(lang, "manage.sent.title"), notice{
		Title: t.T(lang, "manage.sent.title"), Body: t.T(lang, "manage.sent.body"),
		Back: "/?ui=" + lang, BackLabel: t.T(lang, "error.back")})
}
