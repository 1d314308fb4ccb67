package referrals_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/belong-directory/belong/internal/referrals"
)

// FuzzParseCode: whatever is typed, a code read is canonical, reads back the
// same from its grouped form, and nothing else is read as one.
func FuzzParseCode(f *testing.F) {
	for _, s := range []string{"", "ABCD-EFGH-JKMNP", "abcd efgh jkmnp", "ILO0-1111-22222", "UUUU-UUUU-UUUUU",
		"ＡＢＣＤ-EFGH-JKMNP", "ABCDEFGHJKMNPQ", "---", "ıııı-ıııı-ııııı", strings.Repeat("A-", 100)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code, ok := referrals.ParseCode(s)
		if !ok {
			return
		}
		if len(code) != referrals.CodeLen || strings.ToUpper(code) != code || strings.ContainsAny(code, "ILOU-") {
			t.Fatalf("%q read as %q", s, code)
		}
		if again, ok := referrals.ParseCode(referrals.GroupCode(code)); !ok || again != code {
			t.Fatalf("%q does not read back from %q", code, referrals.GroupCode(code))
		}
	})
}

// FuzzParseIDs: ids read from an address are listing ids, each once, never
// more than a list holds.
func FuzzParseIDs(f *testing.F) {
	for _, s := range []string{"", ",", "00000000-0000-0000-0000-000000000000", "a,b,c",
		"00000000-0000-0000-0000-000000000000,00000000-0000-0000-0000-000000000000", strings.Repeat("x,", 40)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ids, _ := referrals.ParseIDs(s) // what could be read, even when something could not
		if len(ids) > referrals.MaxGroups {
			t.Fatalf("%d ids read", len(ids))
		}
		seen := map[string]bool{}
		for _, id := range ids {
			if len(id) != 36 || seen[id] {
				t.Fatalf("%q read from %q", id, s)
			}
			seen[id] = true
		}
	})
}

// FuzzCheckNote: a note that passes is text of at most 280 characters.
func FuzzCheckNote(f *testing.F) {
	for _, s := range []string{"", "Ask for the side door", "<script>alert(1)</script>", "a\x00b", "\xff",
		strings.Repeat("é", 281)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		note, err := referrals.CheckNote(s)
		if err != nil {
			return
		}
		if !utf8.ValidString(note) || utf8.RuneCountInString(note) > referrals.MaxNote || strings.ContainsRune(note, 0) {
			t.Fatalf("%q passed as %q", s, note)
		}
	})
}
