package cache

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/testenv"
)

// go-redis's own complaints arrive in the application's log as JSON records,
// not as its own lines of text on stderr.
func TestRedisMessagesGoToTheLog(t *testing.T) {
	var logs testenv.LogBuffer
	rdb, err := Open("redis://"+closedPort(t)+"/0", time.Second, slog.New(slog.NewJSONHandler(&logs, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	if err := rdb.Ping(context.Background()).Err(); err == nil {
		t.Fatal("a Redis nobody listens for answered")
	}
	var found bool
	for line := range strings.Lines(logs.String()) {
		var rec struct {
			Level, Msg, Component string
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("not a JSON record: %q", line)
		}
		found = found || (rec.Component == "redis" && rec.Level == "WARN" && strings.Contains(rec.Msg, "failed to dial"))
	}
	if !found {
		t.Fatalf("go-redis's dial failure is not in the log: %q", logs.String())
	}
}
