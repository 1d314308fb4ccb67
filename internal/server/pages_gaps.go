package server

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/gaps"
)

// gapsPage is what web/templates/gaps.html receives.
type gapsPage struct {
	// Staff is the moderator or admin reading the report; nil for everyone else.
	Staff    *staffView
	Problems []problem
	Errors   map[string]string
	Weeks    []option
	Places   []option
	From, To string
	Minimum  int64
	Rows     []gapsRow
	Plot     *plotView
	CSV      string
}

// gapsRow is one combination of needs in one place, in words.
type gapsRow struct {
	Needs                      []string
	Place                      string
	Unmet, None, Few, Searches int64
	Today                      *gapsToday
}

// gapsToday is what the directory offers the combination now, for moderators.
type gapsToday struct {
	FullMatches int
	Close       string
	Lacked      string
	LackedBy    int
}

// optionalStaff reads the session of someone who sends a session cookie, for
// a public page that shows moderators more. No cookie, no lookup: anonymous
// visitors neither wait for Redis nor get a cookie. A session that cannot be
// read right now gets the public page.
func (s *Server) optionalStaff(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		addVary(h, "Cookie")
		u, err := s.currentUser(c)
		if err != nil {
			s.Log.Debug("session not read; public view", "error", err.Error())
			return next(c)
		}
		if u != nil {
			h.Set("Cache-Control", "private, no-store")
			c.Set(userKey, *u)
		}
		return next(c)
	}
}

// gapsStaff is the moderator or admin asking, or nil.
func gapsStaff(c echo.Context) *staffView {
	u, ok := c.Get(userKey).(directory.User)
	if !ok || !u.Role.Grants(directory.Moderator) {
		return nil
	}
	v := staff(u)
	return &v
}

// gapsReport reads the report's options and builds it; moderators and admins
// get every count and what comes close today, everyone else cells of at least
// gaps.PublicMinimum searches.
func (s *Server) gapsReport(c echo.Context) (gaps.Report, *staffView, error) {
	o, err := gaps.ParseOptions(c.Request().URL.RawQuery, s.Vocabulary)
	if err != nil {
		return gaps.Report{}, nil, err
	}
	who := gapsStaff(c)
	o.Staff = who != nil
	r, err := s.Gaps.Build(c.Request().Context(), o)
	return r, who, err
}

// gapsHome shows the unmet-needs report.
func (s *Server) gapsHome(c echo.Context) error {
	lang := s.lang(c)
	t := s.View.I18n
	r, who, err := s.gapsReport(c)
	status := http.StatusOK
	p := gapsPage{Staff: who, Errors: map[string]string{}}
	if problems, ferr := fieldErrors(err); ferr != nil {
		return ferr
	} else if len(problems) > 0 {
		status = http.StatusBadRequest
		for _, f := range problems {
			p.Errors[f.Field] = t.T(lang, f.Key)
			pr := problem{Message: t.T(lang, f.Key)}
			if f.Field == "weeks" || f.Field == "place" {
				pr.Href = "#f-" + f.Field
			}
			p.Problems = append(p.Problems, pr)
		}
		o := gaps.Options{Weeks: gaps.WeekChoices[0], Staff: who != nil}
		if r, err = s.Gaps.Build(c.Request().Context(), o); err != nil {
			return err
		}
	}
	needs := map[string]string{}
	for _, cat := range s.Directory.Taxonomy(lang) {
		for _, tag := range cat.Tags {
			needs[tag.Slug] = tag.Label
		}
	}
	label := func(slugs []string) []string {
		out := make([]string, len(slugs))
		for i, n := range slugs {
			out[i] = needs[n]
			if out[i] == "" {
				out[i] = n // a tag since retired keeps its slug
			}
		}
		return out
	}
	for _, w := range gaps.WeekChoices {
		p.Weeks = append(p.Weeks, option{Value: strconv.Itoa(w), Label: t.N(lang, "gaps.weeks", w), Checked: w == r.Weeks})
	}
	p.Places = append(p.Places, option{Value: "", Label: t.T(lang, "gaps.place.all"), Checked: r.Place == ""})
	for _, pl := range r.Places {
		p.Places = append(p.Places, option{Value: pl, Label: s.placeLabel(lang, pl), Checked: pl == r.Place})
	}
	words := s.View.Words(lang)
	p.From, p.To = words.ShortDate(r.Mondays[0]), words.ShortDate(r.Mondays[len(r.Mondays)-1].AddDate(0, 0, 6))
	p.Minimum = r.Minimum
	for _, row := range r.Rows {
		gr := gapsRow{Needs: label(row.Needs), Place: s.placeLabel(lang, row.Place), Unmet: row.Unmet(),
			None: row.None, Few: row.Few, Searches: row.Searches()}
		if td := row.Today; td != nil {
			gr.Today = &gapsToday{FullMatches: td.FullMatches, Close: strconv.Itoa(td.Close), LackedBy: td.LackedBy}
			if td.CloseAtLeast {
				gr.Today.Close = t.T(lang, "gaps.at_least", td.Close)
			}
			if td.MostLacked != "" {
				gr.Today.Lacked = label([]string{td.MostLacked})[0]
			}
		}
		p.Rows = append(p.Rows, gr)
	}
	p.Plot = s.plot(lang, r, label)
	p.CSV = "/gaps.csv?" + gapsQuery(r, lang)
	return s.render(c, status, "gaps", t.T(lang, "gaps.title"), p)
}

// gapsQuery is the report's own options as a query string.
func gapsQuery(r gaps.Report, lang string) string {
	q := "weeks=" + strconv.Itoa(r.Weeks)
	if r.Place != "" {
		q += "&place=" + url.QueryEscape(r.Place)
	}
	return q + "&ui=" + lang
}

func (s *Server) placeLabel(lang, place string) string {
	switch place {
	case directory.PlaceAnywhere:
		return s.View.I18n.T(lang, "gaps.place.anywhere")
	case directory.PlaceOnline:
		return s.View.I18n.T(lang, "search.place.online")
	case directory.PlaceNear:
		return s.View.I18n.T(lang, "gaps.place.near")
	}
	return place
}

// gapsCSV exports the counters the report is made of, one cell a row, under
// the same rule as the page: the public gets cells of gaps.PublicMinimum or
// more only.
func (s *Server) gapsCSV(c echo.Context) error {
	r, _, err := s.gapsReport(c)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	h.Set(echo.HeaderContentDisposition, `attachment; filename="unmet-needs.csv"`)
	c.Response().WriteHeader(http.StatusOK)
	w := csv.NewWriter(c.Response())
	_ = w.Write([]string{"week", "week_start", "needs", "place", "outcome", "searches"})
	for _, cell := range r.Cells {
		_ = w.Write([]string{gaps.WeekLabel(cell.Week), cell.Week.Format("2006-01-02"),
			strings.Join(cell.Needs, " "), inertCell(cell.Place), string(cell.Outcome), strconv.FormatInt(cell.Searches, 10)})
	}
	w.Flush()
	return w.Error()
}

// inertCell keeps a spreadsheet from reading a value as a formula.
func inertCell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
