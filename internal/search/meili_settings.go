package search

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/meilisearch/meilisearch-go"

	indexdef "github.com/belong-directory/belong/search"
)

// indexSettings is the index definition: apply is what is sent; want holds only
// what the definition states, so defaults Meilisearch fills in do not count as a
// difference.
type indexSettings struct {
	apply *meilisearch.Settings
	want  map[string]any
}

// setValued settings are sets in Meilisearch, which hands them back in its own order.
var setValued = []string{"filterableAttributes", "sortableAttributes", "stopWords"}

var loadSettings = sync.OnceValues(func() (indexSettings, error) {
	raw, err := fs.ReadFile(indexdef.FS, "settings.json")
	if err != nil {
		return indexSettings{}, err
	}
	var apply meilisearch.Settings
	dec := json.NewDecoder(bytes.NewReader(raw))
	// A setting the client library does not know would be dropped without a word.
	dec.DisallowUnknownFields()
	if err := dec.Decode(&apply); err != nil {
		return indexSettings{}, fmt.Errorf("search/settings.json: %w", err)
	}
	want := map[string]any{}
	if err := json.Unmarshal(raw, &want); err != nil {
		return indexSettings{}, fmt.Errorf("search/settings.json: %w", err)
	}

	raw, err = fs.ReadFile(indexdef.FS, "synonyms.json")
	if err != nil {
		return indexSettings{}, err
	}
	if err := json.Unmarshal(raw, &apply.Synonyms); err != nil {
		return indexSettings{}, fmt.Errorf("search/synonyms.json: %w", err)
	}

	apply.StopWords, err = stopWords()
	if err != nil {
		return indexSettings{}, err
	}
	// Round-trip synonyms and stop words so want holds them as JSON does.
	var extra map[string]any
	b, _ := json.Marshal(map[string]any{"synonyms": apply.Synonyms, "stopWords": apply.StopWords})
	_ = json.Unmarshal(b, &extra)
	for k, v := range extra {
		want[k] = v
	}
	for _, k := range setValued {
		want[k] = sortedList(want[k])
	}
	return indexSettings{apply: &apply, want: want}, nil
})

// stopWords is the union of every language's list: a listing written in one
// language is searched in the other too.
func stopWords() ([]string, error) {
	files, err := fs.Glob(indexdef.FS, "stopwords/*.txt")
	if err != nil {
		return nil, err
	}
	words := []string{}
	for _, f := range files {
		b, err := fs.ReadFile(indexdef.FS, f)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		for sc.Scan() {
			if w := strings.TrimSpace(sc.Text()); w != "" && !strings.HasPrefix(w, "#") {
				words = append(words, w)
			}
		}
	}
	slices.Sort(words)
	return slices.Compact(words), nil
}

// satisfiedBy reports whether current already holds every setting the definition states.
func (s indexSettings) satisfiedBy(current *meilisearch.Settings) bool {
	b, err := json.Marshal(current)
	if err != nil {
		return false
	}
	var have map[string]any
	if err := json.Unmarshal(b, &have); err != nil {
		return false
	}
	for _, k := range setValued {
		have[k] = sortedList(have[k])
	}
	return covers(have, s.want)
}

// covers reports whether have holds want: objects may carry more keys than want
// names, everything else must be equal.
func covers(have, want any) bool {
	wm, ok := want.(map[string]any)
	if !ok {
		return reflect.DeepEqual(have, want)
	}
	hm, ok := have.(map[string]any)
	if !ok {
		return false
	}
	for k, w := range wm {
		if !covers(hm[k], w) {
			return false
		}
	}
	return true
}

func sortedList(v any) any {
	list, ok := v.([]any)
	if !ok {
		return v
	}
	out := slices.Clone(list)
	slices.SortFunc(out, func(a, b any) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
	return out
}
