package server

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/interop"
)

// importPage is the spreadsheet upload: the form, and after a check, the
// report of every problem or of what an import would do.
type importPage struct {
	Staff staffView
	// Checked says a file was checked, so the report shows.
	Checked bool
	// FileError is what is wrong with the upload itself (no file chosen).
	FileError string
	Problems  []importProblem
	Listings  []interop.Planned
	Added     int
	Updated   int
	// CSV is the checked file's text, sent again by the import button, so
	// applying needs no state kept on the server between the two steps.
	CSV        string
	DoneAdded  string
	DoneUpdate string
}

// importProblem is a problem as the report shows it, in the page's language.
type importProblem struct {
	Row     int
	Column  string
	Value   string
	Message string
}

// importForm shows the upload form, or the confirmation after an import.
func (s *Server) importForm(c echo.Context) error {
	p := importPage{Staff: staff(signedIn(c))}
	if done(c, "imported") != "" {
		p.DoneAdded, p.DoneUpdate = digits(c.QueryParam("added")), digits(c.QueryParam("updated"))
	}
	return s.renderImport(c, http.StatusOK, p)
}

func digits(s string) string {
	if _, err := strconv.Atoi(s); err != nil {
		return "0"
	}
	return s
}

func (s *Server) renderImport(c echo.Context, status int, p importPage) error {
	return s.render(c, status, "admin_import", s.View.I18n.T(s.lang(c), "import.title"), p)
}

// importCSV checks an uploaded spreadsheet and shows the report; with
// apply=yes and a file without problems it imports every row in one
// transaction and redirects to the confirmation.
func (s *Server) importCSV(c echo.Context) error {
	ctx, lang := c.Request().Context(), s.lang(c)
	page := importPage{Staff: staff(signedIn(c))}
	text, ok, err := uploadedCSV(c)
	if err != nil {
		return err
	}
	if !ok {
		page.FileError = s.View.I18n.T(lang, "import.file.missing")
		return s.renderImport(c, http.StatusBadRequest, page)
	}
	plan, err := s.Importer.CheckCSV(ctx, strings.NewReader(text))
	if err != nil {
		return err
	}
	if c.FormValue("apply") == "yes" && plan.OK() {
		if _, err := s.Importer.Apply(ctx, plan, signedIn(c).Email); err != nil {
			return err
		}
		added, updated := counts(plan)
		return c.Redirect(http.StatusSeeOther, "/admin/import?ui="+lang+"&done=imported&added="+
			strconv.Itoa(added)+"&updated="+strconv.Itoa(updated))
	}
	page.Checked, page.Listings, page.CSV = true, plan.Listings, text
	page.Added, page.Updated = counts(plan)
	for _, pr := range plan.Problems {
		page.Problems = append(page.Problems, importProblem{Row: pr.Row, Column: pr.Column, Value: pr.Value,
			Message: s.problemMessage(lang, pr)})
	}
	status := http.StatusOK
	if len(plan.Problems) > 0 {
		status = http.StatusUnprocessableEntity
	}
	return s.renderImport(c, status, page)
}

func counts(p interop.Plan) (added, updated int) {
	for _, l := range p.Listings {
		if l.Update {
			updated++
		} else {
			added++
		}
	}
	return added, updated
}

// problemMessage is a problem in the page's language.
func (s *Server) problemMessage(lang string, p interop.Problem) string {
	if p.Arg != "" {
		return s.View.I18n.T(lang, p.Key, p.Arg)
	}
	return s.View.I18n.T(lang, p.Key)
}

// uploadedCSV is the file chosen in the form, or the text of a file checked
// before (the import button sends it again); false when there is neither.
func uploadedCSV(c echo.Context) (string, bool, error) {
	if fh, err := c.FormFile("file"); err == nil {
		f, err := fh.Open()
		if err != nil {
			return "", false, err
		}
		defer f.Close()
		var buf bytes.Buffer
		if _, err := io.Copy(&buf, io.LimitReader(f, interop.MaxCSVBytes+1)); err != nil {
			return "", false, err
		}
		return buf.String(), buf.Len() > 0, nil
	} else if !errors.Is(err, http.ErrMissingFile) && !errors.Is(err, http.ErrNotMultipart) {
		return "", false, &pageError{status: http.StatusBadRequest, titleKey: "import.title",
			detailKey: "import.file.missing", back: "/admin/import", backKey: "import.again"}
	}
	text := c.FormValue("csv")
	return text, strings.TrimSpace(text) != "", nil
}

// importTemplate is the spreadsheet template with its example row.
func (s *Server) importTemplate(c echo.Context) error {
	var buf bytes.Buffer
	if err := s.Importer.CSVTemplate(&buf); err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderContentDisposition, `attachment; filename="belong-listings.csv"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", buf.Bytes())
}

// importColumnsPage explains each column of the spreadsheet.
type importColumnsPage struct {
	Staff   staffView
	Columns []interop.CSVColumn
	Tags    []directory.Category
}

// importColumns is the column guide, in the page's language.
func (s *Server) importColumns(c echo.Context) error {
	lang := s.lang(c)
	return s.render(c, http.StatusOK, "admin_import_columns", s.View.I18n.T(lang, "import.guide.title"),
		importColumnsPage{Staff: staff(signedIn(c)), Columns: interop.CSVColumns(), Tags: s.Importer.TagColumns(lang)})
}
