package main

import (
	"strings"
	"testing"

	"github.com/belong-directory/belong/internal/testenv"
)

func TestUserAddMakesTheFirstAdmin(t *testing.T) {
	db := testenv.NewDatabase(t)
	env := map[string]string{"DATABASE_URL": testenv.DatabaseURL(db)}
	if code, _, stderr := belong(t, env, "migrate", "up"); code != 0 {
		t.Fatalf("migrate: %s", stderr)
	}
	code, out, stderr := belong(t, env, "user", "add", "--role", "admin", "--email", "first@example.org")
	if code != 0 || !strings.Contains(out, "added admin first@example.org") || !strings.Contains(out, "/sign-in") {
		t.Fatalf("exit %d: %s %s", code, out, stderr)
	}
	if code, _, stderr := belong(t, env, "user", "add", "--role", "admin", "--email", "first@example.org"); code != 1 ||
		!strings.Contains(stderr, "already has an account") {
		t.Fatalf("the same address again: exit %d %s", code, stderr)
	}
	for _, args := range [][]string{{"user"}, {"user", "add"}, {"user", "add", "--email", "x@example.org"},
		{"user", "remove"}} {
		if code, _, stderr := belong(t, env, args...); code != 2 || !strings.Contains(stderr, "Usage:") {
			t.Errorf("%v: exit %d", args, code)
		}
	}
	if code, _, stderr := belong(t, env, "user", "add", "--role", "owner", "--email", "x@example.org"); code != 1 ||
		!strings.Contains(stderr, "role") {
		t.Errorf("an unknown role: exit %d %s", code, stderr)
	}
}
