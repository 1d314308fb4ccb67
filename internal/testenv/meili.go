package testenv

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/meilisearch/meilisearch-go"
)

// MeiliURL is the Meilisearch server tests index into; MEILI_URL as for the app.
func MeiliURL() string { return getenv("MEILI_URL", "http://127.0.0.1:7700") }

// MeiliKey is that server's master key; MEILI_MASTER_KEY as for the app.
func MeiliKey() string { return getenv("MEILI_MASTER_KEY", "belong-dev-master-key-0123456789") }

// Meili returns a client for the shared Meilisearch server and an index uid of
// the test's own, so tests can run in parallel. The index (and the "_next" one a
// rebuild makes) is deleted when the test ends; nothing creates it here.
func Meili(t testing.TB) (meilisearch.ServiceManager, string) {
	t.Helper()
	client := meilisearch.New(MeiliURL(),
		meilisearch.WithAPIKey(MeiliKey()),
		meilisearch.WithCustomClient(&http.Client{Timeout: 30 * time.Second}),
		meilisearch.DisableRetries())
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if _, err := client.HealthWithContext(ctx); err != nil {
		Unavailable(t, "Meilisearch", err)
	}
	uid := "belong_test_" + randomHex(6)
	t.Cleanup(func() {
		// Deletion is queued; there is no need to wait for it.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		for _, name := range []string{uid, uid + "_next"} {
			_, _ = client.DeleteIndexWithContext(ctx, name)
		}
	})
	return client, uid
}
