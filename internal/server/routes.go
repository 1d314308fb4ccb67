package server

import (
	"github.com/labstack/echo/v4/middleware"

	"github.com/belong-directory/belong/internal/directory"
)

// routes is the route table: every URL the product answers, one line each, with
// who may use it named at the end of the line: anon (anyone; no session is
// read), signedIn (anyone signed in), moderator, peer (peer workers), admin. An
// admin may do what a moderator or a peer worker may (directory.Role.Grants).
// authz_test.go walks this table with every role; a route it has no
// expectation for fails it. Every GET route answers HEAD too.
func (s *Server) routes(bodyLimit int64) {
	signedIn, moderator, admin := s.role(""), s.role(directory.Moderator), s.role(directory.Admin)
	e := s.echo
	e.Pre(middleware.RemoveTrailingSlash())
	e.Use(middleware.RequestIDWithConfig(middleware.RequestIDConfig{Generator: requestID}))
	e.Use(s.requestLog())
	e.Use(middleware.Recover())
	e.Use(securityHeaders)
	e.Use(crossOrigin())
	// Answers are compressed around all of this (Server.handler).
	e.Use(middleware.BodyLimit(bodyLimitString(bodyLimit)))

	// Pages and the API each take a bounded number of requests at once and refuse
	// the rest early (admission.go); each request they take has a deadline.
	// Health checks and static files are cheap and never refused.
	page, api := s.pages.limit, s.api.limit
	deadline := middleware.ContextTimeout(s.Config.RequestTimeout)

	get(e, "/healthz", s.healthz, anon)
	get(e, "/readyz", s.readyz, anon)
	get(e, "/static/*", s.static, anon)
	get(e, "/api/v1/listings", s.apiSearch, api, deadline, anon)
	get(e, "/api/v1/listings/:idOrSlug", s.apiListingDetail, api, deadline, byLanguage, anon)
	get(e, "/api/v1/tags", s.apiTags, api, deadline, byLanguage, anon)
	get(e, "/api/v1/openapi.json", s.apiOpenAPI, anon)
	get(e, "/", s.searchHome, page, deadline, byLanguage, anon)
	get(e, "/groups/:slug", s.listingPage, page, deadline, byLanguage, private, anon)
	get(e, "/groups/:slug/calendar.ics", s.calendarFile, page, deadline, private, anon)
	get(e, "/groups/:slug/history", s.listingHistory, page, deadline, byLanguage, private, anon)
	get(e, "/about/listing-criteria", s.listingCriteria, page, deadline, byLanguage, anon)
	// The unmet-needs report: everyone sees cells of ten searches or more;
	// moderators and admins, signed in, see every count (pages_gaps.go).
	get(e, "/gaps", s.gapsHome, page, deadline, byLanguage, s.optionalStaff, anon)
	get(e, "/gaps.csv", s.gapsCSV, page, deadline, s.optionalStaff, anon)

	// Corrections from anyone: no account, no email; the sender follows theirs
	// by a private link.
	get(e, "/groups/:slug/correction", s.correctionForm, page, deadline, byLanguage, private, anon)
	e.POST("/groups/:slug/correction", s.sendCorrection, page, deadline, private, s.limited("correction", correctionLimit), anon)
	get(e, "/corrections/:token", s.correctionStatus, page, deadline, byLanguage, private, s.limited("open_link", openLinkLimit), anon)

	// Organizers: no account; a manage link is their key, so its pages are private.
	get(e, "/submit", s.submitForm, page, deadline, byLanguage, private, anon)
	e.POST("/submit", s.submit, page, deadline, private, s.limited("submit_try", submitTryLimit), anon)
	get(e, "/submit/sent", s.submitSent, page, deadline, byLanguage, anon)
	e.POST("/api/v1/submissions", s.apiSubmit, api, deadline, s.limited("submit_try", submitTryLimit), anon)
	get(e, "/manage", s.manageRequest, page, deadline, byLanguage, private, anon)
	e.POST("/manage", s.manageSend, page, deadline, private, s.limited("manage_link", linkLimit), anon)
	get(e, "/manage/sent", s.manageSent, page, deadline, byLanguage, anon)
	get(e, "/manage/:token", s.manageLink, page, deadline, byLanguage, private, s.limited("open_link", openLinkLimit), anon)
	get(e, "/manage/:token/edit", s.manageEditForm, page, deadline, byLanguage, private, s.limited("open_link", openLinkLimit), anon)
	e.POST("/manage/:token/edit", s.manageEdit, page, deadline, private, s.limited("open_link", openLinkLimit), anon)
	e.POST("/manage/:token/:action", s.manageAction, page, deadline, private, s.limited("open_link", openLinkLimit), anon)
	get(e, "/manage/:token/corrections/:id", s.manageCorrection, page, deadline, byLanguage, private, s.limited("open_link", openLinkLimit), anon)
	e.POST("/manage/:token/corrections/:id/confirm", s.confirmFromCorrection, page, deadline, private, s.limited("open_link", openLinkLimit), anon)

	// Moderators and admins: signed in by an emailed link.
	get(e, "/sign-in", s.signInForm, page, deadline, byLanguage, private, anon)
	e.POST("/sign-in", s.requestSignIn, page, deadline, private, s.limited("sign_in", linkLimit), anon)
	get(e, "/sign-in/sent", s.signInSent, page, deadline, byLanguage, anon)
	get(e, "/sign-in/:token", s.signInLink, page, deadline, byLanguage, private, s.limited("open_link", openLinkLimit), anon)
	e.POST("/sign-in/:token", s.signInWithLink, page, deadline, private, s.limited("open_link", openLinkLimit), anon)
	e.POST("/sign-out", s.signOut, page, deadline, private, signedIn)
	e.POST("/sign-out/everywhere", s.signOutEverywhere, page, deadline, private, signedIn)

	get(e, "/moderate", s.moderationQueue, page, deadline, private, moderator)
	get(e, "/moderate/revisions/:id", s.reviewRevision, page, deadline, private, moderator)
	e.POST("/moderate/revisions/:id/approve", s.approve, page, deadline, private, moderator)
	e.POST("/moderate/revisions/:id/decline", s.decline, page, deadline, private, moderator)
	get(e, "/moderate/listings/:slug", s.moderatedListing, page, deadline, private, moderator)
	e.POST("/moderate/listings/:slug/revoke-links", s.revokeManageLinks, page, deadline, private, moderator)
	get(e, "/moderate/corrections/:id", s.reviewCorrection, page, deadline, private, moderator)
	e.POST("/moderate/corrections/:id/apply", s.applyCorrection, page, deadline, private, moderator)
	e.POST("/moderate/corrections/:id/decline", s.declineCorrection, page, deadline, private, moderator)

	// Referral lists: built in the page's own address by anyone, with no
	// cookie; shared by a code; peer workers keep theirs on /lists.
	peer := s.role(directory.Peer)
	openList := s.limited("open_list", openListLimit)
	get(e, "/list", s.listBuilder, page, deadline, byLanguage, private, anon)
	e.POST("/list", s.shareList, page, deadline, private, s.limited("share_list", shareListLimit), anon)
	get(e, "/r/:code", s.recipient, page, deadline, private, openList, anon)
	get(e, "/r/:code/print", s.recipientPrint, page, deadline, private, openList, anon)
	get(e, "/r/:code/text", s.recipientText, page, deadline, private, openList, anon)
	get(e, "/r/:code/qr.svg", s.recipientQR("svg"), page, deadline, private, openList, anon)
	get(e, "/r/:code/qr.png", s.recipientQR("png"), page, deadline, private, openList, anon)
	get(e, "/r/:code/share", s.shareReady, page, deadline, byLanguage, private, openList, anon)
	e.POST("/r/:code/marks", s.markGroup, page, deadline, private, s.limited("mark", markLimit), anon)
	get(e, "/lists", s.myLists, page, deadline, private, peer)
	e.POST("/lists/:id/renew", s.listAction("renew"), page, deadline, private, peer)
	e.POST("/lists/:id/follow-up", s.listAction("follow-up"), page, deadline, private, peer)
	e.POST("/lists/:id/delete", s.listAction("delete"), page, deadline, private, peer)

	get(e, "/admin/users", s.users, page, deadline, private, admin)
	e.POST("/admin/users", s.invite, page, deadline, private, admin)
	e.POST("/admin/users/:id/disable", s.disableUser, page, deadline, private, admin)
	get(e, "/admin/import", s.importForm, page, deadline, private, admin)
	e.POST("/admin/import", s.importCSV, page, deadline, private, admin)
	get(e, "/admin/import/template.csv", s.importTemplate, page, deadline, private, admin)
	get(e, "/admin/import/columns", s.importColumns, page, deadline, private, admin)
	get(e, "/admin/feeds", s.feedSubscriptions, page, deadline, private, admin)
	e.POST("/admin/feeds", s.subscribe, page, deadline, private, admin)
	get(e, "/admin/feeds/:id", s.feedDetail, page, deadline, private, admin)
	e.POST("/admin/feeds/:id/sync", s.syncFeed, page, deadline, private, admin)
	e.POST("/admin/feeds/:id/confirm-drop", s.confirmFeedDrop, page, deadline, private, admin)
	e.POST("/admin/feeds/:id/remove", s.removeFeed, page, deadline, private, admin)

	// Open data: the Meeting Guide feed (any origin may read it) and the HSDS
	// 3.0 API, both from public listings only (api_interop.go).
	get(e, "/api/meeting-guide.json", s.meetingGuideFeed, api, deadline, anon)
	get(e, "/hsds", s.hsdsInfo, api, deadline, anon)
	get(e, "/hsds/services", s.hsdsServices, api, deadline, anon)
	get(e, "/hsds/services/:id", s.hsdsService, api, deadline, anon)
	get(e, "/hsds/organizations", s.hsdsOrganizations, api, deadline, anon)
	get(e, "/hsds/organizations/:id", s.hsdsOrganization, api, deadline, anon)
	get(e, "/hsds/taxonomies", s.hsdsTaxonomies, api, deadline, anon)
	get(e, "/hsds/taxonomies/:id", s.hsdsTaxonomy, api, deadline, anon)
	get(e, "/hsds/taxonomy_terms", s.hsdsTaxonomyTerms, api, deadline, anon)
	get(e, "/hsds/taxonomy_terms/:id", s.hsdsTaxonomyTerm, api, deadline, anon)
}
