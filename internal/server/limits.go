package server

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/belong-directory/belong/internal/ratelimit"
)

// Limits on the forms that write and the links that open private pages, per
// client. Generous for a person, tight for a script.
var (
	// submitLimit counts the listings a client got through (withinSubmitLimit);
	// submitTryLimit every form or request sent, mistakes included, so a
	// script cannot send forms over and over.
	submitLimit    = ratelimit.Rule{Burst: 5, Per: 10, Period: time.Hour}
	submitTryLimit = ratelimit.Rule{Burst: 30, Per: 60, Period: time.Hour}
	linkLimit      = ratelimit.Rule{Burst: 5, Per: 10, Period: time.Hour}         // fresh manage links, sign-in links
	openLinkLimit  = ratelimit.Rule{Burst: 30, Per: 60, Period: 10 * time.Minute} // opening private links: stops guessing
	// A shared list is opened with its QR code, print view and text: a person
	// uses a handful; a burst of guesses at codes is refused.
	openListLimit  = ratelimit.Rule{Burst: 60, Per: 120, Period: 10 * time.Minute}
	shareListLimit = ratelimit.Rule{Burst: 30, Per: 120, Period: time.Hour} // a peer worker shares many lists a day
	markLimit      = ratelimit.Rule{Burst: 30, Per: 60, Period: 10 * time.Minute}
)

// correctionLimit: a volunteer may go through a dozen listings in an evening, a
// script through thousands.
var correctionLimit = ratelimit.Rule{Burst: 10, Per: 20, Period: time.Hour}

// limited refuses a client that did action too often lately with 429 and
// Retry-After. The client is counted under a salted hash of its address only.
func (s *Server) limited(action string, rule ratelimit.Rule) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			ok, wait := s.Limits.Allow(c.Request().Context(), action, c.RealIP(), rule.Times(s.Config.RateLimitFactor))
			if ok {
				return next(c)
			}
			retryAfter(c, wait)
			return &pageError{status: http.StatusTooManyRequests, titleKey: "error.429.title", detailKey: "error.429.detail"}
		}
	}
}

// withinSubmitLimit runs submit, a new listing from the form or the API, if
// check finds nothing to refuse in it and the client has a turn left
// (submitLimit): a form that comes back with mistakes uses up no turn, and a
// turn is taken before anything is written, so listings sent at once cannot
// all slip through. Refused, the error says how many minutes to wait.
func (s *Server) withinSubmitLimit(c echo.Context, check, submit func() error) error {
	detail := "submit.too_soon"
	if jsonOnly(c.Request().URL.Path) {
		detail = "submit.too_soon.api" // a program has no form to keep
	}
	if err := check(); err != nil {
		return err
	}
	// The turn is taken whatever becomes of the request after this.
	ctx := context.WithoutCancel(c.Request().Context())
	if ok, wait := s.Limits.Allow(ctx, "submit", c.RealIP(), submitLimit.Times(s.Config.RateLimitFactor)); !ok {
		retryAfter(c, wait)
		return &pageError{status: http.StatusTooManyRequests, titleKey: "submit.too_soon.title",
			detailKey: detail, count: int(max(wait, time.Minute).Round(time.Minute).Minutes())}
	}
	return submit()
}

// retryAfter tells a refused client how long to wait, in whole seconds.
func retryAfter(c echo.Context, wait time.Duration) {
	c.Response().Header().Set("Retry-After", strconv.Itoa(int(max(wait, time.Second).Round(time.Second).Seconds())))
}
