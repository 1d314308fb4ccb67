package search

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// slowWords answers every word with the word plus "s", failing on fail, and
// notes how many lookups ran at once.
type slowWords struct {
	fail      string
	mu        sync.Mutex
	now, most int
	release   chan struct{}
	calls     atomic.Int32
}

func (f *slowWords) SimilarWords(ctx context.Context, word string, limit int) ([]string, error) {
	f.calls.Add(1)
	f.mu.Lock()
	f.now++
	f.most = max(f.most, f.now)
	f.mu.Unlock()
	<-f.release
	f.mu.Lock()
	f.now--
	f.mu.Unlock()
	if word == f.fail {
		return nil, errors.New("lookup failed")
	}
	return []string{word + "s"}, nil
}

// Similar words are looked up a few at a time however long the text, and the
// texts offered are the same as one lookup after another would give.
func TestSimilarTextsAreLookedUpAFewAtATime(t *testing.T) {
	words := strings.Fields("grief circle walk garden choir craft lunch music chess yoga")
	for _, c := range []struct {
		fail string
		want []string
	}{
		{"", []string{"griefs " + strings.Join(words[1:], " "), "grief circles " + strings.Join(words[2:], " "),
			"grief circle walks " + strings.Join(words[3:], " ")}},
		{"circle", []string{"griefs " + strings.Join(words[1:], " ")}},
	} {
		f := &slowWords{fail: c.fail, release: make(chan struct{})}
		s := &Searcher{words: f}
		done := make(chan []string)
		go func() { done <- s.similarTexts(t.Context(), strings.Join(words, " ")) }()
		for range words {
			f.release <- struct{}{}
		}
		got := <-done
		if f.most > similarLookups {
			t.Errorf("%d lookups at once, want at most %d", f.most, similarLookups)
		}
		if int(f.calls.Load()) != len(words) {
			t.Errorf("%d lookups for %d words", f.calls.Load(), len(words))
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("failing on %q:\n got  %q\n want %q", c.fail, got, c.want)
		}
	}
}
