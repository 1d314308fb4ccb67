package store

import (
	"context"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/belong-directory/belong/internal/directory"
)

// Taxonomy returns every category with its tags, labelled in uiLang and falling
// back to English where a label is missing, in display order.
func (s *Store) Taxonomy(ctx context.Context, uiLang string) ([]directory.Category, error) {
	type row struct {
		Category      string   `db:"category"`
		CategoryLabel string   `db:"category_label"`
		Slug          string   `db:"slug"`
		Physical      bool     `db:"physical"`
		Label         string   `db:"label"`
		Definition    string   `db:"definition"`
		Aliases       []string `db:"aliases"`
	}
	rows, err := collect[row](ctx, s, `
		SELECT c.slug AS category,
			coalesce(cl.label, cle.label) AS category_label,
			t.slug, t.physical,
			coalesce(tl.label, tle.label) AS label,
			coalesce(tl.definition, tle.definition) AS definition,
			coalesce((SELECT array_agg(a.scheme || ':' || a.code ORDER BY a.scheme, a.code)
				FROM tag_aliases a WHERE a.tag = t.slug), '{}') AS aliases
		FROM tag_categories c
		JOIN tags t ON t.category = c.slug
		LEFT JOIN tag_category_labels cl ON cl.category = c.slug AND cl.ui_lang = $1
		JOIN tag_category_labels cle ON cle.category = c.slug AND cle.ui_lang = 'en'
		LEFT JOIN tag_labels tl ON tl.tag = t.slug AND tl.ui_lang = $1
		JOIN tag_labels tle ON tle.tag = t.slug AND tle.ui_lang = 'en'
		ORDER BY c.position, t.position`, uiLang)
	if err != nil {
		return nil, translate(err, "load taxonomy")
	}
	var cats []directory.Category
	for _, r := range rows {
		if len(cats) == 0 || cats[len(cats)-1].Slug != r.Category {
			cats = append(cats, directory.Category{Slug: r.Category, Label: r.CategoryLabel})
		}
		t := directory.Tag{Slug: r.Slug, Category: r.Category, Label: r.Label, Definition: r.Definition,
			Physical: r.Physical}
		for _, a := range r.Aliases {
			scheme, code, _ := strings.Cut(a, ":")
			if t.Aliases == nil {
				t.Aliases = map[string][]string{}
			}
			t.Aliases[scheme] = append(t.Aliases[scheme], code)
		}
		cats[len(cats)-1].Tags = append(cats[len(cats)-1].Tags, t)
	}
	return cats, nil
}

// Languages returns every language a group can meet in, named in uiLang.
func (s *Store) Languages(ctx context.Context, uiLang string) ([]directory.Language, error) {
	langs, err := collect[directory.Language](ctx, s, `
		SELECT l.code, l.autonym, l.signed, coalesce(n.name, ne.name, l.autonym) AS name
		FROM languages l
		LEFT JOIN language_names n ON n.language = l.code AND n.ui_lang = $1
		LEFT JOIN language_names ne ON ne.language = l.code AND ne.ui_lang = 'en'
		ORDER BY l.code`, uiLang)
	return langs, translate(err, "load languages")
}

// Cities lists the cities published listings meet in, for the city choice.
func (s *Store) Cities(ctx context.Context) ([]string, error) {
	rows, err := s.pool.Query(ctx, `
		SELECT DISTINCT loc.city FROM locations loc JOIN listings l ON l.id = loc.listing_id
		WHERE l.status = 'published' AND loc.kind = 'physical' AND loc.city <> '' ORDER BY 1`)
	if err != nil {
		return nil, translate(err, "load cities")
	}
	cities, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return cities, translate(err, "load cities")
}
