package server

import "github.com/labstack/echo/v4"

// CorrectionBurst is how many corrections one client may send at once, for
// the rate-limit test outside the package.
var CorrectionBurst = correctionLimit.Burst

// Routes are the route table's routes, for the authorization test.
func (s *Server) Routes() []*echo.Route { return s.echo.Routes() }
