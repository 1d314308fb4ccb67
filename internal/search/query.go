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
	// OnlineOnly asks for groups that meet only online, wherever they are: the
	// third answer to "where", besides a city and near a place.
	OnlineOnly bool
	// PreferLang ranks groups meeting in this language first: a preference
	// (usually the interface's language), never a filter.
	PreferLang string
	Sort       Sort
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
	// Lacking names, for a close match, every chosen need it does not meet, in
	// the order the needs were chosen.
	Lacking     []Lack              `json:"lacking,omitempty"`
	DistanceKm  *float64            `json:"distance_km,omitempty"`
	NextAt      *time.Time          `json:"next_at,omitempty"`
	TimeZone    string              `json:"time_zone,omitempty"`
	ConfirmedAt time.Time           `json:"confirmed_at"`
	ConfirmedBy directory.Source    `json:"confirmed_by"`
	Freshness   directory.Freshness `json:"freshness"`
	Paused      bool                `json:"paused"`
}

// Lack is one need a close match does not meet, and why: Value is "no" when the
// organizer says so, "partly" when it is met only in part (and partial matches
// were not asked for), "" when it has not been reported yet.
type Lack struct {
	Need  string `json:"need"`
	Value string `json:"value"`
}

// Facets count, over the full matches of a query, how many offer each option, so
// a page can hide choices that would return nothing.
type Facets struct {
	Tags      map[string]int `json:"tags"`
	Languages map[string]int `json:"languages"`
	Modes     map[string]int `json:"modes"`
	// Cities counts matches by the city they meet in; OnlineOnly those that
	// meet only online.
	Cities     map[string]int `json:"cities"`
	OnlineOnly int            `json:"online_only"`
}

// Place is one group of results when no place was chosen: the first few
// listings meeting in one city, or of those meeting only online, and how many
// there are in all.
type Place struct {
	City       string `json:"city,omitempty"`
	OnlineOnly bool   `json:"online_only,omitempty"`
	Total      int    `json:"total"`
	Hits       []Hit  `json:"hits"`
}

// Drop is the chosen need whose removal would find the most listings, and how
// many it would find.
type Drop struct {
	Need  string `json:"need"`
	Total int    `json:"total"`
}

// Result is one page of a search.
type Result struct {
	Engine  string `json:"engine"`
	Total   int    `json:"total"`
	Page    int    `json:"page"`
	PerPage int    `json:"per_page"`
	Hits    []Hit  `json:"hits"`
	// CloseMatches follow when full matches do not fill a page: the listings
	// meeting the most chosen needs (each naming those it lacks) or, when the
	// text found nothing, the same search without the text.
	CloseMatches []Hit `json:"close_matches"`
	// BestDrop is the need to leave out to find the most, when leaving one out
	// finds more; nil otherwise.
	BestDrop *Drop `json:"best_drop,omitempty"`
	// WithoutText is how many the same search finds without its text, when the
	// text was given.
	WithoutText *int `json:"without_text,omitempty"`
	// Similar are words the index knows that are spelt like the text's words and
	// find something with every other choice kept, when the text found nothing.
	Similar []string `json:"similar,omitempty"`
	// Places groups the first results by place when no place was chosen, on the
	// first page: a city each, then the groups meeting only online.
	Places []Place `json:"places,omitempty"`
	Facets Facets  `json:"facets"`
}

// Engine answers searches. Meilisearch and the PostgreSQL fallback both implement
// it with the same semantics.
type Engine interface {
	Name() string
	Search(ctx context.Context, q Query) (Result, error)
}
