package server

import (
	"github.com/labstack/echo/v4/middleware"
)

// routes is the route table: every URL the product answers, one line each. Every
// route answers HEAD as it answers GET.
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

	// Pages and the API each take a bounded number of requests at once and refuse
	// the rest early (admission.go); each request they take has a deadline.
	// Health checks and static files are cheap and never refused.
	page, api := s.pages.limit, s.api.limit
	deadline := middleware.ContextTimeout(s.Config.RequestTimeout)

	get(e, "/healthz", s.healthz)
	get(e, "/readyz", s.readyz)
	get(e, "/static/*", s.static)
	get(e, "/api/v1/listings", s.apiSearch, api, deadline)
	get(e, "/api/v1/listings/:idOrSlug", s.apiListingDetail, api, deadline, byLanguage)
	get(e, "/api/v1/tags", s.apiTags, api, deadline, byLanguage)
	get(e, "/api/v1/openapi.json", s.apiOpenAPI)
	get(e, "/", s.searchHome, page, deadline, byLanguage)
	get(e, "/groups/:slug", s.listingPage, page, deadline, byLanguage, private)
	get(e, "/groups/:slug/calendar.ics", s.calendarFile, page, deadline, private)

	// Organizers: no account; a manage link is their key, so its pages are private.
	get(e, "/submit", s.submitForm, page, deadline, byLanguage, private)
	e.POST("/submit", s.submit, page, deadline, private)
	get(e, "/submit/sent", s.submitSent, page, deadline, byLanguage)
	e.POST("/api/v1/submissions", s.apiSubmit, api, deadline)
	get(e, "/manage", s.manageRequest, page, deadline, byLanguage, private)
	e.POST("/manage", s.manageSend, page, deadline, private)
	get(e, "/manage/sent", s.manageSent, page, deadline, byLanguage)
	get(e, "/manage/:token", s.manageLink, page, deadline, byLanguage, private)
	get(e, "/manage/:token/edit", s.manageEditForm, page, deadline, byLanguage, private)
	e.POST("/manage/:token/edit", s.manageEdit, page, deadline, private)
	e.POST("/manage/:token/:action", s.manageAction, page, deadline, private)

	// Open data: the Meeting Guide feed (any origin may read it) and the HSDS
	// 3.0 API, both from public listings only (api_interop.go).
	get(e, "/api/meeting-guide.json", s.meetingGuideFeed, api, deadline)
	get(e, "/hsds", s.hsdsInfo, api, deadline)
	get(e, "/hsds/services", s.hsdsServices, api, deadline)
	get(e, "/hsds/services/:id", s.hsdsService, api, deadline)
	get(e, "/hsds/organizations", s.hsdsOrganizations, api, deadline)
	get(e, "/hsds/organizations/:id", s.hsdsOrganization, api, deadline)
	get(e, "/hsds/taxonomies", s.hsdsTaxonomies, api, deadline)
	get(e, "/hsds/taxonomies/:id", s.hsdsTaxonomy, api, deadline)
	get(e, "/hsds/taxonomy_terms", s.hsdsTaxonomyTerms, api, deadline)
	get(e, "/hsds/taxonomy_terms/:id", s.hsdsTaxonomyTerm, api, deadline)
}
