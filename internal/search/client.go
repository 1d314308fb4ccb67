package search

import (
	"context"
	"net/http"
	"time"

	"github.com/meilisearch/meilisearch-go"
)

// NewClient returns a Meilisearch client whose every call is bounded by timeout.
//
// It does not ask for gzip: on loopback or a LAN compression saves nothing, and
// Meilisearch's compressed answers on a kept-alive connection stalled about 40 ms
// each (measured by make bench), which was most of a search's time.
func NewClient(url, apiKey string, timeout time.Duration) meilisearch.ServiceManager {
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.DisableCompression = true
	transport.MaxIdleConnsPerHost = 64
	return meilisearch.New(url,
		meilisearch.WithAPIKey(apiKey),
		meilisearch.WithCustomClient(&http.Client{Timeout: timeout, Transport: transport}),
		meilisearch.DisableRetries())
}

// Ping reports whether Meilisearch answers and says it is available.
func Ping(ctx context.Context, c meilisearch.ServiceManager) error {
	_, err := c.HealthWithContext(ctx)
	return err
}
