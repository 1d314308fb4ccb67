package server

import (
	"net/http"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
)

// overloadRetryAfter is the Retry-After of a refused request, in seconds: long
// enough for a burst to pass, short enough that a person waiting tries again.
const overloadRetryAfter = "2"

// admission bounds one class of routes: at most inFlight requests at once, at
// most as many again waiting up to wait for a turn, and every other request
// refused at once with 503 and Retry-After. Refusing early and cheaply keeps the
// requests it does take fast; queueing every one made all of them slow (200
// connections gave a p99 of 10-13 s).
type admission struct {
	turns   chan struct{}
	waiting atomic.Int64
	wait    time.Duration
}

func newAdmission(inFlight int, wait time.Duration) *admission {
	return &admission{turns: make(chan struct{}, inFlight), wait: wait}
}

// limit is the middleware that admits or refuses.
func (a *admission) limit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if !a.admit(c) {
			c.Response().Header().Set("Retry-After", overloadRetryAfter)
			return &pageError{status: http.StatusServiceUnavailable, titleKey: "error.busy.title",
				detailKey: "error.busy.detail"}
		}
		defer func() { <-a.turns }()
		return next(c)
	}
}

func (a *admission) admit(c echo.Context) bool {
	select {
	case a.turns <- struct{}{}:
		return true
	default:
	}
	if a.wait <= 0 {
		return false
	}
	defer a.waiting.Add(-1)
	if a.waiting.Add(1) > int64(cap(a.turns)) {
		return false
	}
	t := time.NewTimer(a.wait)
	defer t.Stop()
	select {
	case a.turns <- struct{}{}:
		return true
	case <-t.C:
	case <-c.Request().Context().Done():
	}
	return false
}
