package directory

import "time"

// Freshness says how recently a listing was confirmed to be true.
type Freshness string

const (
	Fresh Freshness = "fresh"
	Aging Freshness = "aging"
	Stale Freshness = "stale"
)

// Thresholds are the configured ages at which a listing starts aging and goes stale.
type Thresholds struct {
	AgingAfter time.Duration
	StaleAfter time.Duration
}

// Of returns the freshness of something confirmed at confirmed, seen at now.
func (t Thresholds) Of(confirmed, now time.Time) Freshness {
	age := now.Sub(confirmed)
	switch {
	case age > t.StaleAfter:
		return Stale
	case age > t.AgingAfter:
		return Aging
	default:
		return Fresh
	}
}
