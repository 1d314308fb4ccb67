package store

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/belong-directory/belong/internal/directory"
)

// AddNeedCounts adds searches to the unmet-needs counters in one statement: a
// cell that exists grows, a new one starts at its count.
func (s *Store) AddNeedCounts(ctx context.Context, counts []directory.NeedCount) error {
	if len(counts) == 0 {
		return nil
	}
	weeks := make([]time.Time, len(counts))
	needs := make([]string, len(counts))
	places := make([]string, len(counts))
	outcomes := make([]string, len(counts))
	searches := make([]int64, len(counts))
	for i, c := range counts {
		weeks[i], places[i], outcomes[i], searches[i] = c.Week, c.Place, string(c.Outcome), c.Searches
		// unnest flattens arrays of arrays, so each combination travels as one
		// string; tag slugs never hold a comma.
		needs[i] = strings.Join(c.Needs, ",")
	}
	_, err := s.pool.Exec(ctx, `INSERT INTO need_counts AS n (week, needs, place, outcome, searches)
		SELECT w, string_to_array(nd, ','), p, o, c
		FROM unnest($1::date[], $2::text[], $3::text[], $4::text[], $5::bigint[]) AS u(w, nd, p, o, c)
		ON CONFLICT (week, needs, place, outcome) DO UPDATE SET searches = n.searches + EXCLUDED.searches`,
		weeks, needs, places, outcomes, searches)
	return translate(err, "add need counts")
}

// NeedCounts returns the cells of the weeks from since on that hold at least
// atLeast searches, most searches first.
func (s *Store) NeedCounts(ctx context.Context, since time.Time, atLeast int64) ([]directory.NeedCount, error) {
	rows, err := s.pool.Query(ctx, `SELECT week, needs, place, outcome, searches FROM need_counts
		WHERE week >= $1 AND searches >= $2 ORDER BY searches DESC, week, needs, place, outcome`, since, atLeast)
	if err != nil {
		return nil, translate(err, "load need counts")
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (directory.NeedCount, error) {
		var c directory.NeedCount
		err := r.Scan(&c.Week, &c.Needs, &c.Place, &c.Outcome, &c.Searches)
		c.Week = c.Week.UTC()
		return c, err
	})
	return out, translate(err, "load need counts")
}
