package interop

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/store"
)

// Importer reads listings from outside files (a spreadsheet's CSV, an HSDS
// dataset), checks every one of them the way a form is checked, and saves them
// all in one transaction or none.
type Importer struct {
	dir Directory
	st  *store.Store
	now func() time.Time
}

// NewImporter returns the importer; dir gives the tags and languages cells are
// read against, st is where listings are saved.
func NewImporter(dir Directory, st *store.Store, now func() time.Time) *Importer {
	if now == nil {
		now = time.Now
	}
	return &Importer{dir: dir, st: st, now: now}
}

// Problem is one thing wrong with an imported file, where it is (a row and a
// column of a CSV file, or an HSDS record) and what, as a translation key (with
// at most one argument) and an English message for the command line.
type Problem struct {
	// Row is the line of the CSV file (the header is row 1); 0 for the file
	// as a whole or for HSDS records.
	Row int `json:"row,omitempty"`
	// Item names an HSDS record: its kind and id.
	Item   string `json:"item,omitempty"`
	Column string `json:"column,omitempty"`
	// Value is what the cell holds, shortened, so the person can find it.
	Value   string `json:"value,omitempty"`
	Key     string `json:"key"`
	Arg     string `json:"arg,omitempty"`
	Message string `json:"message"`
}

// String is the problem in English, for the command line.
func (p Problem) String() string {
	var where []string
	if p.Row > 0 {
		where = append(where, fmt.Sprintf("row %d", p.Row))
	}
	if p.Item != "" {
		where = append(where, p.Item)
	}
	if p.Column != "" {
		where = append(where, "column "+p.Column)
	}
	s := strings.Join(where, ", ")
	if s != "" {
		s += ": "
	}
	s += p.Message
	if p.Value != "" {
		s += fmt.Sprintf(" (%q)", p.Value)
	}
	return s
}

// Planned is one listing an import would save.
type Planned struct {
	Row     int               `json:"row,omitempty"`
	Item    string            `json:"item,omitempty"`
	Listing directory.Listing `json:"-"`
	Slug    string            `json:"slug"`
	Name    string            `json:"name"`
	// Update says a listing with this slug exists and would be replaced.
	Update bool `json:"update"`
}

// Plan is what an import would do: the listings it would save and every
// problem that stops it. Notes are what it would leave out without stopping
// (an HSDS field belong does not keep).
type Plan struct {
	Listings []Planned `json:"listings"`
	Problems []Problem `json:"problems"`
	Notes    []Problem `json:"notes,omitempty"`
}

// OK reports whether the plan can be applied.
func (p Plan) OK() bool { return len(p.Problems) == 0 && len(p.Listings) > 0 }

// ErrNothingToImport is applying a plan with problems or without listings.
var ErrNothingToImport = errors.New("nothing to import: the file has problems or no listings")

// Apply saves every listing of the plan in one transaction, through the store's
// listing writes (outbox and audit rows included), or none of them. It returns
// the ids saved, in the plan's order.
func (im *Importer) Apply(ctx context.Context, p Plan, actor string) ([]string, error) {
	if !p.OK() {
		return nil, ErrNothingToImport
	}
	ids := make([]string, 0, len(p.Listings))
	err := im.st.InTx(ctx, func(tx *store.Tx) error {
		for _, pl := range p.Listings {
			l := pl.Listing
			id, err := tx.ImportListing(ctx, &l, actor)
			if err != nil {
				where := pl.Item
				if pl.Row > 0 {
					where = fmt.Sprintf("row %d", pl.Row)
				}
				return fmt.Errorf("import %s (%s): %w", where, l.Slug, err)
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

// markUpdates says which planned listings replace one that exists, and adds a
// problem for one whose id belongs to a listing with another slug.
func (im *Importer) markUpdates(ctx context.Context, p *Plan) error {
	for i := range p.Listings {
		pl := &p.Listings[i]
		existing, err := im.st.Listing(ctx, pl.Listing.Slug)
		switch {
		case err == nil:
			pl.Update = true
			if pl.Listing.ID != "" && existing.ID != pl.Listing.ID {
				p.Problems = append(p.Problems, Problem{Row: pl.Row, Item: pl.Item, Column: "slug",
					Value: pl.Listing.Slug, Key: "import.problem.slug_taken",
					Message: "another listing here already has this address (slug)"})
			}
		case errors.Is(err, directory.ErrNotFound):
		default:
			return err
		}
		if pl.Listing.ID == "" || pl.Update {
			continue
		}
		byID, err := im.st.Listing(ctx, pl.Listing.ID)
		switch {
		case err == nil:
			p.Problems = append(p.Problems, Problem{Row: pl.Row, Item: pl.Item, Column: "slug",
				Value: pl.Listing.Slug, Key: "import.problem.id_moved", Arg: byID.Slug,
				Message: "this record is already here under the address " + byID.Slug})
		case errors.Is(err, directory.ErrNotFound):
		default:
			return err
		}
	}
	return nil
}

// organizationProblems are what the listing's validation does not look at but
// the database refuses: an organization's web address and email. The field
// names are the organization's own (website, email).
func organizationProblems(o directory.Organization) []directory.FieldError {
	var out []directory.FieldError
	if o.Website != "" {
		if u, err := url.Parse(o.Website); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			out = append(out, directory.FieldError{Field: "website", Key: directory.KeyFormat,
				Message: "must be a web address starting with https://"})
		}
	}
	if o.Email != "" && !emailShape.MatchString(o.Email) {
		out = append(out, directory.FieldError{Field: "email", Key: directory.KeyFormat,
			Message: "must be an email address such as name@example.org"})
	}
	return out
}

var emailShape = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)

// maxInterval is the most weeks or months apart a schedule's meetings may be.
const maxInterval = 12

// tagsBySlug and languageCodes are the vocabulary cells are read against.
func (im *Importer) tagsBySlug() map[string]directory.Tag {
	out := map[string]directory.Tag{}
	for _, c := range im.dir.Taxonomy(exportLang) {
		for _, t := range c.Tags {
			out[t.Slug] = t
		}
	}
	return out
}
