package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/testenv"
)

// belong runs one command line in-process, with the given environment, and returns
// the exit code and what it printed.
func belong(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	for k, v := range env {
		t.Setenv(k, v)
	}
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestCommandLineMistakesPrintUsage(t *testing.T) {
	cases := map[string][]string{
		"no command":        {},
		"unknown command":   {"frobnicate"},
		"bad flag":          {"serve", "--turbo"},
		"migrate without":   {"migrate"},
		"migrate sideways":  {"migrate", "sideways"},
		"seed without mode": {"seed"},
		"seed both modes":   {"seed", "--demo", "--synthetic", "5"},
		"negative seed":     {"seed", "--synthetic", "-5"},
		"zero seed":         {"seed", "--synthetic", "0"},
		"extra argument":    {"config", "extra"},
	}
	for name, args := range cases {
		t.Run(name, func(t *testing.T) {
			code, _, stderr := belong(t, nil, args...)
			if code != 2 || !strings.Contains(stderr, "Usage:") {
				t.Fatalf("exit %d, stderr:\n%s", code, stderr)
			}
		})
	}
	_, _, stderr := belong(t, nil, "seed", "--synthetic", "-5")
	if !strings.Contains(stderr, "positive number") {
		t.Fatalf("a negative count should be named: %s", stderr)
	}
}

// Help asked of a command is help, on standard output, not a mistake.
func TestHelpOfACommandIsTheUsage(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"seed", "--help"}, {"import", "csv", "-h"}, {"user", "add", "-help"}} {
		code, stdout, stderr := belong(t, nil, args...)
		if code != 0 || !strings.Contains(stdout, "Usage:") || stderr != "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
}

// The schema check comes before reading email, as before every other command
// that reads the database.
func TestMailShowOnAnOldSchemaSaysToMigrate(t *testing.T) {
	db := testenv.NewDatabase(t)
	code, _, stderr := belong(t, map[string]string{"DATABASE_URL": testenv.DatabaseURL(db)}, "mail", "show")
	if code != 1 || !strings.Contains(stderr, "belong migrate up") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
}

func TestBadConfigurationNamesTheVariable(t *testing.T) {
	code, _, stderr := belong(t, map[string]string{"DATABASE_URL": "mysql://nope"}, "migrate", "status")
	if code != 1 || !strings.Contains(stderr, "DATABASE_URL") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	code, _, stderr = belong(t, map[string]string{"DATABASE_URL": "postgres://u:secretpw@127.0.0.1:1/x?sslmode=disable"},
		"migrate", "up")
	if code != 1 || !strings.Contains(stderr, "not reachable") || strings.Contains(stderr, "secretpw") {
		t.Fatalf("unreachable Postgres: exit %d: %s", code, stderr)
	}
}

func TestConfigRedactsSecrets(t *testing.T) {
	code, out, _ := belong(t, map[string]string{"MEILI_MASTER_KEY": "a-very-secret-master-key",
		"DATABASE_URL": "postgres://app:hunter22@db:5432/belong"}, "config")
	if code != 0 || strings.Contains(out, "a-very-secret-master-key") || strings.Contains(out, "hunter22") ||
		!strings.Contains(out, "MEILI_MASTER_KEY=[redacted]") {
		t.Fatalf("exit %d:\n%s", code, out)
	}
}

func TestServeRefusesAnOldSchema(t *testing.T) {
	db := testenv.NewDatabase(t)
	code, _, stderr := belong(t, map[string]string{"DATABASE_URL": testenv.DatabaseURL(db)}, "serve")
	if code != 1 || !strings.Contains(stderr, "belong migrate up") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
}

func TestMigrateAndSeedTwiceAreSafe(t *testing.T) {
	db := testenv.NewDatabase(t)
	env := map[string]string{"DATABASE_URL": testenv.DatabaseURL(db)}
	for range 2 {
		if code, _, stderr := belong(t, env, "migrate", "up"); code != 0 {
			t.Fatalf("migrate: %s", stderr)
		}
	}
	code, out, _ := belong(t, env, "migrate", "status")
	if code != 0 || strings.Contains(out, "pending") {
		t.Fatalf("status after migrate:\n%s", out)
	}
	if code, out, stderr := belong(t, env, "seed", "--synthetic", "50", "--seed", "7"); code != 0 || !strings.Contains(out, "seeded 50") {
		t.Fatalf("synthetic: %s %s", out, stderr)
	}
	if code, out, _ := belong(t, env, "seed", "--synthetic", "50", "--seed", "7"); code != 0 || !strings.Contains(out, "seeded 0") {
		t.Fatalf("second synthetic run should add nothing: %s", out)
	}
}

// TestServeStartsWithoutRedisAndMeilisearchAndNoticesThemReturn runs the real
// binary with Redis and Meilisearch pointed at closed ports, then starts a Redis
// there and watches /readyz pick it up without a restart.
func TestServeStartsWithoutRedisAndMeilisearchAndNoticesThemReturn(t *testing.T) {
	redisServer, err := exec.LookPath("redis-server")
	if err != nil {
		testenv.Unavailable(t, "redis-server binary", err)
	}
	db := testenv.NewDatabase(t)
	if code, _, stderr := belong(t, map[string]string{"DATABASE_URL": testenv.DatabaseURL(db)}, "migrate", "up"); code != 0 {
		t.Fatalf("migrate: %s", stderr)
	}
	bin := buildBinary(t)
	redisPort, meiliPort, httpPort := freePort(t), freePort(t), freePort(t)
	cmd := exec.Command(bin, "serve", "--no-worker")
	cmd.Env = append(os.Environ(),
		"DATABASE_URL="+testenv.DatabaseURL(db),
		fmt.Sprintf("REDIS_URL=redis://127.0.0.1:%d/0", redisPort),
		fmt.Sprintf("MEILI_URL=http://127.0.0.1:%d", meiliPort),
		fmt.Sprintf("LISTEN_ADDR=127.0.0.1:%d", httpPort))
	var logs testenv.LogBuffer
	cmd.Stderr = &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	base := fmt.Sprintf("http://127.0.0.1:%d", httpPort)

	r := waitReady(t, base, func(r readiness) bool { return r.status == 200 })
	if r.Checks["redis"].OK || r.Checks["meilisearch"].OK || !r.Checks["postgres"].OK {
		t.Fatalf("want postgres up, redis and meilisearch down: %+v", r)
	}
	if n := strings.Count(logs.String(), "dependency unreachable"); n < 1 {
		t.Fatalf("want a clear warning in the log:\n%s", logs.String())
	}

	redis := exec.Command(redisServer, "--port", fmt.Sprint(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
	if err := redis.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = redis.Process.Kill(); _ = redis.Wait() })
	waitReady(t, base, func(r readiness) bool { return r.Checks["redis"].OK })

	// The search page still answers, from the fallback.
	resp, err := http.Get(base + "/api/v1/listings")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("X-Search-Engine") != "postgres" {
		t.Fatalf("search without Meilisearch: %d %q", resp.StatusCode, resp.Header.Get("X-Search-Engine"))
	}

	// SIGTERM shuts down cleanly.
	_ = cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve exited with %v:\n%s", err, logs.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop on SIGINT")
	}
	if !strings.Contains(logs.String(), `"msg":"stopped"`) {
		t.Fatalf("no orderly stop in the log:\n%s", logs.String())
	}
}

type readiness struct {
	status int
	Checks map[string]struct {
		OK bool `json:"ok"`
	} `json:"checks"`
}

func waitReady(t *testing.T, base string, ok func(readiness) bool) readiness {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	var last readiness
	for time.Now().Before(deadline) {
		resp, err := http.Get(base + "/readyz")
		if err == nil {
			last = readiness{status: resp.StatusCode}
			_ = json.NewDecoder(resp.Body).Decode(&last)
			resp.Body.Close()
			if ok(last) {
				return last
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("readiness never reached the expected state; last: %+v", last)
	return last
}

func buildBinary(t *testing.T) string {
	t.Helper()
	bin := t.TempDir() + "/belong"
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return bin
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
