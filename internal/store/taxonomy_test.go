package store_test

import (
	"context"
	"strings"
	"testing"

	"github.com/belong-directory/belong/internal/testenv"
)

func TestTaxonomyIsCompleteInBothLanguages(t *testing.T) {
	ctx := context.Background()
	s := testenv.Store(t)
	en, err := s.Taxonomy(ctx, "en")
	if err != nil {
		t.Fatal(err)
	}
	es, err := s.Taxonomy(ctx, "es")
	if err != nil {
		t.Fatal(err)
	}
	if len(en) < 10 || len(en) != len(es) {
		t.Fatalf("want at least 10 categories in both languages, got %d en and %d es", len(en), len(es))
	}
	tags := 0
	seen := map[string]bool{}
	for i, cat := range en {
		tags += len(cat.Tags)
		if es[i].Label == cat.Label {
			t.Errorf("category %s has the same label in Spanish as in English: %q", cat.Slug, cat.Label)
		}
		for j, tag := range cat.Tags {
			if seen[tag.Slug] {
				t.Errorf("duplicate tag slug %s", tag.Slug)
			}
			seen[tag.Slug] = true
			esTag := es[i].Tags[j]
			if tag.Definition == "" || esTag.Definition == "" || tag.Label == "" || esTag.Label == "" {
				t.Errorf("%s lacks a label or definition in one language", tag.Slug)
			}
			if esTag.Definition == tag.Definition {
				t.Errorf("%s: the Spanish definition is the English one", tag.Slug)
			}
			if !strings.Contains(tag.Slug, ".") {
				t.Errorf("%s is not namespaced", tag.Slug)
			}
		}
	}
	if tags < 35 {
		t.Fatalf("want about 40 tags, got %d", tags)
	}
	// The database enforces label completeness only per row; check coverage directly.
	var missing int
	err = s.Pool().QueryRow(ctx, `SELECT count(*) FROM tags t CROSS JOIN (VALUES ('en'), ('es')) AS l(lang)
		WHERE NOT EXISTS (SELECT 1 FROM tag_labels x WHERE x.tag = t.slug AND x.ui_lang = l.lang)`).Scan(&missing)
	if err != nil || missing != 0 {
		t.Fatalf("%d tag labels missing (err %v)", missing, err)
	}
}

func TestAliasesAreUniquePerScheme(t *testing.T) {
	ctx := context.Background()
	s := testenv.Store(t)
	var dupes, schemes int
	err := s.Pool().QueryRow(ctx, `SELECT count(*) FROM (SELECT scheme, lower(code) FROM tag_aliases
		GROUP BY 1, 2 HAVING count(*) > 1) d`).Scan(&dupes)
	if err != nil || dupes != 0 {
		t.Fatalf("%d aliases repeat within a scheme (err %v)", dupes, err)
	}
	if err := s.Pool().QueryRow(ctx, `SELECT count(DISTINCT scheme) FROM tag_aliases`).Scan(&schemes); err != nil || schemes != 3 {
		t.Fatalf("want aliases in all three schemes, got %d (err %v)", schemes, err)
	}
	cats, err := s.Taxonomy(ctx, "en")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range cats {
		for _, tag := range c.Tags {
			if tag.Slug == "access.step-free" && len(tag.Aliases["meeting_guide"]) > 0 {
				found = true
			}
		}
	}
	if !found {
		t.Fatal("access.step-free should carry its Meeting Guide alias")
	}
}

func TestLanguagesIncludeSignedLanguages(t *testing.T) {
	s := testenv.Store(t)
	langs, err := s.Languages(context.Background(), "es")
	if err != nil {
		t.Fatal(err)
	}
	signed := map[string]bool{}
	for _, l := range langs {
		if l.Signed {
			signed[l.Code] = true
		}
		if l.Code == "en" && l.Name != "inglés" {
			t.Errorf("English named %q in Spanish", l.Name)
		}
	}
	for _, code := range []string{"ase", "bfi", "mfs", "ssp"} {
		if !signed[code] {
			t.Errorf("signed language %s missing", code)
		}
	}
}
