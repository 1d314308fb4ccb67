package server

import (
	"github.com/labstack/echo/v4/middleware"
)

// routes is the route table: every URL the product answers, one line each.
func (s *Server) routes(bodyLimit int64) {
	e := s.echo
	e.Pre(middleware.RemoveTrailingSlash())
	e.Use(middleware.RequestIDWithConfig(middleware.RequestIDConfig{Generator: requestID}))
	e.Use(s.requestLog())
	e.Use(middleware.Recover())
	e.Use(securityHeaders)
	e.Use(crossOrigin())
	// Level 2: at level 6 compressing answers was a fifth of a search's CPU (make
	// bench), for a page that is already well inside its 60 KB budget.
	e.Use(middleware.GzipWithConfig(middleware.GzipConfig{Level: 2, MinLength: 1024}))
	e.Use(middleware.BodyLimit(bodyLimitString(bodyLimit)))

	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	e.GET("/static/*", s.static)
	e.GET("/api/v1/listings", s.apiSearch)
	e.GET("/api/v1/listings/:idOrSlug", s.apiListingDetail)
	e.GET("/api/v1/tags", s.apiTags)
	e.GET("/api/v1/openapi.json", s.apiOpenAPI)
	e.GET("/", s.searchHome)
	e.GET("/groups/:slug", s.listingPage)
	e.GET("/groups/:slug/calendar.ics", s.calendarFile)
	e.GET("/submit", s.submitForm)
	e.POST("/submit", s.submit)
	e.GET("/submit/sent", s.submitSent)
	e.POST("/api/v1/submissions", s.apiSubmit)
	e.GET("/manage", s.manageRequest)
	e.POST("/manage", s.manageSend)
	e.GET("/manage/sent", s.manageSent)
	e.GET("/manage/:token", s.manageLink)
	e.GET("/manage/:token/edit", s.manageEditForm)
	e.POST("/manage/:token/edit", s.manageEdit)
	e.POST("/manage/:token/:action", s.manageAction)
}
