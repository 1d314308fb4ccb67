package server

import (
	"net/http"

	"github.com/labstack/echo/v4"
)

// healthz says the process is alive, and nothing more.
func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "alive"})
}

// readyz reports each service; only PostgreSQL, the source of truth, makes the
// process unready.
func (s *Server) readyz(c echo.Context) error {
	r := s.Health.Check(c.Request().Context())
	status := http.StatusOK
	if !r.Ready {
		status = http.StatusServiceUnavailable
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(status, r)
}

// static serves files under their content-hash URLs, cacheable for a year.
func (s *Server) static(c echo.Context) error {
	a, ok := s.View.Asset(c.Request().URL.Path)
	if !ok {
		return echo.ErrNotFound
	}
	c.Response().Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	return c.Blob(http.StatusOK, a.Type, a.Body)
}
