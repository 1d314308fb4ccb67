package server

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/labstack/echo/v4"

	"github.com/belong-directory/belong/internal/corrections"
	"github.com/belong-directory/belong/internal/directory"
)

// purposeCorrection signs the correction form of one listing: a token served
// for one group's form does not send another's.
const purposeCorrection = "correction:"

// maxCorrectionValues bounds what the correction form may send.
const maxCorrectionValues = 10

// correctionPage is what web/templates/correction.html receives.
type correctionPage struct {
	Name, Slug string
	Kinds      []directory.CorrectionKind
	Form       formState
	Token      string
	Max        int
}

// parseCorrection reads the correction form. It never fails: the validator
// names what is missing or wrong.
func parseCorrection(form url.Values) corrections.Report {
	return corrections.Report{Kind: form.Get("kind"), Text: form.Get("text")}
}

// correctionForm is the form anyone may use to say a public listing is out of
// date: no account, no email, no cookie.
func (s *Server) correctionForm(c echo.Context) error {
	l, err := s.Directory.PublicListing(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	return s.renderCorrection(c, http.StatusOK, l.Name, l.Slug, formState{Values: map[string]string{}})
}

func (s *Server) renderCorrection(c echo.Context, status int, name, slug string, f formState) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, status, "correction", s.View.I18n.T(s.lang(c), "correction.title", name), correctionPage{
		Name: name, Slug: slug, Kinds: directory.CorrectionKinds, Form: f,
		Token: s.Forms.Issue(purposeCorrection + slug), Max: corrections.MaxText})
}

// sendCorrection takes the correction form: a refused one comes back with what
// was typed and each problem next to its field; an accepted one goes to the
// sender's private status page.
func (s *Server) sendCorrection(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil || len(form) > maxCorrectionValues {
		return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
	}
	ctx := c.Request().Context()
	l, err := s.Directory.PublicListing(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	lang := s.lang(c)
	values := map[string]string{"kind": form.Get("kind"), "text": form.Get("text")}
	if err := s.checkForm(form, purposeCorrection+l.Slug); err != nil {
		return s.renderCorrection(c, http.StatusUnprocessableEntity, l.Name, l.Slug,
			formState{Values: values, Problems: []problem{{Message: s.View.I18n.T(lang, formTokenKey(err))}}})
	}
	token, err := s.Corrections.Send(ctx, l.Slug, parseCorrection(form))
	if err != nil {
		f, err := s.refused(lang, err, values, "kind", "text")
		if err != nil {
			return err
		}
		return s.renderCorrection(c, http.StatusUnprocessableEntity, l.Name, l.Slug, f)
	}
	return c.Redirect(http.StatusSeeOther, "/corrections/"+token+"?ui="+lang+"&sent=1")
}

// correctionStatusPage is what web/templates/correction_status.html receives.
type correctionStatusPage struct {
	C        directory.Correction
	Received string
	Decided  string
	Sent     bool
	Link     string
	Public   bool
}

// correctionStatus is the sender's private page: received, applied, or
// declined with the moderator's reason. A forged or old link gets a 404.
func (s *Server) correctionStatus(c echo.Context) error {
	ctx := c.Request().Context()
	token := c.Param("token")
	corr, err := s.Corrections.Status(ctx, token)
	lang := s.lang(c)
	if errors.Is(err, directory.ErrNotFound) {
		return &pageError{status: http.StatusNotFound, titleKey: "correction.notfound.title",
			detailKey: "correction.notfound.detail", back: "/?ui=" + lang, backKey: "error.back"}
	}
	if err != nil {
		return err
	}
	words := s.View.Words(lang)
	p := correctionStatusPage{C: corr, Received: words.ShortDate(corr.CreatedAt), Sent: c.QueryParam("sent") == "1",
		Link: s.Config.BaseURL + "/corrections/" + token + "?ui=" + lang}
	if corr.DecidedAt != nil {
		p.Decided = words.ShortDate(*corr.DecidedAt)
	}
	if _, err := s.Directory.PublicListing(ctx, corr.ListingID); err == nil {
		p.Public = true
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, http.StatusOK, "correction_status", s.View.I18n.T(lang, "correction.status.title"), p)
}

// manageCorrectionPage is what web/templates/manage_correction.html receives.
type manageCorrectionPage struct {
	C         directory.Correction
	Token     string
	FormToken string
	Received  string
}

// manageCorrection shows an organizer a correction of their listing, from the
// link in its email, with a one-click "still accurate" (a button: a mail
// scanner that opens the link changes nothing) and a way to fix the listing.
func (s *Server) manageCorrection(c echo.Context) error {
	token := c.Param("token")
	corr, err := s.Corrections.ForOrganizer(c.Request().Context(), token, c.Param("id"))
	if err != nil {
		return s.manageError(c, err)
	}
	lang := s.lang(c)
	c.Response().Header().Set("Cache-Control", "no-store")
	return s.render(c, http.StatusOK, "manage_correction", s.View.I18n.T(lang, "manage.correction.title"),
		manageCorrectionPage{C: corr, Token: token, FormToken: s.Forms.Issue(purposeManage),
			Received: s.View.Words(lang).ShortDate(corr.CreatedAt)})
}

// confirmFromCorrection is the organizer's "still accurate" in answer to a
// correction.
func (s *Server) confirmFromCorrection(c echo.Context) error {
	token, id := c.Param("token"), c.Param("id")
	if err := s.Forms.CheckClicked(c.FormValue("token"), purposeManage); err != nil {
		return s.manageFormExpired(c, token)
	}
	lang := s.lang(c)
	err := s.Corrections.ConfirmAccurate(c.Request().Context(), token, id)
	switch {
	case errors.Is(err, directory.ErrConflict):
		// Answered already (by a moderator, or in another tab): the page says how.
		return c.Redirect(http.StatusSeeOther, "/manage/"+token+"/corrections/"+id+"?ui="+lang)
	case err != nil:
		return s.manageError(c, err)
	}
	return c.Redirect(http.StatusSeeOther, "/manage/"+token+"?ui="+lang+"&done=corrected")
}

// reviewCorrectionPage is what web/templates/review_correction.html receives.
type reviewCorrectionPage struct {
	Staff    staffView
	C        directory.Correction
	Received string
	Decided  string
	Notice   string
	Form     formState
}

// reviewCorrection shows a moderator one correction with what they can do.
func (s *Server) reviewCorrection(c echo.Context) error {
	return s.renderReviewCorrection(c, http.StatusOK, "", formState{})
}

func (s *Server) renderReviewCorrection(c echo.Context, status int, notice string, f formState) error {
	corr, err := s.Corrections.Correction(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	lang := s.lang(c)
	words := s.View.Words(lang)
	p := reviewCorrectionPage{Staff: staff(signedIn(c)), C: corr, Received: words.ShortDate(corr.CreatedAt),
		Notice: notice, Form: f}
	if corr.DecidedAt != nil {
		p.Decided = words.ShortDate(*corr.DecidedAt)
	}
	return s.render(c, status, "review_correction", s.View.I18n.T(lang, "moderate.correction.title", corr.ListingName), p)
}

// applyCorrection marks a correction applied.
func (s *Server) applyCorrection(c echo.Context) error {
	err := s.Corrections.Apply(c.Request().Context(), signedIn(c), c.Param("id"))
	if errors.Is(err, directory.ErrConflict) {
		return s.renderReviewCorrection(c, http.StatusConflict, "decided", formState{})
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/moderate?ui="+s.lang(c)+"&done=correction_applied")
}

// declineCorrection refuses a correction with a reason its sender reads.
func (s *Server) declineCorrection(c echo.Context) error {
	reason := c.FormValue("reason")
	err := s.Corrections.Decline(c.Request().Context(), signedIn(c), c.Param("id"), reason)
	switch {
	case errors.Is(err, directory.ErrConflict):
		return s.renderReviewCorrection(c, http.StatusConflict, "decided", formState{})
	case err != nil:
		f, err := s.refused(s.lang(c), err, map[string]string{"reason": reason}, "reason")
		if err != nil {
			return err
		}
		return s.renderReviewCorrection(c, http.StatusBadRequest, "", f)
	}
	return c.Redirect(http.StatusSeeOther, "/moderate?ui="+s.lang(c)+"&done=correction_declined")
}
