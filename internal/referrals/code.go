package referrals

import (
	"crypto/rand"
	"strings"
)

// crockford is Crockford's base32 alphabet: no I, L, O or U, so a code read
// aloud over the phone or copied by hand is hard to get wrong.
const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// CodeLen is how many symbols a share code has: 13 × 5 = 65 random bits,
// far beyond guessing at any rate the server lets through.
const CodeLen = 13

// newCode draws a fresh canonical code.
func newCode() string {
	var b [CodeLen]byte
	_, _ = rand.Read(b[:]) // crypto/rand never fails on the platforms Go supports
	for i := range b {
		b[i] = crockford[b[i]&31] // 256 is a multiple of 32: every symbol equally likely
	}
	return string(b[:])
}

// ParseCode reads a code as a person may type or say it: any case, with
// hyphens or spaces anywhere, I and L read as 1 and O as 0. It returns the
// canonical form, or false when it cannot be a code.
func ParseCode(s string) (string, bool) {
	if len(s) > 4*CodeLen {
		return "", false
	}
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == '-' || r == ' ':
			continue
		case r == 'I' || r == 'L':
			r = '1'
		case r == 'O':
			r = '0'
		case r > 127 || !strings.ContainsRune(crockford, r):
			return "", false
		}
		b.WriteRune(r)
	}
	if b.Len() != CodeLen {
		return "", false
	}
	return b.String(), true
}

// GroupCode writes a canonical code in groups for reading aloud: XXXX-XXXX-XXXXX.
func GroupCode(code string) string {
	if len(code) != CodeLen {
		return code
	}
	return code[:4] + "-" + code[4:8] + "-" + code[8:]
}
