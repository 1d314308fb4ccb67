package server

import (
	_ "embed"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/belong-directory/belong/internal/search"
)

// openAPI describes /api/v1; a test holds it to the route table.
//
//go:embed openapi.json
var openAPI []byte

// apiPrefix is where the JSON API lives.
const apiPrefix = "/api/v1"

// searchResponse is one page of results with links to its neighbours.
type searchResponse struct {
	search.Result
	Links searchLinks `json:"links"`
}

// searchLinks are absolute URLs in canonical form; Next and Prev are null at
// either end.
type searchLinks struct {
	Self string  `json:"self"`
	Next *string `json:"next"`
	Prev *string `json:"prev"`
}

// apiSearch answers GET /api/v1/listings. Results are marked no-store: what a
// person searches for can say a lot about them, so no browser or proxy keeps it;
// repeated searches are answered from the server's own cache instead.
func (s *Server) apiSearch(c echo.Context) error {
	q, err := search.ParseQuery(c.Request().URL.RawQuery, s.Vocabulary, s.Config.SearchPerPage)
	if err != nil {
		return err
	}
	h := c.Response().Header()
	h.Set("Cache-Control", "no-store")
	r, err := s.Search.Search(c.Request().Context(), q)
	if err != nil {
		h.Set("Retry-After", "30")
		return echo.NewHTTPError(http.StatusServiceUnavailable,
			"Search is unavailable right now. Please try again in a minute.").SetInternal(err)
	}
	h.Set("X-Search-Engine", r.Engine)
	if err := pastTheEnd(q, r.Total, s.lang(c)); err != nil {
		return err
	}
	s.NeedCounter.Count(q, r.Total)
	return c.JSON(http.StatusOK, searchResponse{Result: r, Links: s.searchLinks(q, r.Total)})
}

func (s *Server) searchLinks(q search.Query, total int) searchLinks {
	link := func(page int) *string {
		p := q
		p.Page = page
		u := strings.TrimSuffix(s.Config.BaseURL, "/") + apiPrefix + "/listings?" + p.Values().Encode()
		return &u
	}
	l := searchLinks{Self: *link(q.Page)}
	if q.Page < q.LastPage(total) {
		l.Next = link(q.Page + 1)
	}
	if q.Page > 1 {
		l.Prev = link(q.Page - 1)
	}
	return l
}

// apiOpenAPI serves the API's own description.
func (s *Server) apiOpenAPI(c echo.Context) error {
	c.Response().Header().Set("Cache-Control", "public, max-age=3600")
	return c.Blob(http.StatusOK, "application/json", openAPI)
}
