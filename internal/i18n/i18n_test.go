package i18n

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/belong-directory/belong/web"
)

func TestEveryLanguageHasEveryEnglishKey(t *testing.T) {
	c, err := Load(web.Translations, "i18n")
	if err != nil {
		t.Fatal(err)
	}
	if !c.Supported("es") {
		t.Fatal("Spanish catalog missing")
	}
	for _, lang := range c.Languages() {
		if missing := c.Missing(lang); len(missing) > 0 {
			t.Errorf("%s lacks %d keys English has: %v", lang, len(missing), missing)
		}
	}
}

func TestFallbackPluralAndChoice(t *testing.T) {
	c, err := Load(fstest.MapFS{
		"i18n/en.json": {Data: []byte(`{"hi":"Hello","n.one":"%d group","n.other":"%d groups","only.en":"English"}`)},
		"i18n/es.json": {Data: []byte(`{"hi":"Hola","n.one":"%d grupo","n.other":"%d grupos"}`)},
	}, "i18n")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ got, want string }{
		{c.T("es", "hi"), "Hola"},
		{c.T("es", "only.en"), "English"},
		{c.T("es", "nope"), "nope"},
		{c.N("es", "n", 1), "1 grupo"},
		{c.N("es", "n", 0), "0 grupos"},
		{c.N("en", "n", 12), "12 groups"},
		{c.Choose("es", "en"), "es"},
		{c.Choose("", "fr-CA, es-MX;q=0.8, en;q=0.5"), "es"},
		{c.Choose("xx", "de"), "en"},
		{c.Choose("", "es;q=bad, en;q=0.1"), "en"},
		// q=0 means "not this language".
		{c.Choose("", "es;q=0"), "en"},
		{c.Choose("", "es;q=0, fr"), "en"},
		{c.Choose("", "es-419;q=0.7, *;q=0.1"), "es"},
		{c.Choose("", "en-GB, es;q=0.9"), "en"},
		// Only the start of a huge header is read, and never half a tag.
		{c.Choose("", "es-MX,"+strings.Repeat("x-a,", 50_000)), "es"},
		{c.Choose("", strings.Repeat("x-a,", 100)+"es"), "en"},
	}
	for i, tc := range cases {
		if tc.got != tc.want {
			t.Errorf("case %d: got %q, want %q", i, tc.got, tc.want)
		}
	}
}

func FuzzChoose(f *testing.F) {
	c, err := Load(web.Translations, "i18n")
	if err != nil {
		f.Fatal(err)
	}
	f.Add("es", "en-US,en;q=0.9")
	f.Add("", "es-419;q=0.7, *;q=0.1")
	f.Add("", ";;q=,,")
	f.Fuzz(func(t *testing.T, explicit, header string) {
		if got := c.Choose(explicit, header); !c.Supported(got) {
			t.Fatalf("Choose(%q, %q) = %q, not a UI language", explicit, header, got)
		}
	})
}
