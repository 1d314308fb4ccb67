package harness

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Meili speaks Meilisearch's HTTP API directly, with the master key: what a
// measuring program needs to look at an index from outside the product.
type Meili struct {
	URL, Key string
	HTTP     *http.Client
}

// Do sends one request with body as JSON and decodes a 2xx answer into into. A
// 404 is returned as its status code, not as an error, so callers can tell
// "not there" from "failed".
func (m *Meili) Do(ctx context.Context, method, path string, body any, into any) (int, error) {
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(m.URL, "/")+path, rd)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+m.Key)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := m.HTTP.Do(req)
	if err != nil {
		return 0, fmt.Errorf("meilisearch %s %s (is it running? scripts/services.sh starts it): %w", method, path, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, err
	}
	if resp.StatusCode >= 300 && resp.StatusCode != http.StatusNotFound {
		return resp.StatusCode, fmt.Errorf("meilisearch %s %s: %s: %s", method, path, resp.Status, raw)
	}
	if into != nil && resp.StatusCode < 300 {
		return resp.StatusCode, json.Unmarshal(raw, into)
	}
	return resp.StatusCode, nil
}

// Healthy reports whether Meilisearch answers its health check.
func (m *Meili) Healthy(ctx context.Context) bool {
	var h struct {
		Status string `json:"status"`
	}
	code, err := m.Do(ctx, http.MethodGet, "/health", nil, &h)
	return err == nil && code == http.StatusOK && h.Status == "available"
}

// DeleteIndex deletes an index, if there is one, and waits for the deletion.
func (m *Meili) DeleteIndex(ctx context.Context, uid string) error {
	var task struct {
		TaskUID int64 `json:"taskUid"`
	}
	code, err := m.Do(ctx, http.MethodDelete, "/indexes/"+url.PathEscape(uid), nil, &task)
	if err != nil || code == http.StatusNotFound {
		return err
	}
	err = m.WaitTask(ctx, task.TaskUID)
	if err != nil && strings.Contains(err.Error(), `"index_not_found"`) {
		return nil // deleting an index that is not there is done
	}
	return err
}

// WaitTask polls a task until it has succeeded or failed.
func (m *Meili) WaitTask(ctx context.Context, uid int64) error {
	for {
		var t struct {
			Status string          `json:"status"`
			Error  json.RawMessage `json:"error"`
		}
		if _, err := m.Do(ctx, http.MethodGet, "/tasks/"+strconv.FormatInt(uid, 10), nil, &t); err != nil {
			return err
		}
		switch t.Status {
		case "succeeded":
			return nil
		case "failed", "canceled":
			return fmt.Errorf("meilisearch task %d %s: %s", uid, t.Status, t.Error)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Documents is how many documents the index holds.
func (m *Meili) Documents(ctx context.Context, uid string) (int, error) {
	var s struct {
		NumberOfDocuments int `json:"numberOfDocuments"`
	}
	_, err := m.Do(ctx, http.MethodGet, "/indexes/"+url.PathEscape(uid)+"/stats", nil, &s)
	return s.NumberOfDocuments, err
}

// Document fetches one document by id into into, with only the given fields;
// it reports false when the index has no such document.
func (m *Meili) Document(ctx context.Context, uid, id string, fields []string, into any) (bool, error) {
	path := "/indexes/" + url.PathEscape(uid) + "/documents/" + url.PathEscape(id)
	if len(fields) > 0 {
		path += "?fields=" + url.QueryEscape(strings.Join(fields, ","))
	}
	code, err := m.Do(ctx, http.MethodGet, path, nil, into)
	return err == nil && code == http.StatusOK, err
}

// Version is the Meilisearch server's version.
func (m *Meili) Version(ctx context.Context) string {
	var v struct {
		PkgVersion string `json:"pkgVersion"`
	}
	if _, err := m.Do(ctx, http.MethodGet, "/version", nil, &v); err != nil || v.PkgVersion == "" {
		return "unknown"
	}
	return v.PkgVersion
}

// MeiliTask is one finished task, as /tasks lists it.
type MeiliTask struct {
	UID        int64     `json:"uid"`
	BatchUID   int64     `json:"batchUid"`
	Type       string    `json:"type"`
	EnqueuedAt time.Time `json:"enqueuedAt"`
	StartedAt  time.Time `json:"startedAt"`
	FinishedAt time.Time `json:"finishedAt"`
}

// Tasks lists the finished document tasks of an index enqueued after since,
// newest first, at most limit of them.
func (m *Meili) Tasks(ctx context.Context, uid string, since time.Time, limit int) ([]MeiliTask, error) {
	var out []MeiliTask
	q := url.Values{"indexUids": {uid}, "types": {"documentAdditionOrUpdate,documentDeletion"},
		"statuses": {"succeeded,failed"}, "afterEnqueuedAt": {since.UTC().Format(time.RFC3339Nano)}}
	for len(out) < limit {
		q.Set("limit", strconv.Itoa(min(1000, limit-len(out))))
		var page struct {
			Results []MeiliTask `json:"results"`
			Next    *int64      `json:"next"`
		}
		if _, err := m.Do(ctx, http.MethodGet, "/tasks?"+q.Encode(), nil, &page); err != nil {
			return nil, err
		}
		out = append(out, page.Results...)
		if page.Next == nil || len(page.Results) == 0 {
			break
		}
		q.Set("from", strconv.FormatInt(*page.Next, 10))
	}
	return out, nil
}
