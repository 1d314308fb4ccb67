package search

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"
	"sync"
	"unicode"

	indexdef "github.com/belong-directory/belong/search"
)

// DocumentFinder answers Specs from the copy of the search documents kept in
// PostgreSQL; *store.Store is one.
type DocumentFinder interface {
	FindDocuments(ctx context.Context, specs []Spec) ([]Found, error)
}

// PostgresBackend is the fallback Backend: it answers from PostgreSQL, with the
// same filters, sorts and facets as Meilisearch, when Meilisearch cannot.
type PostgresBackend struct {
	finder DocumentFinder
}

// NewPostgresBackend answers through f.
func NewPostgresBackend(f DocumentFinder) *PostgresBackend {
	return &PostgresBackend{finder: f}
}

// Name is the engine name results report.
func (b *PostgresBackend) Name() string { return "postgres" }

// Find runs every spec; the answers come back in spec order.
func (b *PostgresBackend) Find(ctx context.Context, specs []Spec) ([]Found, error) {
	return b.finder.FindDocuments(ctx, specs)
}

// fallbackMaxWords is how much of a query Meilisearch reads: its first ten words.
const fallbackMaxWords = 10

// TextTerms is the text of a Spec as the PostgreSQL fallback matches it, with the
// meaning Meilisearch gives it: the first ten words, stop words left out, each
// remaining word matching, and the index's synonyms of a word or phrase matching
// in its place.
type TextTerms struct {
	// Terms must each match; a term matches when any one of its alternatives
	// does. An alternative is input for PostgreSQL's websearch_to_tsquery: a word,
	// a -word that must be absent, or a "quoted phrase". No terms means no text
	// condition at all: the text held no letter or digit, or only stop words.
	Terms [][]string
	// TypoWords, when there are any, may instead each be found in the name with
	// typos. There are none when the text quotes a phrase or leaves a word out,
	// whose meaning typos would lose.
	TypoWords []string
}

// FallbackText splits a query's text into TextTerms. A text with a quoted
// phrase is kept whole, as one term, so the phrase keeps its meaning.
func FallbackText(text string) (TextTerms, error) {
	lex, err := loadFallbackLexicon()
	if err != nil {
		return TextTerms{}, err
	}
	text = strings.ReplaceAll(strings.ToValidUTF8(text, ""), "\x00", "")
	if !strings.ContainsFunc(text, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
		return TextTerms{}, nil
	}
	words := strings.Fields(text)
	words = words[:min(len(words), fallbackMaxWords)]
	if whole := strings.Join(words, " "); strings.Contains(whole, `"`) {
		return TextTerms{Terms: [][]string{{whole}}}, nil
	}
	var t TextTerms
	typos := true
	for i := 0; i < len(words); {
		n, alts := lex.synonymsAt(words[i:])
		switch {
		case n > 0:
			term := []string{fallbackPhrase(strings.Join(words[i:i+n], " "))}
			for _, a := range alts {
				term = append(term, fallbackPhrase(a))
			}
			t.Terms = append(t.Terms, term)
			t.TypoWords = append(t.TypoWords, words[i:i+n]...)
			i += n
			continue
		case lex.stop[foldAccents(words[i])]:
		case len(words[i]) > 1 && strings.HasPrefix(words[i], "-"):
			t.Terms = append(t.Terms, []string{words[i]})
			typos = false
		default:
			t.Terms = append(t.Terms, []string{words[i]})
			t.TypoWords = append(t.TypoWords, words[i])
		}
		i++
	}
	if !typos {
		t.TypoWords = nil
	}
	return t, nil
}

// fallbackPhrase quotes words that must match together.
func fallbackPhrase(s string) string {
	if strings.Contains(s, " ") {
		return `"` + s + `"`
	}
	return s
}

// fallbackLexicon is the index definition's word lists, as Meilisearch applies
// them: synonyms of a folded word or phrase, and the stop words of every language.
type fallbackLexicon struct {
	synonyms map[string][]string
	longest  int // words in the longest phrase with synonyms
	stop     map[string]bool
}

var loadFallbackLexicon = sync.OnceValues(func() (fallbackLexicon, error) {
	raw, err := fs.ReadFile(indexdef.FS, "synonyms.json")
	if err != nil {
		return fallbackLexicon{}, err
	}
	var byWord map[string][]string
	if err := json.Unmarshal(raw, &byWord); err != nil {
		return fallbackLexicon{}, fmt.Errorf("search/synonyms.json: %w", err)
	}
	lex := fallbackLexicon{synonyms: map[string][]string{}, longest: 1, stop: map[string]bool{}}
	for k, v := range byWord {
		key := foldAccents(k)
		lex.synonyms[key] = append(lex.synonyms[key], v...)
		lex.longest = max(lex.longest, len(strings.Fields(key)))
	}
	files, err := fs.Glob(indexdef.FS, "stopwords/*.txt")
	if err != nil {
		return fallbackLexicon{}, err
	}
	for _, f := range files {
		raw, err := fs.ReadFile(indexdef.FS, f)
		if err != nil {
			return fallbackLexicon{}, err
		}
		for _, line := range strings.Split(string(raw), "\n") {
			if w := strings.TrimSpace(line); w != "" && !strings.HasPrefix(w, "#") {
				lex.stop[foldAccents(w)] = true
			}
		}
	}
	return lex, nil
})

// onlyStopWords reports whether text has words and all of them are stop words,
// which leaves nothing to search for in either engine.
func onlyStopWords(text string) bool {
	lex, err := loadFallbackLexicon()
	if err != nil {
		return false
	}
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	for _, w := range words {
		if !lex.stop[foldAccents(w)] {
			return false
		}
	}
	return len(words) > 0
}

// synonymsAt finds the longest phrase with synonyms that words start with, and
// returns how many words it takes and its synonyms.
func (lex fallbackLexicon) synonymsAt(words []string) (int, []string) {
	for n := min(lex.longest, len(words)); n > 0; n-- {
		if alts, ok := lex.synonyms[foldAccents(strings.Join(words[:n], " "))]; ok {
			return n, alts
		}
	}
	return 0, nil
}

// accentFolder folds the accented letters of the languages the word lists are
// written in, so "recuperacion" finds the synonyms of "recuperación" as
// Meilisearch's normalizer does. Matching itself is unaccented by PostgreSQL.
var accentFolder = strings.NewReplacer("á", "a", "à", "a", "â", "a", "ä", "a", "ã", "a", "é", "e", "è", "e",
	"ê", "e", "ë", "e", "í", "i", "ì", "i", "î", "i", "ï", "i", "ó", "o", "ò", "o", "ô", "o", "ö", "o",
	"õ", "o", "ú", "u", "ù", "u", "û", "u", "ü", "u", "ñ", "n", "ç", "c")

func foldAccents(s string) string {
	return accentFolder.Replace(strings.ToLower(strings.Join(strings.Fields(s), " ")))
}
