package server

import (
	"errors"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/formtoken"
	"github.com/belong-directory/belong/internal/view"
)

// submitPage is what web/templates/submit.html receives: the submit form, or the
// edit form of a manage link.
type submitPage struct {
	Form       url.Values
	Errors     map[string]string
	Problems   []problem
	Categories []directory.Category
	Languages  []directory.Language
	Rows       []int
	Token      string
	Action     string
	Edit       bool
	Version    int
}

// Purposes of the signed form tokens.
const (
	purposeSubmit = "submit"
	purposeManage = "manage"
)

// honeypot is a field people never see or fill in; a form that fills it is a bot's.
const honeypot = "homepage"

func (s *Server) submitForm(c echo.Context) error {
	return s.renderSubmit(c, http.StatusOK, submitPage{Form: url.Values{}, Action: "/submit"})
}

// submit takes the submit form: a refused form comes back with every input kept
// and each problem next to its field; an accepted one redirects to a page that
// says to look for the email.
func (s *Server) submit(c echo.Context) error {
	form, err := c.FormParams()
	if err != nil || len(form) > maxFormValues {
		return echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
	}
	lang := s.lang(c)
	p := submitPage{Form: form, Action: "/submit"}
	if err := s.checkForm(form, purposeSubmit); err != nil {
		return s.refuse(c, p, err)
	}
	sub := parseSubmission(form, lang)
	err = s.withinSubmitLimit(c, func() error { return s.Submissions.Check(sub) },
		func() error { return s.Submissions.Submit(c.Request().Context(), sub) })
	if err != nil {
		return s.refuse(c, p, err)
	}
	return c.Redirect(http.StatusSeeOther, "/submit/sent?ui="+lang)
}

func (s *Server) submitSent(c echo.Context) error {
	lang := s.lang(c)
	return s.render(c, http.StatusOK, "notice", s.View.I18n.T(lang, "submit.sent.title"), notice{
		Title: s.View.I18n.T(lang, "submit.sent.title"), Body: s.View.I18n.T(lang, "submit.sent.body"),
		Back: "/?ui=" + lang, BackLabel: s.View.I18n.T(lang, "error.back")})
}

// notice is a short page after an action: what happened and where to go next.
type notice struct {
	Title, Body, Back, BackLabel string
}

// checkForm refuses a form that did not come from a page of ours just now, or
// that filled in the field people never see.
func (s *Server) checkForm(form url.Values, purpose string) error {
	return checkedBy(s.Forms.Check, form, purpose)
}

// checkClickedForm is checkForm for a form a person sends with a click or two,
// which may come back as soon as it was served (formtoken.CheckClicked).
func (s *Server) checkClickedForm(form url.Values, purpose string) error {
	return checkedBy(s.Forms.CheckClicked, form, purpose)
}

// formTokenKey is the message for a form whose token was refused: sent too
// soon after it was served, or else open too long (or not ours).
func formTokenKey(err error) string {
	if errors.Is(err, formtoken.ErrTooFast) {
		return "form.too_fast"
	}
	return "form.expired"
}

func checkedBy(check func(token, purpose string) error, form url.Values, purpose string) error {
	if form.Get(honeypot) != "" {
		return formtoken.ErrForged
	}
	return check(form.Get("token"), purpose)
}

// refuse shows the form again with its problems: a validation error next to
// each field, a token problem as one calm message at the top.
func (s *Server) refuse(c echo.Context, p submitPage, err error) error {
	lang := s.lang(c)
	t := s.View.I18n
	p.Errors = map[string]string{}
	var ve *directory.ValidationError
	var pe *pageError
	switch {
	case errors.As(err, &ve):
		fields := slices.Clone(ve.Fields)
		slices.SortStableFunc(fields, func(a, b directory.FieldError) int { return formRank(a.Field) - formRank(b.Field) })
		for _, f := range fields {
			p.Errors[f.Field] = t.T(lang, f.Key)
			p.Problems = append(p.Problems, problem{Message: fieldLabel(t.T, lang, f.Field) + ": " + p.Errors[f.Field],
				Href: "#" + view.FieldID(f.Field)})
		}
	case errors.Is(err, formtoken.ErrTooFast):
		p.Problems = []problem{{Message: t.T(lang, "form.too_fast")}}
	case errors.Is(err, formtoken.ErrExpired), errors.Is(err, formtoken.ErrForged):
		p.Problems = []problem{{Message: t.T(lang, "form.expired")}}
	case errors.Is(err, directory.ErrConflict):
		p.Problems = []problem{{Message: t.T(lang, "manage.conflict")}}
	case errors.As(err, &pe) && pe.status == http.StatusTooManyRequests:
		p.Problems = []problem{{Message: pe.detail(t, lang)}}
	default:
		return err
	}
	status := http.StatusUnprocessableEntity
	switch {
	case errors.Is(err, directory.ErrConflict):
		status = http.StatusConflict
	case pe != nil:
		status = pe.status
	}
	return s.renderSubmit(c, status, p)
}

// submitFormOrder is the order of the submit form's fields and groups, top to
// bottom: the summary of problems follows it.
var submitFormOrder = []string{"name", "summary", "description", "what_to_expect", "organization", "join", "place.",
	"online_url", "phone_meeting", "how_to_join", "schedules", "by_arrangement", "tags.", "languages", "cost_note",
	"public_email", "public_phone", "contact_email"}

// formRank is where field comes in the form; anything unknown comes last.
func formRank(field string) int {
	for i, prefix := range submitFormOrder {
		if strings.HasPrefix(field, prefix) {
			return i
		}
	}
	return len(submitFormOrder)
}

// fieldLabel is the words a person sees for a field in the error summary.
func fieldLabel(t func(string, string, ...any) string, lang, field string) string {
	key := "submit.field." + view.LabelKey(field)
	if label := t(lang, key); label != key {
		return label
	}
	// Schedule rows and tags are named by their group.
	for _, prefix := range []string{"schedules", "tags", "languages", "place"} {
		if len(field) > len(prefix) && field[:len(prefix)] == prefix {
			return t(lang, "submit.field."+prefix)
		}
	}
	return field
}

func (s *Server) renderSubmit(c echo.Context, status int, p submitPage) error {
	lang := s.lang(c)
	p.Categories = s.Directory.Taxonomy(lang)
	p.Languages = s.Directory.Languages(lang)
	sort.SliceStable(p.Languages, func(i, j int) bool {
		return s.View.I18n.Supported(p.Languages[i].Code) && !s.View.I18n.Supported(p.Languages[j].Code)
	})
	purpose := purposeSubmit
	if p.Edit {
		purpose = purposeManage
	}
	p.Token = s.Forms.Issue(purpose)
	for i := range formRows(p.Form) {
		p.Rows = append(p.Rows, i)
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	title := s.View.I18n.T(lang, "submit.title")
	if p.Edit {
		title = s.View.I18n.T(lang, "manage.edit.title")
	}
	return s.render(c, status, "submit", title, p)
}

// versionOf reads the version an edit form was served for.
func versionOf(form url.Values) int {
	v, _ := strconv.Atoi(form.Get("version"))
	return v
}
