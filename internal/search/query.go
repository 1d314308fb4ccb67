package search

import (
	"context"
	"time"

	"github.com/belong-directory/belong/internal/directory"
)

// Sort orders the results.
type Sort string

const (
	ByRelevance         Sort = "relevance"
	ByDistance          Sort = "distance"
	BySoonest           Sort = "soonest"
	ByRecentlyConfirmed Sort = "recently-confirmed"
)

// Sorts lists every sort, for validation and documentation.
var Sorts = []Sort{ByRelevance, ByDistance, BySoonest, ByRecentlyConfirmed}

// Parts of the day a meeting can start in, in the listing's own time zone.
var PartsOfDay = []string{"morning", "afternoon", "evening", "night"}

// Days are the weekday codes used in queries and documents.
var Days = []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// Point is a place on Earth.
type Point struct {
	Lat float64 `json:"lat"`
	Lng float64 `json:"lng"`
}

// Query is one search, already validated. Within one facet that is a choice
// (languages, modes, days, parts of day) values are ORed; needs are ANDed.
type Query struct {
	Text      string
	Needs     []string // tag slugs every hit must offer
	Languages []string
	Modes     []directory.Mode
	Days      []string // mon..sun
	Times     []string // morning, afternoon, evening, night
	Near      *Point
	RadiusKm  float64
	City      string
	Sort      Sort
	// IncludePartly counts a "partly" as meeting a need (shown as partial).
	IncludePartly bool
	Page          int // from 1
	PerPage       int
}

// Hit is one listing in the results.
type Hit struct {
	ID            string           `json:"id"`
	Slug          string           `json:"slug"`
	Name          string           `json:"name"`
	Summary       string           `json:"summary"`
	Organization  string           `json:"organization"`
	TextLang      string           `json:"text_lang"`
	City          string           `json:"city,omitempty"`
	Neighbourhood string           `json:"neighbourhood,omitempty"`
	Modes         []directory.Mode `json:"modes"`
	Languages     []string         `json:"languages"`
	NeedsMet      []string         `json:"needs_met"`
	NeedsPartly   []string         `json:"needs_partly"`
	// Missing names the one need a close match does not meet (or has not reported).
	Missing      string              `json:"missing,omitempty"`
	MissingValue string              `json:"missing_value,omitempty"` // "no" or "" for not reported
	DistanceKm   *float64            `json:"distance_km,omitempty"`
	NextAt       *time.Time          `json:"next_at,omitempty"`
	TimeZone     string              `json:"time_zone,omitempty"`
	ConfirmedAt  time.Time           `json:"confirmed_at"`
	ConfirmedBy  directory.Source    `json:"confirmed_by"`
	Freshness    directory.Freshness `json:"freshness"`
	Paused       bool                `json:"paused"`
}

// Facets count, over the full matches of a query, how many offer each option, so
// a page can hide choices that would return nothing.
type Facets struct {
	Tags      map[string]int `json:"tags"`
	Languages map[string]int `json:"languages"`
	Modes     map[string]int `json:"modes"`
}

// Result is one page of a search.
type Result struct {
	Engine       string `json:"engine"`
	Total        int    `json:"total"`
	Page         int    `json:"page"`
	PerPage      int    `json:"per_page"`
	Hits         []Hit  `json:"hits"`
	CloseMatches []Hit  `json:"close_matches"`
	Facets       Facets `json:"facets"`
}

// Engine answers searches. Meilisearch and the PostgreSQL fallback both implement
// it with the same semantics.
type Engine interface {
	Name() string
	Search(ctx context.Context, q Query) (Result, error)
}
