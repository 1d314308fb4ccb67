package interop

import (
	"context"
	"strings"
	"time"

	"github.com/belong-directory/belong/internal/directory"
)

// Directory is what interop needs of the directory service: public views only.
type Directory interface {
	PublishedListings(ctx context.Context) ([]directory.PublicListing, error)
	PublicListing(ctx context.Context, idOrSlug string) (directory.PublicListing, error)
	Taxonomy(ui string) []directory.Category
	Languages(ui string) []directory.Language
}

// Service builds the Meeting Guide feed and the HSDS documents.
type Service struct {
	dir     Directory
	baseURL string
	now     func() time.Time
}

// New returns the interop service. baseURL is the public address of this
// directory, for links back to each group's page.
func New(dir Directory, baseURL string, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{dir: dir, baseURL: strings.TrimSuffix(baseURL, "/"), now: now}
}

// exportLang is the language of the taxonomy words in exports: the feeds have
// one label per term, and English is the language every consumer reads.
const exportLang = "en"

// groupURL is the group's page on this directory.
func (s *Service) groupURL(slug string) string { return s.baseURL + "/groups/" + slug }

// tagsBySlug indexes the taxonomy's tags, in exportLang.
func (s *Service) tagsBySlug() map[string]directory.Tag {
	out := map[string]directory.Tag{}
	for _, c := range s.dir.Taxonomy(exportLang) {
		for _, t := range c.Tags {
			out[t.Slug] = t
		}
	}
	return out
}
