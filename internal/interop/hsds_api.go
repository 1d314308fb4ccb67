package interop

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/interop/hsds"
)

// Where the HSDS API's description and belong's profile of HSDS are published.
const (
	openAPIURL = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/openapi.json"
	profileURL = "https://github.com/openreferral/specification/tree/3.0"
)

// Info answers GET /hsds/.
func (s *Service) Info() hsds.Info {
	return hsds.Info{Version: hsds.Version, Profile: profileURL, OpenAPIURL: openAPIURL}
}

// Services is one page of services matching q: one-to-one fields, nested
// records too with q.Full, or only what changed when with q.Minimal. The page
// holds hsds.Service values, or hsds.ServiceMinimal ones with q.Minimal.
func (s *Service) Services(ctx context.Context, q Query) (any, error) {
	all, err := s.services(ctx)
	if err != nil {
		return nil, err
	}
	v := s.vocab()
	var found []hsds.Service
	for _, sv := range all {
		if matchesService(sv, q, v.terms) {
			found = append(found, sv)
		}
	}
	switch {
	case q.Minimal:
		return paginate(mapSlice(found, minimal), q), nil
	case q.Full:
		return paginate(found, q), nil
	}
	return paginate(mapSlice(found, func(sv hsds.Service) hsds.Service { return oneToOne(sv.ServiceFields) }), q), nil
}

// ServiceByID is one fully nested service: ErrNotFound unless it is published.
func (s *Service) ServiceByID(ctx context.Context, id string) (hsds.Service, error) {
	if !isUUID(id) {
		return hsds.Service{}, fmt.Errorf("service %q: %w", id, directory.ErrNotFound)
	}
	l, err := s.dir.PublicListing(ctx, id)
	if err != nil {
		return hsds.Service{}, err
	}
	return s.hsdsService(l, s.vocab(), s.now()), nil
}

// Organizations is one page of the organizations that run published services:
// their own fields, with their services' one-to-one fields when q.Full, or their
// services nested when q.FullService.
func (s *Service) Organizations(ctx context.Context, q Query) (hsds.Page[hsds.Organization], error) {
	orgs, err := s.organizations(ctx, q.Full || q.FullService, q.FullService)
	if err != nil {
		return hsds.Page[hsds.Organization]{}, err
	}
	var found []hsds.Organization
	for _, o := range orgs {
		if matchesText(q.Search, o.Name, o.Description) {
			found = append(found, o)
		}
	}
	return paginate(found, q), nil
}

// OrganizationByID is one organization with its services (nested when
// fullService): ErrNotFound unless it runs a published service.
func (s *Service) OrganizationByID(ctx context.Context, id string, fullService bool) (hsds.Organization, error) {
	if isUUID(id) {
		orgs, err := s.organizations(ctx, true, fullService)
		if err != nil {
			return hsds.Organization{}, err
		}
		for _, o := range orgs {
			if o.ID == id {
				return o, nil
			}
		}
	}
	return hsds.Organization{}, fmt.Errorf("organization %q: %w", id, directory.ErrNotFound)
}

// Taxonomies is one page of the vocabularies terms come from.
func (s *Service) Taxonomies(q Query) hsds.Page[hsds.Taxonomy] {
	var found []hsds.Taxonomy
	for _, t := range taxonomies() {
		if matchesText(q.Search, t.Name, t.Description) {
			found = append(found, t)
		}
	}
	return paginate(found, q)
}

// TaxonomyByID is one taxonomy.
func (s *Service) TaxonomyByID(id string) (hsds.Taxonomy, error) {
	for _, t := range taxonomies() {
		if t.ID == id {
			return t, nil
		}
	}
	return hsds.Taxonomy{}, fmt.Errorf("taxonomy %q: %w", id, directory.ErrNotFound)
}

// TaxonomyTerms is one page of terms, of one taxonomy or below one parent if
// asked, only top-level ones with q.TopOnly.
func (s *Service) TaxonomyTerms(q Query) hsds.Page[hsds.TaxonomyTerm] {
	var found []hsds.TaxonomyTerm
	for _, t := range s.vocab().terms.all {
		switch {
		case q.TaxonomyID != "" && t.TaxonomyID != q.TaxonomyID,
			q.ParentID != "" && t.ParentID != q.ParentID,
			q.TopOnly && t.ParentID != "",
			!matchesText(q.Search, t.Code, t.Name, t.Description):
			continue
		}
		found = append(found, t)
	}
	return paginate(found, q)
}

// TaxonomyTermByID is one term.
func (s *Service) TaxonomyTermByID(id string) (hsds.TaxonomyTerm, error) {
	if t, ok := s.vocab().terms.byID[id]; ok {
		return t, nil
	}
	return hsds.TaxonomyTerm{}, fmt.Errorf("taxonomy term %q: %w", id, directory.ErrNotFound)
}

// services are every published listing as a fully nested service.
func (s *Service) services(ctx context.Context) ([]hsds.Service, error) {
	listings, err := s.dir.PublishedListings(ctx)
	if err != nil {
		return nil, err
	}
	v, now := s.vocab(), s.now()
	return mapSlice(listings, func(l directory.PublicListing) hsds.Service { return s.hsdsService(l, v, now) }), nil
}

// organizations are the organizations of published listings, by name, each
// with its services when withServices (nested when nested).
func (s *Service) organizations(ctx context.Context, withServices, nested bool) ([]hsds.Organization, error) {
	all, err := s.services(ctx)
	if err != nil {
		return nil, err
	}
	index := map[string]int{}
	var out []hsds.Organization
	for _, sv := range all {
		i, ok := index[sv.OrganizationID]
		if !ok {
			i = len(out)
			index[sv.OrganizationID] = i
			out = append(out, *sv.Organization)
		}
		if !withServices {
			continue
		}
		if !nested {
			sv = oneToOne(sv.ServiceFields)
		} else {
			sv.Organization = nil // it is the one around it
		}
		out[i].Services = append(out[i].Services, sv)
	}
	slices.SortStableFunc(out, func(a, b hsds.Organization) int {
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})
	return out, nil
}

// matchesService applies a services query's filters.
func matchesService(sv hsds.Service, q Query, t *terms) bool {
	if q.OrganizationID != "" && sv.OrganizationID != q.OrganizationID {
		return false
	}
	if !q.ModifiedAfter.IsZero() && sv.XUpdatedAt < q.ModifiedAfter.UTC().Format("2006-01-02T15:04:05Z") {
		return false
	}
	if q.TaxonomyTermID != "" || q.TaxonomyID != "" {
		if !hasTerm(sv, q, t) {
			return false
		}
	}
	var places []string
	for _, sal := range sv.ServiceAtLocations {
		for _, a := range sal.Location.Addresses {
			places = append(places, a.City, a.Region)
		}
	}
	return matchesText(q.Search, append(places, sv.Name, sv.Description, sv.Organization.Name)...)
}

// hasTerm reports whether a service has a term the query names, or a term
// below it, with a value other than no: a barrier it reports it does not take
// down is not something it offers.
func hasTerm(sv hsds.Service, q Query, t *terms) bool {
	for _, a := range sv.Attributes {
		if a.Value == string(directory.No) {
			continue
		}
		term := t.byID[a.TaxonomyTermID]
		if q.TaxonomyTermID != "" && term.ID != q.TaxonomyTermID && term.ParentID != q.TaxonomyTermID {
			continue
		}
		if q.TaxonomyID != "" && term.TaxonomyID != q.TaxonomyID {
			continue
		}
		return true
	}
	return false
}

// matchesText reports whether every word of search appears in one of the
// fields, ignoring case. An empty search matches everything.
func matchesText(search string, fields ...string) bool {
	if search == "" {
		return true
	}
	hay := strings.ToLower(strings.Join(fields, "\n"))
	for _, word := range strings.Fields(strings.ToLower(search)) {
		if !strings.Contains(hay, word) {
			return false
		}
	}
	return true
}

func minimal(sv hsds.Service) hsds.ServiceMinimal {
	return hsds.ServiceMinimal{ID: sv.ID, Name: sv.Name, Status: sv.Status, ModifiedDate: sv.XUpdatedAt}
}

// paginate cuts one page out of items. A page past the end is empty, not an error.
func paginate[T any](items []T, q Query) hsds.Page[T] {
	total := len(items)
	pages := (total + q.PerPage - 1) / q.PerPage
	from := min((q.Page-1)*q.PerPage, total)
	to := min(from+q.PerPage, total)
	contents := slices.Clone(items[from:to])
	if contents == nil {
		contents = []T{}
	}
	return hsds.Page[T]{TotalItems: total, TotalPages: pages, PageNumber: q.Page, Size: q.PerPage,
		FirstPage: q.Page == 1, LastPage: q.Page >= pages, Empty: len(contents) == 0, Contents: contents}
}

func mapSlice[T, U any](in []T, f func(T) U) []U {
	out := make([]U, len(in))
	for i, x := range in {
		out[i] = f(x)
	}
	return out
}
