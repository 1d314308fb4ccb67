package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/belong-directory/belong/internal/search"
)

// The search fallback keeps in search_documents what the indexer writes to
// Meilisearch, and answers search Specs from it with the same meaning.

// UpsertSearchDocuments writes the documents of listings, replacing any earlier
// ones, in one statement. The typed columns and the text vector are derived from
// each document in SQL, so they cannot disagree with it. A document whose listing
// no longer exists is skipped: its deletion removed the row, and the indexer is
// about to handle that deletion. When an id repeats, the last document wins.
func (s *Store) UpsertSearchDocuments(ctx context.Context, docs []search.Document) error {
	if len(docs) == 0 {
		return nil
	}
	at := make(map[string]int, len(docs))
	uniq := make([]search.Document, 0, len(docs))
	for _, d := range docs {
		d = withEmptyLists(d)
		if i, ok := at[d.ID]; ok {
			uniq[i] = d // one INSERT cannot touch a row twice
			continue
		}
		at[d.ID] = len(uniq)
		uniq = append(uniq, d)
	}
	payload, err := json.Marshal(uniq)
	if err != nil {
		return fmt.Errorf("encode search documents: %w", err)
	}
	_, err = s.pool.Exec(ctx, `
		WITH saved AS (
		INSERT INTO search_documents (listing_id, doc, name, sort_key, name_words, tags_yes, tags_offered,
			languages, modes, days, times, slots, city, online_only, paused, confirmed_at, next_at, lat, lng,
			updated_at, tsv)
		SELECT l.id, e.doc, d.name, coalesce(d.sort_key, ''),
			array_remove(regexp_split_to_array(lower(belong_unaccent(coalesce(d.name, ''))), '[^[:alnum:]]+'), ''),
			coalesce(d.tags_yes, '{}'), coalesce(d.tags_offered, '{}'), coalesce(d.languages, '{}'),
			coalesce(d.modes, '{}'), coalesce(d.days, '{}'), coalesce(d.times, '{}'), coalesce(d.slots, '{}'),
			coalesce(d.city, ''), coalesce(d.online_only, false), coalesce(d.paused, false), d.confirmed_at,
			d.next_at, (d._geo->>'lat')::double precision, (d._geo->>'lng')::double precision, d.updated_at,
			belong_field_tsv(coalesce(d.name, ''), 'A') || belong_field_tsv(coalesce(d.summary, ''), 'B') ||
			belong_field_tsv(concat_ws(' ', d.organization, array_to_string(d.tag_labels, ' ')), 'C') ||
			belong_field_tsv(concat_ws(' ', d.what_to_expect, d.description, d.neighbourhood, d.city), 'D')
		FROM jsonb_array_elements($1::jsonb) AS e(doc)
		CROSS JOIN LATERAL jsonb_to_record(e.doc) AS d(id uuid, name text, sort_key text, summary text, description text,
			what_to_expect text, organization text, city text, neighbourhood text, tag_labels text[],
			tags_yes text[], tags_offered text[], languages text[], modes text[], days text[], times text[],
			slots text[], online_only boolean, paused boolean, confirmed_at bigint, next_at bigint,
			updated_at bigint, _geo jsonb)
		JOIN listings l ON l.id = d.id
		-- in one order, so two writers saving the same listings cannot deadlock
		ORDER BY l.id
		ON CONFLICT (listing_id) DO UPDATE SET doc = EXCLUDED.doc, name = EXCLUDED.name,
			sort_key = EXCLUDED.sort_key, name_words = EXCLUDED.name_words, tags_yes = EXCLUDED.tags_yes,
			tags_offered = EXCLUDED.tags_offered, languages = EXCLUDED.languages, modes = EXCLUDED.modes,
			days = EXCLUDED.days, times = EXCLUDED.times, slots = EXCLUDED.slots, city = EXCLUDED.city,
			online_only = EXCLUDED.online_only, paused = EXCLUDED.paused, confirmed_at = EXCLUDED.confirmed_at,
			next_at = EXCLUDED.next_at, lat = EXCLUDED.lat, lng = EXCLUDED.lng, updated_at = EXCLUDED.updated_at,
			tsv = EXCLUDED.tsv
		RETURNING name_words
		)
		-- in one order too
		INSERT INTO search_words (word)
		SELECT DISTINCT w FROM saved, unnest(saved.name_words) AS w ORDER BY w
		ON CONFLICT DO NOTHING`, payload)
	return translate(err, "save search documents")
}

// withEmptyLists gives every list of a document a value, so the stored JSON holds
// [] rather than null and reads back the way BuildDocument makes it.
func withEmptyLists(d search.Document) search.Document {
	for _, list := range []*[]string{&d.TagLabels, &d.TagsYes, &d.TagsPartly, &d.TagsOffered, &d.TagsNo,
		&d.Languages, &d.Modes, &d.Days, &d.Times, &d.Slots} {
		if *list == nil {
			*list = []string{}
		}
	}
	return d
}

// DeleteSearchDocuments removes the documents of listings that are no longer
// searchable. Ids without a document are ignored.
func (s *Store) DeleteSearchDocuments(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	_, err := s.pool.Exec(ctx, `DELETE FROM search_documents WHERE listing_id = ANY($1::uuid[])`, ids)
	return translate(err, "delete search documents")
}

// SearchDocumentIDs maps every stored document's listing id to the listing's
// updated_at (unix seconds), so a check can compare the fallback with the listings.
func (s *Store) SearchDocumentIDs(ctx context.Context) (map[string]int64, error) {
	rows, err := s.pool.Query(ctx, `SELECT listing_id::text, updated_at FROM search_documents`)
	if err != nil {
		return nil, translate(err, "list search documents")
	}
	out := map[string]int64{}
	var id string
	var updated int64
	_, err = pgx.ForEachRow(rows, []any{&id, &updated}, func() error {
		out[id] = updated
		return nil
	})
	if err != nil {
		return nil, translate(err, "list search documents")
	}
	return out, nil
}

// FindDocuments answers each Spec as the Meilisearch backend does, in spec order:
// every Spec in one round trip and one read-only transaction, after a round trip
// to look up the words of names a text's words may be typos of. The places of a
// search (groupSpecs) are answered by one statement, which finds their matches
// once instead of once per place.
func (s *Store) FindDocuments(ctx context.Context, specs []search.Spec) ([]search.Found, error) {
	found := make([]search.Found, len(specs))
	if len(specs) == 0 {
		return found, nil
	}
	texts := make([]search.TextTerms, len(specs))
	var words []string
	for i, sp := range specs {
		t, err := search.FallbackText(sp.Text)
		if err != nil {
			return nil, fmt.Errorf("search listings: %w", err)
		}
		texts[i] = t
		words = append(words, typoParts(t.TypoWords)...)
	}
	typos, err := s.typoCandidates(ctx, words)
	if err != nil {
		return nil, err
	}
	b := &pgx.Batch{}
	b.BeginTx(pgx.TxOptions{AccessMode: pgx.ReadOnly})
	// For this transaction alone, plan every statement for its own values: the
	// statements are cached, and a generic plan would neither fold the text query
	// to a constant nor know how common a tag is. Compiling a plan just in time
	// costs more than these short statements take. And no parallel workers:
	// starting them costs more than they save on statements this short, and
	// when the fallback carries the traffic every core is already busy with
	// other searches (make bench: 26–33 against 35–37 searches a second).
	b.Queue(`SELECT set_config('plan_cache_mode', 'force_custom_plan', true), set_config('jit', 'off', true),
		set_config('max_parallel_workers_per_gather', '0', true)`)
	for _, g := range groupSpecs(specs) {
		if err := queueGroup(b, specs, g, texts, typos, found); err != nil {
			return nil, err
		}
	}
	br := s.pool.SendBatch(ctx, b)
	err = br.Close()
	// Nothing was written; ending the transaction only hands the connection back.
	if rbErr := br.Tx().Rollback(context.WithoutCancel(ctx)); err == nil && !errors.Is(rbErr, pgx.ErrTxClosed) {
		err = rbErr
	}
	if err != nil {
		return nil, translate(err, "search listings")
	}
	return found, nil
}

// groupSpecs splits the indexes of specs into groups, each answered by one
// statement: Specs that differ only in their place (see placeSpec) together,
// in the order they came, and every other Spec alone.
func groupSpecs(specs []search.Spec) [][]int {
	var groups [][]int
	var bases []*search.Spec // each group's place Spec with the place taken out; nil for a Spec alone
	for i, sp := range specs {
		base, ok := placeSpec(sp)
		if ok {
			if g := slices.IndexFunc(bases, func(b *search.Spec) bool { return b != nil && reflect.DeepEqual(*b, base) }); g >= 0 {
				groups[g] = append(groups[g], i)
				continue
			}
		}
		groups = append(groups, []int{i})
		if ok {
			bases = append(bases, &base)
		} else {
			bases = append(bases, nil)
		}
	}
	return groups
}

// queueGroup queues the statement answering the Specs of group into found.
func queueGroup(b *pgx.Batch, specs []search.Spec, group []int, texts []search.TextTerms, typos map[string][]string,
	found []search.Found) error {
	text := texts[group[0]] // the same for every Spec of a group
	if len(group) == 1 {
		sql, args, err := findSQL(specs[group[0]], text, typos)
		if err != nil {
			return err
		}
		f := &found[group[0]]
		b.Queue(sql, args...).QueryRow(func(row pgx.Row) error {
			return row.Scan(&f.Total, &f.Docs, &f.Facets.Tags, &f.Facets.Languages, &f.Facets.Modes,
				&f.Facets.Cities, &f.Facets.OnlineOnly)
		})
		return nil
	}
	these := make([]search.Spec, len(group))
	for k, i := range group {
		these[k] = specs[i]
	}
	sql, args, err := placesSQL(these, text, typos)
	if err != nil {
		return err
	}
	b.Queue(sql, args...).Query(func(rows pgx.Rows) error {
		var k int
		var f search.Found
		_, err := pgx.ForEachRow(rows, []any{&k, &f.Total, &f.Docs}, func() error {
			found[group[k]] = f
			f = search.Found{}
			return nil
		})
		return err
	})
	return nil
}

// typoParts are the words as names are split into words: runs of letters and
// digits, lower-cased (and unaccented by PostgreSQL).
func typoParts(words []string) []string {
	var out []string
	for _, w := range words {
		out = append(out, strings.FieldsFunc(strings.ToLower(w), func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r)
		})...)
	}
	return out
}

// typoCandidates maps each query word to the words of names it may stand for,
// with as many typos as Meilisearch allows a word of its length: none under
// oneTypo letters, one under twoTypos, else two. The edit distance without
// swaps is at most twice the distance with them, which rules out most words
// cheaply before belong_typos counts.
func (s *Store) typoCandidates(ctx context.Context, words []string) (map[string][]string, error) {
	slices.Sort(words)
	words = slices.Compact(words)
	if len(words) == 0 {
		return nil, nil
	}
	q := &query{}
	cols := make([]string, len(words))
	for i, w := range words {
		n := utf8.RuneCountInString(w)
		qw := "belong_unaccent(" + q.arg(w) + ")"
		switch {
		case n < oneTypo || n > maxNameWord+2:
			cols[i] = "ARRAY[" + qw + "]"
		case n < twoTypos:
			// A typo on the first letter counts twice, so one typo keeps it.
			cols[i] = "ARRAY(SELECT word FROM search_words WHERE left(word, 1) = left(" + qw + ", 1) AND length(word) BETWEEN " +
				q.arg(n-1) + " AND " + q.arg(n+1) + " AND levenshtein_less_equal(" + qw + ", word, 2) <= 2 AND belong_typos(" +
				qw + ", word) <= 1)"
		default:
			cols[i] = "ARRAY(SELECT word FROM search_words WHERE length(word) BETWEEN " + q.arg(n-2) + " AND " + q.arg(n+2) +
				" AND levenshtein_less_equal(" + qw + ", word, 4) <= 4 AND belong_typos(" + qw + ", word) <= 2)"
		}
	}
	found := make([][]string, len(words))
	dest := make([]any, len(words))
	for i := range found {
		dest[i] = &found[i]
	}
	if err := s.pool.QueryRow(ctx, "SELECT "+strings.Join(cols, ", "), q.args...).Scan(dest...); err != nil {
		return nil, translate(err, "look up typos")
	}
	out := make(map[string][]string, len(words))
	for i, w := range words {
		out[w] = found[i]
	}
	return out, nil
}

const (
	// Query words shorter than oneTypo letters must match exactly, and words of
	// twoTypos letters or more may have two typos, as search/settings.json sets
	// minWordSizeForTypos for Meilisearch.
	oneTypo, twoTypos = 4, 8
	// maxNameWord bounds the words of names, which are at most 200 characters; a
	// longer query word cannot be a typo of one (and levenshtein_less_equal
	// refuses words over 255 characters).
	maxNameWord = 200
	// earthKm is the radius search.DistanceKm uses, so distances agree.
	earthKm = 6371.0088
)

// query collects a statement's arguments and hands out their placeholders.
type query struct{ args []any }

func (q *query) arg(v any) string {
	q.args = append(q.args, v)
	return "$" + strconv.Itoa(len(q.args))
}

// match is what a Spec asks of search_documents, as SQL: the columns a page
// is ordered by, the conditions, and the order. Values only ever travel as
// arguments of q.
type match struct {
	q     *query
	from  string // what the matches are read from: search_documents, or nearby (see near)
	cols  []string
	where []string
	order []string
	tags  string // the tag column needs are matched against
}

// matchOf builds the match of sp. Its place conditions (a city, meeting only
// online, or with a place) are left out when withPlace is false, for a
// statement that answers several places at once; its columns and order are
// left out when ordered is false, for a statement that only counts.
func matchOf(q *query, sp search.Spec, text search.TextTerms, typos map[string][]string, withPlace, ordered bool) (match, error) {
	switch sp.Sort {
	case search.ByRelevance, "", search.ByDistance, search.BySoonest, search.ByRecentlyConfirmed:
	default:
		return match{}, fmt.Errorf("search listings: unknown sort %q", sp.Sort)
	}
	m := match{q: q, from: "search_documents", tags: "tags_yes", cols: []string{"listing_id", "sort_key"}}
	if sp.Partly {
		m.tags = "tags_offered"
	}
	m.where = []string{"NOT paused", "confirmed_at >= " + q.arg(sp.ConfirmedSince)}
	if len(sp.Needs) > 0 {
		m.where = append(m.where, m.tags+" @> "+q.arg(sp.Needs)+"::text[]")
	}
	for _, choice := range []struct {
		column string
		values []string
	}{{"tags_offered", sp.NeedsAny}, {"languages", sp.Languages}, {"modes", sp.Modes}, {"days", sp.Days}, {"times", sp.Times}, {"slots", sp.Slots}} {
		if len(choice.values) > 0 {
			m.where = append(m.where, choice.column+" && "+q.arg(choice.values)+"::text[]")
		}
	}
	if withPlace {
		switch {
		case sp.City != "" && sp.WithPlace:
			m.where = append(m.where, "lower(city) = lower("+q.arg(sp.City)+")")
		case sp.City != "":
			m.where = append(m.where, "(lower(city) = lower("+q.arg(sp.City)+") OR online_only)")
		}
		switch {
		case sp.OnlineOnly:
			m.where = append(m.where, "online_only")
		case sp.WithPlace:
			m.where = append(m.where, "NOT online_only")
		}
	}
	if sp.Near != nil && sp.RadiusKm > 0 {
		m.from = near(q, *sp.Near, sp.RadiusKm)
	}
	if len(text.Terms) > 0 {
		match := "tsv @@ " + tsquery(q, text.Terms)
		if named := typoMatch(q, typoParts(text.TypoWords), typos); named != "" {
			match += " OR " + named
		}
		m.where = append(m.where, "("+match+")")
	}
	if !ordered {
		return m, nil
	}
	if sp.Near != nil {
		m.cols = append(m.cols, "CASE WHEN lat IS NOT NULL THEN "+haversine(q, *sp.Near)+" END AS distance")
	}
	// Ties, and everything when no text ranks it, come in sort_key order, as
	// from Meilisearch, so a search that fails over between pages goes on in
	// the same order.
	relevance := []string{"sort_key", "listing_id"}
	if len(text.Terms) > 0 {
		m.cols = append(m.cols, "ts_rank(tsv, "+tsquery(q, text.Terms)+") AS rank")
		relevance = append([]string{"rank DESC"}, relevance...)
	}
	switch sp.Sort {
	case search.ByRelevance, "":
	case search.ByDistance:
		if sp.Near != nil {
			m.order = append(m.order, "distance ASC NULLS LAST")
		}
	case search.BySoonest:
		m.cols = append(m.cols, "next_at")
		m.order = append(m.order, "next_at ASC NULLS LAST")
	case search.ByRecentlyConfirmed:
		m.cols = append(m.cols, "confirmed_at")
		m.order = append(m.order, "confirmed_at DESC")
	}
	if sp.PreferLang != "" {
		// As Meilisearch sorts on meets_in.<lang>: after the chosen sort,
		// before relevance.
		m.cols = append(m.cols, "languages @> ARRAY["+q.arg(sp.PreferLang)+"::text] AS preferred")
		m.order = append(m.order, "preferred DESC")
	}
	m.order = append(m.order, relevance...)
	return m, nil
}

// conditions is the match's WHERE clause.
func (m match) conditions() string { return strings.Join(m.where, "\n\t\t\tAND ") }

// findSQL is the one statement that answers a Spec: its matches (m), their page
// in order, the total and, when asked, facet counts over every match. A Spec
// that asks only for its total is counted without ranking anything.
func findSQL(sp search.Spec, text search.TextTerms, typos map[string][]string) (string, []any, error) {
	q := &query{}
	countOnly := sp.Limit <= 0 && !sp.Facets
	m, err := matchOf(q, sp, text, typos, true, !countOnly)
	if err != nil {
		return "", nil, err
	}
	if countOnly {
		return `SELECT count(*), '[]'::jsonb, ` + facetColumns(false) + `
		FROM ` + m.from + `
		WHERE ` + m.conditions(), q.args, nil
	}
	if len(sp.CloseTo) > 0 {
		return closeSQL(m, sp), q.args, nil
	}
	cols := m.cols
	if sp.Facets {
		cols = append(cols, m.tags+" AS tags", "languages", "modes", "city", "online_only")
	}
	sql := `WITH m AS MATERIALIZED (
		SELECT ` + strings.Join(cols, ", ") + `
		FROM ` + m.from + `
		WHERE ` + m.conditions() + `
	), page AS (
		SELECT * FROM m ORDER BY ` + strings.Join(m.order, ", ") + `
		LIMIT ` + q.arg(max(sp.Limit, 0)) + ` OFFSET ` + q.arg(max(sp.Offset, 0)) + `
	)
	SELECT (SELECT count(*) FROM m),
		(SELECT coalesce(jsonb_agg(d.doc ORDER BY ` + qualified("p", m.order) + `), '[]')
			FROM page p JOIN search_documents d ON d.listing_id = p.listing_id),
		` + facetColumns(sp.Facets)
	return sql, q.args, nil
}

// closeSQL answers a Spec asking for close matches (CloseTo) as search.closest
// ranks them: the first CloseAmong matches in the usual order are the
// candidates, ranked by how many of the needs each meets and how many more in
// part, counted from the tag columns the covering index carries; only the
// Limit ranked first are read whole. Its total is the number of candidates.
func closeSQL(m match, sp search.Spec) string {
	met := make([]string, len(sp.CloseTo))
	partly := []string{"0"}
	for i, need := range sp.CloseTo {
		n := "ARRAY[" + m.q.arg(need) + "::text]"
		// m.tags is tags_offered when Partly: a need met in part is met.
		met[i] = "(" + m.tags + " @> " + n + ")::int"
		if !sp.Partly {
			partly = append(partly, "(tags_offered @> "+n+" AND NOT tags_yes @> "+n+")::int")
		}
	}
	notAll := ""
	if sp.NotAll {
		notAll = "WHERE met < " + m.q.arg(len(sp.CloseTo))
	}
	order := strings.Join(m.order, ", ")
	return `WITH candidates AS (
		SELECT ` + strings.Join(m.cols, ", ") + `, tags_yes, tags_offered
		FROM ` + m.from + `
		WHERE ` + m.conditions() + `
		ORDER BY ` + order + `
		LIMIT ` + m.q.arg(sp.CloseAmong) + `
	), ranked AS (
		SELECT listing_id, ` + strings.Join(met, " + ") + ` AS met, ` + strings.Join(partly, " + ") + ` AS partly,
			row_number() OVER (ORDER BY ` + order + `) AS nth
		FROM candidates
	), page AS (
		SELECT * FROM ranked
		` + notAll + `
		ORDER BY met DESC, partly DESC, nth
		LIMIT ` + m.q.arg(max(sp.Limit, 0)) + `
	)
	SELECT (SELECT count(*) FROM candidates),
		(SELECT coalesce(jsonb_agg(d.doc ORDER BY p.met DESC, p.partly DESC, p.nth), '[]')
			FROM page p JOIN search_documents d ON d.listing_id = p.listing_id),
		` + facetColumns(false)
}

// placeSpec reports whether sp asks for one place, a city with a place or
// meeting only online, and returns it with that place taken out: the Specs
// of one search that differ only in their place are answered by one statement.
func placeSpec(sp search.Spec) (search.Spec, bool) {
	city := sp.City != "" && sp.WithPlace && !sp.OnlineOnly
	online := sp.OnlineOnly && sp.City == "" && !sp.WithPlace
	if !(city || online) || sp.Facets || sp.Limit <= 0 || len(sp.CloseTo) > 0 {
		return sp, false
	}
	sp.City, sp.WithPlace, sp.OnlineOnly = "", false, false
	return sp, true
}

// placesSQL answers Specs that differ only in their place (see placeSpec) in
// one statement: their matches are found in one pass, then numbered within
// each place in the Specs' order. It returns a row per Spec, in Spec order:
// its index, total and page.
func placesSQL(specs []search.Spec, text search.TextTerms, typos map[string][]string) (string, []any, error) {
	q := &query{}
	base, _ := placeSpec(specs[0])
	m, err := matchOf(q, base, text, typos, false, true)
	if err != nil {
		return "", nil, err
	}
	// A place is (meeting only online, lower-cased city); the online place has
	// no city.
	values := make([]string, len(specs))
	online := false
	for i, sp := range specs {
		if sp.OnlineOnly {
			online = true
			values[i] = "(" + strconv.Itoa(i) + ", true, '')"
		} else {
			values[i] = "(" + strconv.Itoa(i) + ", false, lower(" + q.arg(sp.City) + "::text))"
		}
	}
	if !online {
		m.where = append(m.where, "NOT online_only")
	}
	sql := `WITH places(i, place_online, place_city) AS (VALUES ` + strings.Join(values, ", ") + `),
	m AS MATERIALIZED (
		SELECT p.i, ` + strings.Join(m.cols, ", ") + `
		FROM ` + m.from + `
		JOIN places p ON p.place_online = online_only AND p.place_city = CASE WHEN online_only THEN '' ELSE lower(city) END
		WHERE ` + m.conditions() + `
	), totals AS (
		SELECT i, count(*) AS total FROM m GROUP BY i
	), numbered AS (
		SELECT i, listing_id, row_number() OVER (PARTITION BY i ORDER BY ` + strings.Join(m.order, ", ") + `) AS nth
		FROM m
	)
	SELECT p.i, coalesce(t.total, 0),
		coalesce(jsonb_agg(d.doc ORDER BY n.nth) FILTER (WHERE d.doc IS NOT NULL), '[]')
	FROM places p
	LEFT JOIN totals t ON t.i = p.i
	LEFT JOIN numbered n ON n.i = p.i AND n.nth > ` + q.arg(max(base.Offset, 0)) + ` AND n.nth <= ` +
		q.arg(max(base.Offset, 0)+base.Limit) + `
	LEFT JOIN search_documents d ON d.listing_id = n.listing_id
	GROUP BY p.i, t.total ORDER BY p.i`
	return sql, q.args, nil
}

// typoMatch is the SQL condition that every word is in the name, or a word it
// may be a typo of; "" when some word has none, so it cannot match.
func typoMatch(q *query, words []string, typos map[string][]string) string {
	if len(words) == 0 || slices.ContainsFunc(words, func(w string) bool { return len(typos[w]) == 0 }) {
		return ""
	}
	and := make([]string, len(words))
	for i, w := range words {
		and[i] = "name_words && " + q.arg(typos[w]) + "::text[]"
	}
	return strings.Join(and, " AND ")
}

// facetColumns count, over every match, the matches holding each tag, language,
// mode and city, as JSON objects, and those meeting only online; NULLs and 0
// when facets were not asked for.
func facetColumns(asked bool) string {
	if !asked {
		return "NULL::jsonb, NULL::jsonb, NULL::jsonb, NULL::jsonb, 0"
	}
	var cols []string
	for _, column := range []string{"tags", "languages", "modes"} {
		cols = append(cols, `(SELECT coalesce(jsonb_object_agg(value, n), '{}') FROM (
			SELECT unnest(`+column+`) AS value, count(*) AS n FROM m GROUP BY 1) AS f)`)
	}
	// Cities as Meilisearch counts a facet: by value, the empty one left out.
	cols = append(cols, `(SELECT coalesce(jsonb_object_agg(city, n), '{}') FROM (
			SELECT city, count(*) AS n FROM m WHERE city <> '' GROUP BY 1) AS f)`,
		`(SELECT count(*) FROM m WHERE online_only)::int`)
	return strings.Join(cols, ",\n\t\t")
}

func qualified(table string, order []string) string {
	out := make([]string, len(order))
	for i, o := range order {
		out[i] = table + "." + o
	}
	return strings.Join(out, ", ")
}

// tsquery is the SQL for the text search query of terms: every term, each as any
// of its alternatives, stemmed as English or as Spanish, unaccented.
func tsquery(q *query, terms [][]string) string {
	and := make([]string, 0, len(terms))
	for _, term := range terms {
		or := make([]string, 0, 2*len(term))
		for _, alt := range term {
			p := q.arg(alt)
			or = append(or, "websearch_to_tsquery('english', belong_unaccent("+p+"))",
				"websearch_to_tsquery('spanish', belong_unaccent("+p+"))")
		}
		and = append(and, "("+strings.Join(or, " || ")+")")
	}
	return "(" + strings.Join(and, " && ") + ")"
}

// near is the listings within km of p, and every listing meeting only online,
// as a derived table to read matches from. It is two branches, each with an
// index of its own (migration 00016): the online-only listings, from a small
// covering index, and those with a place inside the box around p, from an
// index on their coordinates, before the exact distance. As one condition
// (inside the box OR meeting only online), no index could serve it and every
// near search read the whole covering index of 00014.
func near(q *query, p search.Point, km float64) string {
	return "(SELECT * FROM search_documents WHERE online_only\n\t\tUNION ALL SELECT * FROM search_documents WHERE NOT online_only AND " +
		withinBox(q, p, km) + " AND " + haversine(q, p) + " <= " + q.arg(km) + "::float8) AS nearby"
}

// haversine is the SQL for the great-circle distance in km from p to a document,
// the formula of search.DistanceKm.
func haversine(q *query, p search.Point) string {
	lat, lng := q.arg(p.Lat)+"::float8", q.arg(p.Lng)+"::float8"
	return "(2 * " + strconv.FormatFloat(earthKm, 'f', -1, 64) + " * asin(least(1, sqrt(" +
		"power(sin(radians(lat - " + lat + ") / 2), 2) + cos(radians(" + lat + ")) * cos(radians(lat)) * " +
		"power(sin(radians(lng - " + lng + ") / 2), 2)))))"
}

// withinBox is a cheap latitude/longitude box around p holding every point within
// km of it, checked before the exact distance. Near a pole or the antimeridian only
// latitude is bounded.
func withinBox(q *query, p search.Point, km float64) string {
	dLat := km / earthKm * 180 / math.Pi * 1.001
	box := "lat BETWEEN " + q.arg(p.Lat-dLat) + "::float8 AND " + q.arg(p.Lat+dLat) + "::float8"
	if math.Abs(p.Lat)+dLat >= 89 {
		return box
	}
	dLng := math.Asin(math.Min(1, math.Sin(km/earthKm)/math.Cos(p.Lat*math.Pi/180))) * 180 / math.Pi * 1.001
	if p.Lng-dLng < -180 || p.Lng+dLng > 180 {
		return box
	}
	return box + " AND lng BETWEEN " + q.arg(p.Lng-dLng) + "::float8 AND " + q.arg(p.Lng+dLng) + "::float8"
}

// SimilarWords finds up to limit words of listing names spelt like word, closest
// first: as many letters apart as Meilisearch forgives typos and two more, so
// they are words a typo did not already reach. Words are read unaccented and
// in lower case, as names are split into search_words.
func (s *Store) SimilarWords(ctx context.Context, word string, limit int) ([]string, error) {
	parts := typoParts([]string{word})
	if len(parts) != 1 {
		return nil, nil
	}
	n := utf8.RuneCountInString(parts[0])
	if n < 3 || n > maxNameWord {
		return nil, nil
	}
	most := 3
	if n < oneTypo+2 {
		most = 2
	}
	rows, err := s.pool.Query(ctx, `
		SELECT word FROM (
			SELECT word, levenshtein_less_equal(belong_unaccent($1), word, $2) AS d FROM search_words
			WHERE length(word) BETWEEN $3 AND $4 AND word <> belong_unaccent($1)) AS w
		WHERE d <= $2 ORDER BY d, word LIMIT $5`, parts[0], most, n-most, n+most, limit)
	if err != nil {
		return nil, translate(err, "find similar words")
	}
	words, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return words, translate(err, "find similar words")
}
