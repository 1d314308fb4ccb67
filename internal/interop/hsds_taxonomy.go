package interop

import (
	"strings"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/interop/hsds"
)

// The two taxonomies belong publishes: its own barrier taxonomy (categories,
// each with its tags) and the Open Eligibility terms the hsds alias table says
// some tags mean the same as.
var (
	barrierTaxonomy = hsds.Taxonomy{ID: nameID("taxonomy", "belong-barriers"), Name: "belong barrier taxonomy",
		Description: "What a space offers to take down the barriers that keep people out: cost, access, " +
			"language, childcare, paperwork, identity safety, sensory needs, getting there. Tags describe " +
			"spaces, never people. A tag a service has not reported is absent; absent is never no.",
		Version: "1"}
	openEligibility = hsds.Taxonomy{ID: nameID("taxonomy", "open-eligibility"), Name: "Open Eligibility",
		Description: "The Open Eligibility taxonomy of human services, for the terms a belong tag means the same as.",
		URI:         "https://github.com/auntbertha/openeligibility"}
)

// openEligibilityPrefix starts the codes of the hsds alias table.
const openEligibilityPrefix = "open-eligibility:"

func tagTermID(slug string) string      { return nameID("term", slug) }
func categoryTermID(slug string) string { return nameID("term", "category", slug) }
func aliasTermID(code string) string    { return nameID("term", code) }

// terms is the published vocabulary, in order, with an index by id.
type terms struct {
	all  []hsds.TaxonomyTerm
	byID map[string]hsds.TaxonomyTerm
}

// buildTerms turns the taxonomy into HSDS terms: each category a top-level term
// of the barrier taxonomy with its tags below it, then the Open Eligibility
// terms of the alias table.
func buildTerms(cats []directory.Category) *terms {
	t := &terms{byID: map[string]hsds.TaxonomyTerm{}}
	add := func(term hsds.TaxonomyTerm) {
		if _, dup := t.byID[term.ID]; dup {
			return
		}
		t.all = append(t.all, term)
		t.byID[term.ID] = term
	}
	var aliases []hsds.TaxonomyTerm
	for _, c := range cats {
		parent := categoryTermID(c.Slug)
		add(hsds.TaxonomyTerm{ID: parent, Code: c.Slug, Name: c.Label, Description: "Tags about " +
			strings.ToLower(c.Label) + ".", Taxonomy: barrierTaxonomy.Name, TaxonomyID: barrierTaxonomy.ID,
			Language: exportLang})
		for _, tag := range c.Tags {
			add(hsds.TaxonomyTerm{ID: tagTermID(tag.Slug), Code: tag.Slug, Name: tag.Label, Description: tag.Definition,
				ParentID: parent, Taxonomy: barrierTaxonomy.Name, TaxonomyID: barrierTaxonomy.ID, Language: exportLang})
			for _, code := range tag.Aliases["hsds"] {
				name, ok := strings.CutPrefix(code, openEligibilityPrefix)
				if !ok {
					continue
				}
				aliases = append(aliases, hsds.TaxonomyTerm{ID: aliasTermID(code), Code: name, Name: name,
					Description: "Open Eligibility term " + name + ", which means the same as belong's \"" +
						tag.Label + "\" (" + tag.Slug + ").",
					Taxonomy: openEligibility.Name, TaxonomyID: openEligibility.ID, Language: exportLang})
			}
		}
	}
	for _, a := range aliases {
		add(a)
	}
	return t
}

// taxonomies are the vocabularies terms come from.
func taxonomies() []hsds.Taxonomy { return []hsds.Taxonomy{barrierTaxonomy, openEligibility} }
