package linktoken

import (
	"bytes"
	"strings"
	"testing"
)

func TestTokensRoundTripAndForgeriesDoNot(t *testing.T) {
	token, hash := New()
	if len(token) != 43 {
		t.Fatalf("a token of %d characters, want 43 (256 bits)", len(token))
	}
	got, ok := Hash(token)
	if !ok || !bytes.Equal(got, hash) {
		t.Fatalf("the token does not hash to what was stored")
	}
	other, _ := New()
	if h, _ := Hash(other); bytes.Equal(h, hash) {
		t.Fatal("two new tokens hash alike")
	}
	// The last character carries 2 unused bits: flipping one gives a string
	// that decodes to the same bytes unless decoding is strict.
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	last := strings.IndexByte(alphabet, token[len(token)-1])
	twin := token[:len(token)-1] + string(alphabet[last^1])
	if _, ok := Hash(twin); ok {
		t.Fatalf("%q, differing only in unused bits, was taken for a token", twin)
	}
	for _, bad := range []string{"", "short", token + "A", token[:42] + "=", "!" + token[1:]} {
		if _, ok := Hash(bad); ok {
			t.Errorf("%q was taken for a token", bad)
		}
	}
}
