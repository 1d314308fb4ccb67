package feeds

import (
	"slices"
	"testing"
)

func TestSplitAddress(t *testing.T) {
	for in, want := range map[string][]string{
		"123 Main St, Tulsa, OK 74103, USA":     {"123 Main St", "Tulsa", "OK", "74103", "USA"},
		"Calle Mayor 1, Madrid, 28013, ES":      {"Calle Mayor 1", "Madrid", "", "28013", "ES"},
		"Boston, MA, USA":                       {"", "Boston", "MA", "", "USA"},
		"1 Rue de Rivoli, Paris, Île-de-France": {"1 Rue de Rivoli", "Paris", "Île-de-France", "", ""},
		"Nowhere":                               {"", "", "", "", ""},
	} {
		s, c, r, p, k := splitAddress(in)
		if got := []string{s, c, r, p, k}; !slices.Equal(got, want) {
			t.Errorf("splitAddress(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestSlugify(t *testing.T) {
	for in, want := range map[string]string{
		"Sunrise Serenity!": "sunrise-serenity", "--a--b--": "a-b", "Ñandú 12": "and-12", "日本語": "",
	} {
		if got := Slugify(in, 100); got != want {
			t.Errorf("Slugify(%q) = %q, want %q", in, got, want)
		}
	}
}
