package testenv

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// meiliVersion is the Meilisearch release scripts/services.sh installs.
const meiliVersion = "1.21.0"

// MeiliBinary is the Meilisearch executable: $MEILI_BIN, or the one
// scripts/services.sh caches under ${XDG_CACHE_HOME:-$HOME/.cache}/belong.
func MeiliBinary() (string, error) {
	if bin := os.Getenv("MEILI_BIN"); bin != "" {
		return bin, executable(bin)
	}
	cache := os.Getenv("XDG_CACHE_HOME")
	if cache == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("find the Meilisearch binary: %w", err)
		}
		cache = filepath.Join(home, ".cache")
	}
	bin := filepath.Join(cache, "belong", "meilisearch-"+meiliVersion, "meilisearch")
	return bin, executable(bin)
}

func executable(path string) error {
	fi, err := os.Stat(path)
	switch {
	case err != nil:
		return fmt.Errorf("meilisearch binary: %w", err)
	case fi.IsDir() || fi.Mode().Perm()&0o111 == 0:
		return fmt.Errorf("meilisearch binary %s is not an executable file", path)
	}
	return nil
}

// privateStartAttempts bounds retries when another process takes the free port
// between choosing it and Meilisearch binding it.
const privateStartAttempts = 3

// PrivateMeili starts a Meilisearch server of the test's own, on a free loopback
// port with an empty database in a temporary directory, for tests that must stop
// Meilisearch: the shared server on :7700 is never to be stopped. stop kills the
// server and waits for it to exit; it is safe to call more than once and is
// called when the test ends. A missing binary skips the test, or fails it under
// CI=true.
func PrivateMeili(t testing.TB) (url, key string, stop func()) {
	t.Helper()
	bin, err := MeiliBinary()
	if err != nil {
		Unavailable(t, "Meilisearch binary", err)
	}
	key = "belong-private-" + randomHex(16)
	var errs []error
	for attempt := range privateStartAttempts {
		dir := t.TempDir()
		url, stop, err := startMeili(bin, key, dir)
		if err == nil {
			t.Cleanup(stop)
			return url, key, stop
		}
		errs = append(errs, fmt.Errorf("attempt %d: %w", attempt+1, err))
	}
	t.Fatalf("start a private Meilisearch: %v", errors.Join(errs...))
	return "", "", nil
}

// meiliStartTimeout bounds the wait for a new server's /health to answer.
const meiliStartTimeout = 30 * time.Second

func startMeili(bin, key, dir string) (string, func(), error) {
	port, err := freePort()
	if err != nil {
		return "", nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	logPath := filepath.Join(dir, "meilisearch.log")
	logFile, err := os.Create(logPath)
	if err != nil {
		return "", nil, err
	}
	cmd := exec.Command(bin,
		"--http-addr", addr,
		"--master-key", key,
		"--env", "development",
		"--no-analytics",
		"--db-path", filepath.Join(dir, "data"),
		"--dump-dir", filepath.Join(dir, "dumps"),
		"--snapshot-dir", filepath.Join(dir, "snapshots"),
		// Tests share the machine with the rest of the suite.
		"--max-indexing-threads", "2",
		"--log-level", "WARN")
	// Meilisearch reads MEILI_* variables and ./config.toml; neither may reach it.
	cmd.Dir = dir
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "MEILI_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return "", nil, fmt.Errorf("start %s: %w", bin, err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		logFile.Close()
		close(exited)
	}()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			_ = cmd.Process.Kill()
			<-exited
		})
	}
	url := "http://" + addr
	if err := waitHealthy(url, exited); err != nil {
		stop()
		out, _ := os.ReadFile(logPath)
		return "", nil, fmt.Errorf("%w; log:\n%s", err, lastLines(string(out), 20))
	}
	return url, stop, nil
}

// freePort asks the kernel for a loopback port nobody listens on now.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// waitHealthy polls /health until it answers 200, the process exits, or
// meiliStartTimeout passes.
func waitHealthy(url string, exited <-chan struct{}) error {
	client := &http.Client{Timeout: time.Second}
	ctx, cancel := context.WithTimeout(context.Background(), meiliStartTimeout)
	defer cancel()
	tick := time.NewTicker(25 * time.Millisecond)
	defer tick.Stop()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url+"/health", nil)
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-exited:
			return errors.New("meilisearch exited during start-up")
		case <-ctx.Done():
			return fmt.Errorf("meilisearch did not answer %s/health within %v", url, meiliStartTimeout)
		case <-tick.C:
		}
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
