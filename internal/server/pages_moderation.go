package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/moderation"
)

type queuePage struct {
	Staff       staffView
	Queue       moderation.Queue
	Items       []queueItem
	Corrections []correctionItem
	// CorrectionCount counts every open correction, even past the ones shown.
	CorrectionCount int
	Done            string
}

type correctionItem struct {
	directory.Correction
	Waiting string
}

type queueItem struct {
	moderation.Item
	Waiting string
}

// moderationQueue lists what waits for a moderator, oldest first.
func (s *Server) moderationQueue(c echo.Context) error {
	q, err := s.Moderation.Queue(c.Request().Context())
	if err != nil {
		return err
	}
	lang := s.lang(c)
	words := s.View.Words(lang)
	cq, err := s.Corrections.Queue(c.Request().Context())
	if err != nil {
		return err
	}
	p := queuePage{Staff: staff(signedIn(c)), Queue: q, CorrectionCount: cq.Total,
		Done: done(c, "approved", "declined", "correction_applied", "correction_declined")}
	for _, it := range q.Items {
		p.Items = append(p.Items, queueItem{Item: it, Waiting: words.ShortDate(it.CreatedAt)})
	}
	for _, it := range cq.Items {
		p.Corrections = append(p.Corrections, correctionItem{Correction: it, Waiting: words.ShortDate(it.CreatedAt)})
	}
	return s.render(c, http.StatusOK, "moderate", s.View.I18n.T(lang, "moderate.title"), p)
}

type reviewPage struct {
	Staff     staffView
	R         moderation.Review
	Submitted string
	Decided   string
	// Notice says why the page came back instead of moving on: "changed" or
	// "decided".
	Notice string
	Form   formState
}

// reviewRevision shows one proposal: the whole listing for a new submission,
// the changed fields for an edit, and likely duplicates.
func (s *Server) reviewRevision(c echo.Context) error {
	return s.renderReview(c, http.StatusOK, "", formState{})
}

func (s *Server) renderReview(c echo.Context, status int, notice string, f formState) error {
	r, err := s.Moderation.Review(c.Request().Context(), c.Param("id"), s.reviewWords(s.lang(c)))
	if err != nil {
		return err
	}
	lang := s.lang(c)
	words := s.View.Words(lang)
	p := reviewPage{Staff: staff(signedIn(c)), R: r, Submitted: words.ShortDate(r.Revision.CreatedAt),
		Notice: notice, Form: f}
	if r.Revision.DecidedAt != nil {
		p.Decided = words.ShortDate(*r.Revision.DecidedAt)
	}
	title := s.View.I18n.T(lang, "moderate.review.title."+string(r.Revision.Kind), r.Revision.Proposed.Name)
	return s.render(c, status, "review", title, p)
}

// approve publishes a proposal; if the listing changed since the moderator
// looked, the page comes back with the new comparison to review again.
func (s *Server) approve(c echo.Context) error {
	seen, _ := strconv.Atoi(c.FormValue("version"))
	err := s.Moderation.Approve(c.Request().Context(), signedIn(c), c.Param("id"), seen)
	switch {
	case errors.Is(err, moderation.ErrListingChanged):
		return s.renderReview(c, http.StatusConflict, "changed", formState{})
	case errors.Is(err, moderation.ErrDecided):
		return s.renderReview(c, http.StatusConflict, "decided", formState{})
	case err != nil:
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/moderate?ui="+s.lang(c)+"&done=approved")
}

// decline refuses a proposal with a reason the organizer is told.
func (s *Server) decline(c echo.Context) error {
	reason := c.FormValue("reason")
	err := s.Moderation.Decline(c.Request().Context(), signedIn(c), c.Param("id"), reason)
	switch {
	case errors.Is(err, moderation.ErrDecided):
		return s.renderReview(c, http.StatusConflict, "decided", formState{})
	case err != nil:
		f, err := s.refused(s.lang(c), err, map[string]string{"reason": reason}, "reason")
		if err != nil {
			return err
		}
		return s.renderReview(c, http.StatusBadRequest, "", f)
	}
	return c.Redirect(http.StatusSeeOther, "/moderate?ui="+s.lang(c)+"&done=declined")
}

type moderatedListingPage struct {
	Staff     staffView
	L         directory.Listing
	Confirmed string
	Done      string
}

// moderatedListing shows a listing as moderators see it, whatever its status,
// with what they can do to it.
func (s *Server) moderatedListing(c echo.Context) error {
	l, err := s.Moderation.Listing(c.Request().Context(), c.Param("slug"))
	if err != nil {
		return err
	}
	lang := s.lang(c)
	return s.render(c, http.StatusOK, "moderate_listing", l.Name, moderatedListingPage{Staff: staff(signedIn(c)),
		L: l, Confirmed: s.View.Words(lang).ShortDate(l.ConfirmedAt), Done: done(c, "revoked")})
}

// revokeManageLinks makes every manage link of a listing stop working.
func (s *Server) revokeManageLinks(c echo.Context) error {
	ctx := c.Request().Context()
	l, err := s.Moderation.Listing(ctx, c.Param("slug"))
	if err != nil {
		return err
	}
	if err := s.Moderation.RevokeManageLinks(ctx, signedIn(c), l.ID); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/moderate/listings/"+l.Slug+"?ui="+s.lang(c)+"&done=revoked")
}
