package server

import (
	"github.com/labstack/echo/v4/middleware"

	"github.com/belong-directory/belong/internal/directory"
)

// routes is the route table: every URL the product answers, one line each, with
// who may use it named at the end of the line: anon (anyone; no session is
// read), signedIn (anyone signed in), moderator, admin. An admin may do what a
// moderator may (directory.Role.Grants). authz_test.go walks this table with
// every role; a route it has no expectation for fails it.
func (s *Server) routes(bodyLimit int64) {
	signedIn, moderator, admin := s.role(""), s.role(directory.Moderator), s.role(directory.Admin)
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

	e.GET("/healthz", s.healthz, anon)
	e.GET("/readyz", s.readyz, anon)
	e.GET("/static/*", s.static, anon)
	e.GET("/api/v1/listings", s.apiSearch, anon)
	e.GET("/api/v1/listings/:idOrSlug", s.apiListingDetail, anon)
	e.GET("/api/v1/tags", s.apiTags, anon)
	e.GET("/api/v1/openapi.json", s.apiOpenAPI, anon)
	e.GET("/", s.searchHome, anon)
	e.GET("/groups/:slug", s.listingPage, anon)
	e.GET("/groups/:slug/calendar.ics", s.calendarFile, anon)
	e.GET("/groups/:slug/history", s.listingHistory, anon)
	e.GET("/about/listing-criteria", s.listingCriteria, anon)

	e.GET("/sign-in", s.signInForm, anon)
	e.POST("/sign-in", s.requestSignIn, anon)
	e.GET("/sign-in/sent", s.signInSent, anon)
	e.GET("/sign-in/:token", s.signInLink, anon)
	e.POST("/sign-in/:token", s.signInWithLink, anon)
	e.POST("/sign-out", s.signOut, signedIn)
	e.POST("/sign-out/everywhere", s.signOutEverywhere, signedIn)

	e.GET("/moderate", s.moderationQueue, moderator)
	e.GET("/moderate/revisions/:id", s.reviewRevision, moderator)
	e.POST("/moderate/revisions/:id/approve", s.approve, moderator)
	e.POST("/moderate/revisions/:id/decline", s.decline, moderator)
	e.GET("/moderate/listings/:slug", s.moderatedListing, moderator)
	e.POST("/moderate/listings/:slug/revoke-links", s.revokeManageLinks, moderator)

	e.GET("/admin/users", s.users, admin)
	e.POST("/admin/users", s.invite, admin)
	e.POST("/admin/users/:id/disable", s.disableUser, admin)
}
