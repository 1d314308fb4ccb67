package main

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/search"
)

// mixQuery is one search of the mix: the raw query string a client sends and
// what the API reads from it.
type mixQuery struct {
	Raw   string
	Shape string
	Query search.Query
}

// mix is the deterministic query mix every search scenario sends, in order,
// over and over.
type mix struct {
	Queries []mixQuery
	// Shapes counts the queries of each kind.
	Shapes map[string]int
	// Cacheable is how many the search cache may keep: searches near a place
	// never are.
	Cacheable int
}

// vocabulary is what the mix draws from: words of the synthetic listings'
// names, the taxonomy's tags, the languages and cities the listings have,
// weighted by how often they occur.
type vocabulary struct {
	words     []string
	tags      []string
	languages []weighted
	cities    []city
}

type weighted struct {
	value string
	n     int
}

type city struct {
	name     string
	lat, lng float64
	n        int
}

// sampleVocabulary reads a fixed sample of the synthetic listings, chosen by a
// seeded draw over their slugs, so the same listings seed gives the same mix.
func (b *bench) sampleVocabulary(ctx context.Context, rng *rand.Rand) (vocabulary, error) {
	var v vocabulary
	cats, err := b.st.Taxonomy(ctx, "en")
	if err != nil {
		return v, err
	}
	for _, c := range cats {
		for _, t := range c.Tags {
			v.tags = append(v.tags, t.Slug)
		}
	}
	words := map[string]bool{}
	langs := map[string]int{}
	type acc struct{ lat, lng, n float64 }
	cities := map[string]*acc{}
	const sample = 600
	for range sample {
		slug := syntheticSlug(b.o.seed, rng.IntN(b.o.listings))
		l, err := b.st.Listing(ctx, slug)
		if err != nil {
			return v, fmt.Errorf("read listing %s for the query mix: %w", slug, err)
		}
		for _, w := range strings.FieldsFunc(l.Name, func(r rune) bool { return !unicode.IsLetter(r) }) {
			if len([]rune(w)) >= 4 {
				words[strings.ToLower(w)] = true
			}
		}
		for _, lang := range l.Languages {
			langs[lang]++
		}
		for _, loc := range l.Locations {
			if loc.Kind != directory.Physical || loc.Lat == nil || loc.Lng == nil || loc.City == "" {
				continue
			}
			a := cities[loc.City]
			if a == nil {
				a = &acc{}
				cities[loc.City] = a
			}
			a.lat, a.lng, a.n = a.lat+*loc.Lat, a.lng+*loc.Lng, a.n+1
		}
	}
	for w := range words {
		v.words = append(v.words, w)
	}
	slices.Sort(v.words)
	for l, n := range langs {
		v.languages = append(v.languages, weighted{l, n})
	}
	slices.SortFunc(v.languages, func(a, b weighted) int { return strings.Compare(a.value, b.value) })
	for name, a := range cities {
		v.cities = append(v.cities, city{name: name, lat: a.lat / a.n, lng: a.lng / a.n, n: int(a.n)})
	}
	slices.SortFunc(v.cities, func(a, b city) int { return strings.Compare(a.name, b.name) })
	if len(v.words) == 0 || len(v.tags) < 4 || len(v.languages) == 0 || len(v.cities) == 0 {
		return v, fmt.Errorf("the sampled listings have too little to build a query mix from")
	}
	return v, nil
}

// syntheticSlug is the slug seed.Synthetic gives listing i.
func syntheticSlug(seed int64, i int) string {
	s := strconv.FormatInt(seed, 10)
	if seed < 0 {
		s = "n" + strconv.FormatInt(-seed, 10)
	}
	return "syn-" + s + "-" + strconv.Itoa(i)
}

// shapes are the kinds of search in the mix with their weights: what someone
// looking for a group, or a peer worker, types and ticks.
var shapes = []struct {
	name   string
	weight int
}{
	{"text", 15},
	{"text with a typo", 5},
	{"1-4 needs", 15},
	{"language + needs", 10},
	{"near", 10},
	{"near + needs, by distance", 10},
	{"city + day/time", 5},
	{"text + needs", 10},
	{"needs + language + mode", 5},
	{"needs, partly included", 5},
	{"everything, soonest first", 10},
}

// buildMix draws n searches. Every one is checked with the API's own parser, so
// none is refused.
func buildMix(v vocabulary, rng *rand.Rand, n int, terms search.Vocabulary, perPage int) (mix, error) {
	m := mix{Shapes: map[string]int{}}
	total := 0
	for _, s := range shapes {
		total += s.weight
	}
	for len(m.Queries) < n {
		k := rng.IntN(total)
		shape := ""
		for _, s := range shapes {
			if k < s.weight {
				shape = s.name
				break
			}
			k -= s.weight
		}
		q := v.draw(rng, shape)
		if rng.IntN(20) == 0 {
			q.Set("page", "2")
		}
		raw := q.Encode()
		parsed, err := search.ParseQuery(raw, terms, perPage)
		if err != nil {
			return m, fmt.Errorf("the mix drew a search the API refuses (%s): %w", raw, err)
		}
		m.Queries = append(m.Queries, mixQuery{Raw: raw, Shape: shape, Query: parsed})
		m.Shapes[shape]++
		if parsed.Near == nil {
			m.Cacheable++
		}
	}
	return m, nil
}

func (v vocabulary) draw(rng *rand.Rand, shape string) url.Values {
	q := url.Values{}
	switch shape {
	case "text":
		q.Set("q", v.text(rng, false))
	case "text with a typo":
		q.Set("q", v.text(rng, true))
	case "1-4 needs":
		v.needs(rng, q, 1+rng.IntN(4))
	case "language + needs":
		q.Add("lang", v.language(rng))
		v.needs(rng, q, 1+rng.IntN(3))
	case "near":
		v.near(rng, q)
	case "near + needs, by distance":
		v.near(rng, q)
		v.needs(rng, q, 1+rng.IntN(3))
		q.Set("sort", "distance")
	case "city + day/time":
		q.Set("city", v.city(rng).name)
		q.Add("day", search.Days[rng.IntN(len(search.Days))])
		if rng.IntN(2) == 0 {
			q.Add("day", search.Days[rng.IntN(len(search.Days))])
		}
		q.Add("time", search.PartsOfDay[rng.IntN(len(search.PartsOfDay))])
	case "text + needs":
		q.Set("q", v.text(rng, rng.IntN(5) == 0))
		v.needs(rng, q, 1+rng.IntN(2))
	case "needs + language + mode":
		v.needs(rng, q, 1+rng.IntN(4))
		q.Add("lang", v.language(rng))
		q.Add("mode", string(search.AttendanceModes[rng.IntN(len(search.AttendanceModes))]))
	case "needs, partly included":
		v.needs(rng, q, 2+rng.IntN(3))
		q.Set("include", "partly")
	case "everything, soonest first":
		q.Set("q", v.text(rng, false))
		v.needs(rng, q, 1+rng.IntN(3))
		q.Add("lang", v.language(rng))
		v.near(rng, q)
		q.Add("day", search.Days[rng.IntN(len(search.Days))])
		q.Add("time", search.PartsOfDay[rng.IntN(len(search.PartsOfDay))])
		q.Set("sort", "soonest")
	}
	return q
}

// text is one or two words from the listings' names, one of them misspelt when
// typo is set.
func (v vocabulary) text(rng *rand.Rand, typo bool) string {
	words := []string{v.words[rng.IntN(len(v.words))]}
	if rng.IntN(3) == 0 {
		words = append(words, v.words[rng.IntN(len(v.words))])
	}
	if typo {
		w := []rune(words[0])
		i := rng.IntN(len(w) - 1)
		w[i], w[i+1] = w[i+1], w[i]
		words[0] = string(w)
	}
	return strings.Join(words, " ")
}

func (v vocabulary) needs(rng *rand.Rand, q url.Values, n int) {
	for _, i := range rng.Perm(len(v.tags))[:n] {
		q.Add("need", v.tags[i])
	}
}

func (v vocabulary) language(rng *rand.Rand) string {
	total := 0
	for _, l := range v.languages {
		total += l.n
	}
	k := rng.IntN(total)
	for _, l := range v.languages {
		if k < l.n {
			return l.value
		}
		k -= l.n
	}
	return v.languages[0].value
}

func (v vocabulary) city(rng *rand.Rand) city {
	total := 0
	for _, c := range v.cities {
		total += c.n
	}
	k := rng.IntN(total)
	for _, c := range v.cities {
		if k < c.n {
			return c
		}
		k -= c.n
	}
	return v.cities[0]
}

// near is a point a few kilometres from a city's centre, with a radius someone
// would choose.
func (v vocabulary) near(rng *rand.Rand, q url.Values) {
	c := v.city(rng)
	round := func(f float64) string { return strconv.FormatFloat(math.Round(f*1e4)/1e4, 'f', -1, 64) }
	lat := c.lat + (rng.Float64()-0.5)*0.1
	lng := c.lng + (rng.Float64()-0.5)*0.1
	q.Set("near", round(lat)+","+round(lng))
	q.Set("radius_km", []string{"2", "5", "10", "25"}[rng.IntN(4)])
}
