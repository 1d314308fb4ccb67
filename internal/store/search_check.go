package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/belong-directory/belong/internal/search"
)

// SearchDocumentHashes maps every stored document's listing id to the
// search.Document.ContentHash of the document as stored, so a check can compare
// the fallback with the listings by content.
func (s *Store) SearchDocumentHashes(ctx context.Context) (map[string]string, error) {
	rows, err := s.pool.Query(ctx, `SELECT listing_id::text, doc FROM search_documents`)
	if err != nil {
		return nil, translate(err, "read search documents")
	}
	out := map[string]string{}
	var id string
	var doc []byte
	_, err = pgx.ForEachRow(rows, []any{&id, &doc}, func() error {
		var d search.Document
		if err := json.Unmarshal(doc, &d); err != nil {
			return fmt.Errorf("search document of %s: %w", id, err)
		}
		out[id] = d.ContentHash()
		return nil
	})
	if err != nil {
		return nil, translate(err, "read search documents")
	}
	return out, nil
}
