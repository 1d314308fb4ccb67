package indexer

import (
	"context"

	"github.com/belong-directory/belong/internal/search"
)

// SearchDocumentStore keeps the fallback's documents in PostgreSQL; *store.Store
// is one.
type SearchDocumentStore interface {
	UpsertSearchDocuments(ctx context.Context, docs []search.Document) error
	DeleteSearchDocuments(ctx context.Context, ids []string) error
	SearchDocumentHashes(ctx context.Context) (map[string]string, error)
}

// Fallback is the search_documents table as a Documents sink.
func Fallback(s SearchDocumentStore) Documents { return fallback{s} }

type fallback struct{ s SearchDocumentStore }

func (f fallback) Upsert(ctx context.Context, docs []search.Document) error {
	return f.s.UpsertSearchDocuments(ctx, docs)
}

func (f fallback) Delete(ctx context.Context, ids []string) error {
	return f.s.DeleteSearchDocuments(ctx, ids)
}

func (f fallback) Snapshot(ctx context.Context) (map[string]string, error) {
	return f.s.SearchDocumentHashes(ctx)
}

// ListenWith turns a function opening a concrete listener, such as
// (*store.Store).ListenOutbox, into Deps.Listen.
func ListenWith[L Listener](open func(ctx context.Context) (L, error)) func(ctx context.Context) (Listener, error) {
	return func(ctx context.Context) (Listener, error) {
		l, err := open(ctx)
		if err != nil {
			return nil, err
		}
		return l, nil
	}
}
