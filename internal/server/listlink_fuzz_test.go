package server

import (
	"net/url"
	"strings"
	"testing"
)

// FuzzListAddress: whatever an address holds, the builder's way back stays on
// this site, its moves keep a list of listing ids, and the links it makes
// carry the list and nothing else.
func FuzzListAddress(f *testing.F) {
	for _, s := range []string{"ids=&back=/", "back=//evil.example", "back=/\\evil.example", "back=javascript:alert(1)",
		"back=/%3Fq%3Dgrief%23x&ids=00000000-0000-0000-0000-000000000000&up=00000000-0000-0000-0000-000000000000",
		"add=00000000-0000-0000-0000-000000000001&ids=00000000-0000-0000-0000-000000000000", "remove=x&back=/groups/a?ui=es"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		back := safeBack(v.Get("back"))
		if back != "" && (!strings.HasPrefix(back, "/") || strings.HasPrefix(back, "//") || strings.ContainsAny(back, "\\\r\n")) {
			t.Fatalf("way back %q leaves the site", back)
		}
		d := listDraft{Back: back, Lang: "en", Days: 60}
		ids, _, err := applyMove(v, nil)
		if err != nil {
			return
		}
		d.IDs = ids
		more := d.more("en")
		if !strings.HasPrefix(more, "/") || strings.HasPrefix(more, "//") {
			t.Fatalf("add more groups leads to %q", more)
		}
		u, err := url.Parse(d.href("en"))
		if err != nil || u.Path != "/list" || u.Host != "" {
			t.Fatalf("the list's address is %q (%v)", d.href("en"), err)
		}
	})
}
