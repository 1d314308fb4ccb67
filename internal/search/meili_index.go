package search

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/meilisearch/meilisearch-go"
)

// batchSize bounds how many documents one request to Meilisearch carries.
const batchSize = 1000

// DefaultTaskTimeout bounds the wait for one Meilisearch task to finish: tasks
// queue behind each other and a settings change re-indexes everything, so this is
// far longer than a request's deadline.
const DefaultTaskTimeout = 2 * time.Minute

// Index is one Meilisearch index of listing documents, by uid. Every request has
// the deadline given to NewIndex; every write waits for its task (Queue leaves
// that to its caller), and a task that fails or is canceled is an error.
type Index struct {
	client  meilisearch.ServiceManager
	uid     string
	timeout time.Duration
	// TaskTimeout bounds the wait for each task; NewIndex sets DefaultTaskTimeout.
	TaskTimeout time.Duration
}

// NewIndex returns the index uid, each request to it bounded by timeout.
func NewIndex(client meilisearch.ServiceManager, uid string, timeout time.Duration) *Index {
	return &Index{client: client, uid: uid, timeout: timeout, TaskTimeout: DefaultTaskTimeout}
}

// UID is the index's name in Meilisearch.
func (x *Index) UID() string { return x.uid }

// TaskError is a Meilisearch task that finished without succeeding.
type TaskError struct {
	What    string // what the task was for
	TaskUID int64
	Status  meilisearch.TaskStatus
	Code    string // Meilisearch's error code, e.g. "invalid_document_id"
	Message string
}

func (e *TaskError) Error() string {
	return fmt.Sprintf("meilisearch %s: task %d %s: %s (%s)", e.What, e.TaskUID, e.Status, e.Message, e.Code)
}

// EnsureSettings creates the index if it is missing and gives it the settings,
// synonyms and stop words of the index definition. It changes nothing when the
// index already has them, so it is safe to call at every start.
func (x *Index) EnsureSettings(ctx context.Context) error {
	want, err := loadSettings()
	if err != nil {
		return err
	}
	var info *meilisearch.IndexResult
	err = x.request(ctx, "read index", func(ctx context.Context) (err error) {
		info, err = x.client.GetIndexWithContext(ctx, x.uid)
		return err
	})
	switch {
	case apiCode(err) == "index_not_found":
		if err := x.create(ctx); err != nil {
			return err
		}
	case err != nil:
		return err
	case info.PrimaryKey != "" && info.PrimaryKey != "id":
		return fmt.Errorf("meilisearch index %s has primary key %q, want \"id\"; rebuild it", x.uid, info.PrimaryKey)
	}
	var current *meilisearch.Settings
	if err := x.request(ctx, "read settings", func(ctx context.Context) (err error) {
		current, err = x.client.Index(x.uid).GetSettingsWithContext(ctx)
		return err
	}); err != nil {
		return err
	}
	if want.satisfiedBy(current) {
		return nil
	}
	return x.applySettings(ctx, want.apply)
}

func (x *Index) applySettings(ctx context.Context, s *meilisearch.Settings) error {
	return x.task(ctx, "update settings", func(ctx context.Context) (*meilisearch.TaskInfo, error) {
		return x.client.Index(x.uid).UpdateSettingsWithContext(ctx, s)
	})
}

// Upsert adds documents, each replacing whatever the index held under its id.
func (x *Index) Upsert(ctx context.Context, docs []Document) error {
	return x.write(ctx, docs, nil)
}

// Delete removes documents by id; ids the index does not hold are no error.
func (x *Index) Delete(ctx context.Context, ids []string) error {
	return x.write(ctx, nil, ids)
}

func (x *Index) write(ctx context.Context, docs []Document, gone []string) error {
	wait, err := x.Queue(ctx, docs, gone)
	if err != nil {
		return err
	}
	return wait(ctx)
}

// Queue sends docs, each replacing whatever the index held under its id, then
// the deletion of the ids in gone, and returns once Meilisearch has accepted
// them, without waiting for it to apply them: wait does that, and reports the
// first task that did not succeed. Meilisearch applies tasks in the order it
// accepted them, and indexes the tasks waiting in its queue together, so a
// writer that sends its next batch before waiting for this one keeps
// Meilisearch's batches large.
func (x *Index) Queue(ctx context.Context, docs []Document, gone []string) (wait func(context.Context) error, err error) {
	queued, err := x.queueUpsert(ctx, docs)
	if err != nil {
		return nil, err
	}
	for batch := range slices.Chunk(gone, batchSize) {
		t, err := x.enqueue(ctx, "delete documents", func(ctx context.Context) (*meilisearch.TaskInfo, error) {
			return x.client.Index(x.uid).DeleteDocumentsWithContext(ctx, batch, nil)
		})
		if err != nil {
			return nil, err
		}
		queued = append(queued, t)
	}
	return func(ctx context.Context) error { return x.await(ctx, queued) }, nil
}

// queueUpsert sends every batch without waiting between them, so Meilisearch can
// index consecutive batches together; await then checks each task.
func (x *Index) queueUpsert(ctx context.Context, docs []Document) ([]queuedTask, error) {
	primaryKey := "id"
	var queued []queuedTask
	for batch := range slices.Chunk(docs, batchSize) {
		t, err := x.enqueue(ctx, "add documents", func(ctx context.Context) (*meilisearch.TaskInfo, error) {
			return x.client.Index(x.uid).AddDocumentsWithContext(ctx, batch, &meilisearch.DocumentOptions{PrimaryKey: &primaryKey})
		})
		if err != nil {
			return queued, err
		}
		queued = append(queued, t)
	}
	return queued, nil
}

// Rebuild fills a fresh index, "<uid>_next", with the documents fill adds, then
// swaps it in for the live one in one step and deletes the old. Searches keep
// answering from the old index until the swap. Two rebuilds of one index must not
// run at once.
func (x *Index) Rebuild(ctx context.Context, fill func(add func([]Document) error) error) error {
	next := &Index{client: x.client, uid: x.uid + "_next", timeout: x.timeout, TaskTimeout: x.TaskTimeout}
	// A rebuild that was interrupted leaves its half-filled index behind.
	if err := next.drop(ctx); err != nil {
		return err
	}
	if err := next.EnsureSettings(ctx); err != nil {
		return err
	}
	// Batches are queued as fill produces them and waited for once at the end,
	// so Meilisearch indexes many at a time instead of one round trip each.
	var queued []queuedTask
	err := fill(func(docs []Document) error {
		q, err := next.queueUpsert(ctx, docs)
		queued = append(queued, q...)
		return err
	})
	if err == nil {
		err = next.await(ctx, queued)
	}
	if err != nil {
		return errors.Join(fmt.Errorf("rebuild %s: %w", x.uid, err), next.drop(context.WithoutCancel(ctx)))
	}
	// Swapping needs both indexes to exist; the first rebuild has nothing to swap out.
	if err := x.create(ctx); err != nil {
		return err
	}
	if err := x.task(ctx, "swap indexes", func(ctx context.Context) (*meilisearch.TaskInfo, error) {
		return x.client.SwapIndexesWithContext(ctx, []*meilisearch.SwapIndexesParams{{Indexes: []string{x.uid, next.uid}}})
	}); err != nil {
		return err
	}
	return next.drop(ctx)
}

// Snapshot returns every document's id with its ContentHash, so a check can
// compare the index with the database by content.
func (x *Index) Snapshot(ctx context.Context) (map[string]string, error) {
	out := map[string]string{}
	err := x.scan(ctx, nil, nil, func(h meilisearch.Hit) error {
		var d Document
		if err := h.DecodeInto(&d); err != nil {
			return err
		}
		out[d.ID] = d.ContentHash()
		return nil
	})
	return out, err
}

// Due returns the ids of documents whose next meeting started before before
// (unix seconds), so their next meeting must be worked out again.
func (x *Index) Due(ctx context.Context, before int64) ([]string, error) {
	ids := []string{}
	err := x.scan(ctx, "next_at < "+strconv.FormatInt(before, 10), []string{"id"}, func(h meilisearch.Hit) error {
		var d struct {
			ID string `json:"id"`
		}
		if err := h.DecodeInto(&d); err != nil {
			return err
		}
		ids = append(ids, d.ID)
		return nil
	})
	return ids, err
}

// scan pages through the documents matching filter (nil for all).
func (x *Index) scan(ctx context.Context, filter any, fields []string, each func(meilisearch.Hit) error) error {
	for offset := int64(0); ; offset += batchSize {
		var page meilisearch.DocumentsResult
		if err := x.request(ctx, "read documents", func(ctx context.Context) error {
			return x.client.Index(x.uid).GetDocumentsWithContext(ctx,
				&meilisearch.DocumentsQuery{Offset: offset, Limit: batchSize, Fields: fields, Filter: filter}, &page)
		}); apiCode(err) == "index_not_found" {
			return &missingIndex{uid: x.uid, err: err}
		} else if err != nil {
			return err
		}
		hits, err := splitHits(page.Results)
		if err != nil {
			return fmt.Errorf("meilisearch read documents of %s: %w", x.uid, err)
		}
		for _, h := range hits {
			if err := each(h); err != nil {
				return fmt.Errorf("meilisearch read documents of %s: %w", x.uid, err)
			}
		}
		if len(hits) < batchSize {
			return nil
		}
	}
}

// create makes the index, with id as primary key, unless it exists.
func (x *Index) create(ctx context.Context) error {
	err := x.task(ctx, "create index", func(ctx context.Context) (*meilisearch.TaskInfo, error) {
		return x.client.CreateIndexWithContext(ctx, &meilisearch.IndexConfig{Uid: x.uid, PrimaryKey: "id"})
	})
	if apiCode(err) == "index_already_exists" {
		return nil
	}
	return err
}

// drop deletes the index if it exists.
func (x *Index) drop(ctx context.Context) error {
	err := x.task(ctx, "delete index", func(ctx context.Context) (*meilisearch.TaskInfo, error) {
		return x.client.DeleteIndexWithContext(ctx, x.uid)
	})
	if apiCode(err) == "index_not_found" {
		return nil
	}
	return err
}

// request runs one call to Meilisearch under the request deadline.
func (x *Index) request(ctx context.Context, what string, call func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, x.timeout)
	defer cancel()
	return callError(ctx, what+" of "+x.uid, call(ctx))
}

// queuedTask is a task Meilisearch accepted and has yet to be waited for.
type queuedTask struct {
	uid  int64
	what string
}

// taskPoll is how often a waited-for task is asked about; it bounds how late a
// change is seen after Meilisearch has applied it.
const taskPoll = 10 * time.Millisecond

// task sends a request that queues a task, then waits for the task to finish.
func (x *Index) task(ctx context.Context, what string, send func(context.Context) (*meilisearch.TaskInfo, error)) error {
	t, err := x.enqueue(ctx, what, send)
	if err != nil {
		return err
	}
	return x.await(ctx, []queuedTask{t})
}

// enqueue sends a request that queues a task.
func (x *Index) enqueue(ctx context.Context, what string, send func(context.Context) (*meilisearch.TaskInfo, error)) (queuedTask, error) {
	var info *meilisearch.TaskInfo
	err := x.request(ctx, what, func(ctx context.Context) (err error) {
		info, err = send(ctx)
		return err
	})
	if err != nil {
		return queuedTask{}, err
	}
	return queuedTask{uid: info.TaskUID, what: what}, nil
}

// await waits for queued tasks in order, each within TaskTimeout; the first that
// did not succeed is the error.
func (x *Index) await(ctx context.Context, queued []queuedTask) error {
	for _, q := range queued {
		if err := x.checkTask(ctx, q); err != nil {
			return err
		}
	}
	return nil
}

func (x *Index) checkTask(ctx context.Context, q queuedTask) error {
	ctx, cancel := context.WithTimeout(ctx, x.TaskTimeout)
	defer cancel()
	what := q.what
	t, err := x.client.WaitForTaskWithContext(ctx, q.uid, taskPoll)
	if err != nil {
		return callError(ctx, fmt.Sprintf("wait for task %d (%s of %s)", q.uid, what, x.uid), err)
	}
	if t.Status == meilisearch.TaskStatusSucceeded {
		return nil
	}
	te := &TaskError{What: what + " of " + x.uid, TaskUID: q.uid, Status: t.Status,
		Code: t.Error.Code, Message: t.Error.Message}
	if t.Status == meilisearch.TaskStatusCanceled && te.Message == "" {
		te.Message = "canceled by task " + strconv.FormatInt(t.CanceledBy, 10)
	}
	return te
}

// callError says what failed and, when the deadline passed or the caller went
// away, wraps the context's error so errors.Is sees it: the client's own errors
// do not.
func callError(ctx context.Context, what string, err error) error {
	if err == nil {
		return nil
	}
	if cerr := ctx.Err(); cerr != nil {
		return fmt.Errorf("meilisearch %s: %w (%v)", what, cerr, err)
	}
	return fmt.Errorf("meilisearch %s: %w", what, err)
}

// missingIndex is an index that is not there to read: said plainly, for the
// person who has not built it yet, with Meilisearch's own answer behind it.
type missingIndex struct {
	uid string
	err error
}

func (e *missingIndex) Error() string {
	return fmt.Sprintf("the Meilisearch index %s does not exist; belong reindex builds it", e.uid)
}

func (e *missingIndex) Unwrap() error { return e.err }

// apiCode is Meilisearch's error code behind err: of a failed task, or of a
// request it refused.
func apiCode(err error) string {
	if te, ok := errors.AsType[*TaskError](err); ok {
		return te.Code
	}
	if me, ok := errors.AsType[*meilisearch.Error](err); ok {
		return me.MeilisearchApiError.Code
	}
	return ""
}
