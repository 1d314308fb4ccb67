// Package formtoken signs the hidden token every state-changing form carries.
// Anonymous people never get a cookie, so a form proves where it came from with a
// token of its own: an HMAC over what the form is for and when it was served.
// The same token carries the minimum fill time that keeps hurried bots out.
package formtoken

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"time"
)

// Errors a token can have. Each deserves a calm message and a fresh form.
var (
	ErrForged  = errors.New("form token is not ours")
	ErrExpired = errors.New("form token has expired")
	ErrTooFast = errors.New("form sent faster than a person fills it in")
)

// Signer issues and checks tokens.
type Signer struct {
	key []byte
	// MaxAge is how long a served form may wait before it is sent.
	MaxAge time.Duration
	// MinFill is how long a person takes at least; 0 checks nothing.
	MinFill time.Duration
	Now     func() time.Time
}

// New returns a signer with key, or a random key when key is empty (fine for a
// single process: tokens then die with it).
func New(key string, maxAge, minFill time.Duration) *Signer {
	k := []byte(key)
	if len(k) == 0 {
		k = make([]byte, 32)
		_, _ = rand.Read(k)
	}
	return &Signer{key: k, MaxAge: maxAge, MinFill: minFill, Now: time.Now}
}

// Issue returns a token for a form with the given purpose ("submit",
// "correction:slug", ...).
func (s *Signer) Issue(purpose string) string {
	var ts [8]byte
	binary.BigEndian.PutUint64(ts[:], uint64(s.Now().Unix()))
	return base64.RawURLEncoding.EncodeToString(append(ts[:], s.mac(purpose, ts[:])...))
}

// Check verifies a token for purpose, of a form a person fills in: one sent
// sooner than MinFill after it was served is refused.
func (s *Signer) Check(token, purpose string) error { return s.check(token, purpose, s.MinFill) }

// CheckClicked verifies a token for purpose, of a form a person sends with a
// click or two (sharing a list they just built, marking a group on it): there
// is nothing to fill in, so no time is too short.
func (s *Signer) CheckClicked(token, purpose string) error { return s.check(token, purpose, 0) }

func (s *Signer) check(token, purpose string, minFill time.Duration) error {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) != 8+sha256.Size {
		return ErrForged
	}
	if !hmac.Equal(raw[8:], s.mac(purpose, raw[:8])) {
		return ErrForged
	}
	issued := time.Unix(int64(binary.BigEndian.Uint64(raw[:8])), 0)
	age := s.Now().Sub(issued)
	switch {
	case age > s.MaxAge || age < -time.Minute:
		return ErrExpired
	case age < minFill:
		return ErrTooFast
	}
	return nil
}

func (s *Signer) mac(purpose string, ts []byte) []byte {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(purpose))
	m.Write([]byte{0})
	m.Write(ts)
	return m.Sum(nil)
}
