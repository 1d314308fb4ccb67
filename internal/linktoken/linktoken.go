// Package linktoken makes the secrets of private links (an organizer's manage
// link, a correction's status link, a sign-in link): 256 random bits in the
// link, and only their SHA-256 hash in the database, so a copy of the database
// opens nothing.
package linktoken

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
)

// size is a token's length in bytes: 256 random bits.
const size = 32

// New returns a new token for a link and the hash that is all the database
// keeps of it.
func New() (token string, hash []byte) {
	raw := make([]byte, size)
	_, _ = rand.Read(raw)
	return base64.RawURLEncoding.EncodeToString(raw), hashOf(raw)
}

// Hash returns the hash to look a token up by, and false for anything that is
// not a token this package made. Decoding is strict: a token that differs only
// in its unused last bits is another token, not the same one.
func Hash(token string) ([]byte, bool) {
	raw, err := base64.RawURLEncoding.Strict().DecodeString(token)
	if err != nil || len(raw) != size {
		return nil, false
	}
	return hashOf(raw), true
}

func hashOf(raw []byte) []byte {
	h := sha256.Sum256(raw)
	return h[:]
}
