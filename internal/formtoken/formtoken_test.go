package formtoken

import (
	"errors"
	"testing"
	"time"
)

func TestTokens(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	s := New("0123456789abcdef0123456789abcdef", time.Hour, 3*time.Second)
	s.Now = func() time.Time { return now }
	tok := s.Issue("submit")
	if err := s.Check(tok, "submit"); !errors.Is(err, ErrTooFast) {
		t.Fatalf("at once: %v", err)
	}
	now = now.Add(5 * time.Second)
	if err := s.Check(tok, "submit"); err != nil {
		t.Fatalf("after 5 s: %v", err)
	}
	if err := s.Check(tok, "correction:x"); !errors.Is(err, ErrForged) {
		t.Fatalf("another form's token: %v", err)
	}
	other := New("another key of at least 32 bytes!!", time.Hour, 0)
	if err := other.Check(tok, "submit"); !errors.Is(err, ErrForged) {
		t.Fatalf("another key: %v", err)
	}
	for _, bad := range []string{"", "x", tok[:len(tok)-2], tok + "AA"} {
		if err := s.Check(bad, "submit"); !errors.Is(err, ErrForged) {
			t.Fatalf("%q: %v", bad, err)
		}
	}
	now = now.Add(2 * time.Hour)
	if err := s.Check(tok, "submit"); !errors.Is(err, ErrExpired) {
		t.Fatalf("after two hours: %v", err)
	}
}

func TestAClickedFormMayComeAtOnceButNotForgedOrLate(t *testing.T) {
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	s := New("0123456789abcdef0123456789abcdef", time.Hour, 3*time.Second)
	s.Now = func() time.Time { return now }
	tok := s.Issue("share_list")
	if err := s.CheckClicked(tok, "share_list"); err != nil {
		t.Fatalf("at once: %v", err)
	}
	if err := s.CheckClicked(tok, "submit"); !errors.Is(err, ErrForged) {
		t.Fatalf("another form's token: %v", err)
	}
	if err := s.CheckClicked(tok[:len(tok)-2], "share_list"); !errors.Is(err, ErrForged) {
		t.Fatalf("a damaged token: %v", err)
	}
	now = now.Add(2 * time.Hour)
	if err := s.CheckClicked(tok, "share_list"); !errors.Is(err, ErrExpired) {
		t.Fatalf("after two hours: %v", err)
	}
}

func FuzzCheck(f *testing.F) {
	s := New("0123456789abcdef0123456789abcdef", time.Hour, 0)
	f.Add(s.Issue("submit"), "submit")
	f.Add("", "")
	f.Fuzz(func(t *testing.T, token, purpose string) {
		_ = s.Check(token, purpose) // never panics
	})
}
