package seed

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/schedule"
	"github.com/belong-directory/belong/internal/store"
)

// syntheticChunk is how many listings are generated and loaded at a time, which
// bounds memory whatever n is; syntheticLoaders chunks are loaded at once, each in
// its own transaction, so PostgreSQL can use more than one core.
const (
	syntheticChunk   = 5000
	syntheticLoaders = 2
)

// Synthetic adds n generated listings, for benchmarks, and returns how many it
// added. The same seed always generates the same listings (slugs syn-<seed>-<i>,
// with "n" for a minus sign: syn-n7-0; listing i does not depend on n, so a
// larger n extends a smaller run), and listings whose slug already exists are
// skipped, so running it again adds nothing. Each chunk of listings commits
// on its own: a run that stops halfway keeps what it loaded, and running it
// again with the same seed fills in the rest.
func Synthetic(ctx context.Context, st *store.Store, n int, seed int64, now time.Time) (int, error) {
	if n <= 0 {
		return 0, fmt.Errorf("seed: synthetic needs a positive number of listings, got %d", n)
	}
	physical, err := physicalTags(ctx, st)
	if err != nil {
		return 0, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		chunks   = make(chan []directory.Listing)
		loaders  sync.WaitGroup
		mu       sync.Mutex
		added    int
		firstErr error
	)
	for range syntheticLoaders {
		loaders.Go(func() {
			for batch := range chunks {
				k, err := st.BulkInsert(ctx, batch, actor)
				mu.Lock()
				added += k
				if err != nil && firstErr == nil {
					firstErr = fmt.Errorf("seed: synthetic listings %s to %s: %w", batch[0].Slug, batch[len(batch)-1].Slug, err)
					cancel()
				}
				mu.Unlock()
			}
		})
	}
	// One generator makes every listing in order; chunks are new slices because
	// BulkInsert sets the ids of the listings it is given.
	g := newGenerator(seed, now, physical)
generate:
	for start := 0; start < n; start += syntheticChunk {
		batch := make([]directory.Listing, 0, min(syntheticChunk, n-start))
		for i := start; len(batch) < cap(batch); i++ {
			batch = append(batch, g.listing(i))
		}
		select {
		case chunks <- batch:
		case <-ctx.Done():
			break generate
		}
	}
	close(chunks)
	loaders.Wait()
	if firstErr == nil && ctx.Err() != nil {
		firstErr = fmt.Errorf("seed: synthetic: %w", context.Cause(ctx))
	}
	return added, firstErr
}

// generator draws every synthetic listing from one random stream, so listing i
// is the same whatever the chunk size.
type generator struct {
	rng      *rand.Rand
	seed     int64
	prefix   string
	now      time.Time
	today    schedule.Date
	tags     []string // every tag in the taxonomy, sorted
	physical map[string]bool
	pick     []string // scratch space for drawing tags
}

func newGenerator(seed int64, now time.Time, physical map[string]bool) *generator {
	g := &generator{
		rng:      rand.New(rand.NewPCG(uint64(seed), 0x62656c6f6e67)),
		seed:     seed,
		prefix:   "syn-" + seedSlug(seed),
		now:      now,
		today:    schedule.DateOf(now.UTC()),
		physical: physical,
	}
	for slug := range physical {
		g.tags = append(g.tags, slug)
	}
	// Map order is random; sort so the same seed draws the same tags.
	slices.Sort(g.tags)
	return g
}

func seedSlug(seed int64) string {
	if seed < 0 {
		return fmt.Sprintf("n%d", -seed)
	}
	return fmt.Sprint(seed)
}

func (g *generator) listing(i int) directory.Listing {
	r := g.rng
	// Listing i belongs to one of the first i/5+1 organizations: about five
	// listings each on average, the oldest organizations running the most.
	orgIndex := r.IntN(i/5 + 1)
	c := &synCities[orgIndex%len(synCities)]
	lang := "en"
	if r.Float64() < c.spanish {
		lang = "es"
	}
	k := synKinds[r.IntN(len(synKinds))]
	hood := c.hoods[r.IntN(len(c.hoods))]
	slug := fmt.Sprintf("%s-%d", g.prefix, i)

	var name string
	if r.IntN(10) < 3 {
		day, part := synDays[r.IntN(len(synDays))], synParts[r.IntN(len(synParts))]
		qualifier := day.en + " " + part.en
		if lang == "es" {
			qualifier = day.es + " " + part.es
		}
		name = placeName(k.name.in(lang), qualifier, lang)
	} else {
		name = placeName(k.name.in(lang), hood, lang)
	}
	summary := k.summaries[r.IntN(len(k.summaries))].in(lang)
	if r.IntN(10) < 4 {
		summary += " " + synExtras[r.IntN(len(synExtras))].in(lang)
	}
	words := func(s string) string { return strings.ReplaceAll(s, "{sign}", signPhrase(c.country, lang)) }

	l := directory.Listing{
		Slug:         slug,
		Organization: g.organization(orgIndex, c),
		Name:         name,
		Summary:      words(summary),
		Description:  words(k.description.in(lang)),
		WhatToExpect: words(k.expect.in(lang)),
		TextLang:     lang,
		Status:       "published",
		CostNote:     k.cost.in(lang),
		HowToJoin:    k.join.in(lang),
		ConfirmedAt:  g.now.Add(-time.Duration(r.Int64N(int64(548 * 24 * time.Hour)))).Truncate(time.Second),
		ConfirmedBy:  synSources[r.IntN(len(synSources))],
	}
	if r.IntN(50) == 0 {
		l.Status = "draft"
	}
	if r.IntN(30) == 0 {
		l.Paused, l.PausedNote = true, text{"Taking a short break; back soon.", "En pausa por un tiempo; volvemos pronto."}.in(lang)
	}
	domain := l.Organization.Slug + ".example.org"
	switch r.IntN(4) {
	case 1:
		l.Email = "hello@" + domain
	case 2:
		l.Email, l.Website = "hello@"+domain, "https://"+domain+"/groups/"+slug
	case 3:
		l.Phone = g.phone(c.country)
	}

	mode := r.IntN(100)
	onlineOnly, hybrid := mode < 15, mode >= 15 && mode < 20
	if !onlineOnly {
		l.Locations = append(l.Locations, g.place(c, hood, lang, r.IntN(50) == 0))
	}
	if onlineOnly || hybrid {
		loc := directory.Location{Kind: directory.Virtual, Name: synPlatforms[r.IntN(len(synPlatforms))]}
		if r.IntN(10) < 7 {
			loc.URL = "https://meet.example.org/" + slug
			l.HowToJoin = linkJoin.in(lang)
		} else {
			l.HowToJoin = emailJoin.in(lang)
			l.Email = "hello@" + domain
		}
		l.Locations = append(l.Locations, loc)
		if onlineOnly && r.IntN(10) < 3 {
			l.PhoneMeeting = g.phone(c.country) + ", code " + fmt.Sprint(1000+r.IntN(9000))
		}
	}

	for range 1 + r.IntN(2) {
		l.Schedules = append(l.Schedules, g.schedule(c.timeZone))
	}
	l.Tags = g.drawTags(onlineOnly, lang, l.ConfirmedAt, l.ConfirmedBy)
	l.Languages = g.languages(lang, c)
	return l
}

func (g *generator) organization(k int, c *synCity) directory.Organization {
	// Each organization's name comes from its own stream, so it is the same
	// whichever listing names it first.
	r := rand.New(rand.NewPCG(uint64(g.seed), uint64(k)))
	hood := c.hoods[r.IntN(len(c.hoods))]
	first := synOrgFirst[r.IntN(len(synOrgFirst))]
	name := fmt.Sprintf(first.en, hood) + " " + synOrgSecond[r.IntN(len(synOrgSecond))]
	if r.Float64() < c.spanish {
		name = fmt.Sprintf(first.es, hood)
	}
	slug := fmt.Sprintf("%s-org-%d", g.prefix, k)
	return directory.Organization{Slug: slug, Name: name, Website: "https://" + slug + ".example.org"}
}

func (g *generator) place(c *synCity, hood, lang string, discreet bool) directory.Location {
	r := g.rng
	// A normal spread around the centre, cut at three deviations.
	offset := func() float64 { return max(-3, min(3, r.NormFloat64())) * c.spread }
	lat := math.Round((c.lat+offset())*1e5) / 1e5
	lng := math.Round((c.lng+offset()/math.Cos(c.lat*math.Pi/180))*1e5) / 1e5
	street := c.streets[r.IntN(len(c.streets))]
	number := 10 + r.IntN(4000)
	address := fmt.Sprintf("%d %s", number, street)
	if c.country == "ES" || c.country == "MX" {
		address = fmt.Sprintf("%s, %d", street, number)
	}
	loc := directory.Location{
		Kind: directory.Physical, Name: fmt.Sprintf(synVenues[r.IntN(len(synVenues))].in(lang), hood),
		Address: address, Neighbourhood: hood, City: c.name, Region: c.region, Country: c.country,
		Lat: &lat, Lng: &lng,
		TransitNotes: fmt.Sprintf(synTransit[r.IntN(len(synTransit))].in(lang), 2+r.IntN(14)),
		Discreet:     discreet,
	}
	if discreet {
		loc.Name, loc.Address, loc.TransitNotes = "", "", ""
	}
	return loc
}

// synSources weighs who confirmed a synthetic listing: mostly organizers.
var synSources = []directory.Source{directory.ByOrganizer, directory.ByOrganizer, directory.ByModerator, directory.ByImport}

var synByDay = []string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"}

func (g *generator) schedule(timeZone string) directory.Schedule {
	r := g.rng
	s := directory.Schedule{Freq: "WEEKLY", Interval: 1, TimeZone: timeZone, SkipDates: []string{}}
	day := synByDay[r.IntN(7)]
	switch n := r.IntN(10); {
	case n < 5:
		s.ByDay = day
	case n < 6:
		s.ByDay, s.Interval = day, 2
	case n < 7:
		other := synByDay[(slices.Index(synByDay, day)+2+r.IntN(3))%7]
		s.ByDay = day + "," + other
	case n < 9:
		s.Freq = "MONTHLY"
		s.ByDay = fmt.Sprint([]int{1, 2, 3, 4, -1}[r.IntN(5)]) + day
	default:
		s.Freq = "MONTHLY"
		s.ByDay = "1" + day + ",3" + day
	}
	opens := 7*60 + 30*r.IntN(29) // 07:00 to 21:00
	closes := opens + []int{60, 90, 120}[r.IntN(3)]
	s.OpensAt = fmt.Sprintf("%02d:%02d", opens/60, opens%60)
	s.ClosesAt = fmt.Sprintf("%02d:%02d", closes/60, closes%60)
	s.Start = g.today.AddDays(-r.IntN(1000)).String()
	if r.IntN(10) == 0 {
		s.Until = new(g.today.AddDays(30 + r.IntN(200)).String())
	}
	return s
}

// drawTags reports 0 to 8 tags, mostly yes, some partly with a note, some no;
// physical ones never on a listing that meets only online.
func (g *generator) drawTags(onlineOnly bool, lang string, confirmed time.Time, by directory.Source) []directory.ListingTag {
	r := g.rng
	g.pick = g.pick[:0]
	for _, t := range g.tags {
		if !onlineOnly || !g.physical[t] {
			g.pick = append(g.pick, t)
		}
	}
	n := min(r.IntN(9), len(g.pick))
	tags := make([]directory.ListingTag, 0, n)
	for i := range n {
		j := i + r.IntN(len(g.pick)-i)
		g.pick[i], g.pick[j] = g.pick[j], g.pick[i]
		t := directory.ListingTag{Tag: g.pick[i], Value: directory.Yes, Source: by,
			ConfirmedAt: confirmed.Add(-time.Duration(r.IntN(90)) * 24 * time.Hour)}
		switch v := r.IntN(20); {
		case v < 3:
			t.Value, t.Note = directory.Partly, synPartlyNotes[r.IntN(len(synPartlyNotes))].in(lang)
		case v < 5:
			t.Value = directory.No
		}
		tags = append(tags, t)
	}
	return tags
}

// languages gives the text's language and up to two more, mostly local ones.
func (g *generator) languages(lang string, c *synCity) []string {
	r := g.rng
	langs := []string{lang}
	for range r.IntN(3) {
		other := "es"
		if lang == "es" {
			other = "en"
		}
		if r.IntN(3) > 0 {
			other = c.languages[r.IntN(len(c.languages))]
		}
		if !slices.Contains(langs, other) {
			langs = append(langs, other)
		}
	}
	return langs
}

func (g *generator) phone(country string) string {
	format, ok := synPhone[country]
	if !ok {
		format = synPhone["US"]
	}
	return fmt.Sprintf(format, g.rng.IntN(100))
}
