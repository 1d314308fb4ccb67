package server

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/belong-directory/belong/internal/interop"
)

// Open data: the Meeting Guide feed and the HSDS 3.0 API. Both hold only what
// group pages show, so they may be cached and read from any origin.

// openDataCache lets browsers and proxies keep an open-data answer a few minutes.
const openDataCache = "public, max-age=300"

// meetingGuideFeed answers GET /api/meeting-guide.json. It is the one answer
// any web page may read (Access-Control-Allow-Origin: *): meeting finders on
// other sites read the feed from their visitors' browsers.
func (s *Server) meetingGuideFeed(c echo.Context) error {
	feed, err := s.Interop.MeetingGuide(c.Request().Context())
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set(echo.HeaderAccessControlAllowOrigin, "*")
	h.Set("Cache-Control", openDataCache)
	return c.JSON(http.StatusOK, feed)
}

// hsdsQuery reads the query string of an /hsds list: a 400 naming each bad
// parameter.
func hsdsQuery(c echo.Context) (interop.Query, error) {
	return interop.ParseQuery(c.Request().URL.RawQuery)
}

func hsdsJSON(c echo.Context, v any) error {
	c.Response().Header().Set("Cache-Control", openDataCache)
	return c.JSON(http.StatusOK, v)
}

// hsdsInfo answers GET /hsds/.
func (s *Server) hsdsInfo(c echo.Context) error { return hsdsJSON(c, s.Interop.Info()) }

// hsdsServices answers GET /hsds/services.
func (s *Server) hsdsServices(c echo.Context) error {
	q, err := hsdsQuery(c)
	if err != nil {
		return err
	}
	page, err := s.Interop.Services(c.Request().Context(), q)
	if err != nil {
		return err
	}
	return hsdsJSON(c, page)
}

// hsdsService answers GET /hsds/services/{id}.
func (s *Server) hsdsService(c echo.Context) error {
	sv, err := s.Interop.ServiceByID(c.Request().Context(), c.Param("id"))
	if err != nil {
		return err
	}
	return hsdsJSON(c, sv)
}

// hsdsOrganizations answers GET /hsds/organizations.
func (s *Server) hsdsOrganizations(c echo.Context) error {
	q, err := hsdsQuery(c)
	if err != nil {
		return err
	}
	page, err := s.Interop.Organizations(c.Request().Context(), q)
	if err != nil {
		return err
	}
	return hsdsJSON(c, page)
}

// hsdsOrganization answers GET /hsds/organizations/{id}.
func (s *Server) hsdsOrganization(c echo.Context) error {
	q, err := hsdsQuery(c)
	if err != nil {
		return err
	}
	o, err := s.Interop.OrganizationByID(c.Request().Context(), c.Param("id"), q.FullService)
	if err != nil {
		return err
	}
	return hsdsJSON(c, o)
}

// hsdsTaxonomies answers GET /hsds/taxonomies.
func (s *Server) hsdsTaxonomies(c echo.Context) error {
	q, err := hsdsQuery(c)
	if err != nil {
		return err
	}
	return hsdsJSON(c, s.Interop.Taxonomies(q))
}

// hsdsTaxonomy answers GET /hsds/taxonomies/{id}.
func (s *Server) hsdsTaxonomy(c echo.Context) error {
	t, err := s.Interop.TaxonomyByID(c.Param("id"))
	if err != nil {
		return err
	}
	return hsdsJSON(c, t)
}

// hsdsTaxonomyTerms answers GET /hsds/taxonomy_terms.
func (s *Server) hsdsTaxonomyTerms(c echo.Context) error {
	q, err := hsdsQuery(c)
	if err != nil {
		return err
	}
	return hsdsJSON(c, s.Interop.TaxonomyTerms(q))
}

// hsdsTaxonomyTerm answers GET /hsds/taxonomy_terms/{id}.
func (s *Server) hsdsTaxonomyTerm(c echo.Context) error {
	t, err := s.Interop.TaxonomyTermByID(c.Param("id"))
	if err != nil {
		return err
	}
	return hsdsJSON(c, t)
}
