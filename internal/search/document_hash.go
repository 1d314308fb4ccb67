package search

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
)

// ContentHash is a digest of everything the document says. A check compares it
// between what PostgreSQL would give now and what a sink holds, so a document
// whose content differs is found even when its updated_at is the same second.
// An empty list hashes the same whether it is nil or [], because the fallback
// stores [] and Meilisearch gives back null.
func (d Document) ContentHash() string {
	for _, list := range []*[]string{&d.TagLabels, &d.TagsYes, &d.TagsPartly, &d.TagsOffered, &d.TagsNo,
		&d.Languages, &d.Modes, &d.Days, &d.Times, &d.Slots} {
		if len(*list) == 0 {
			*list = nil
		}
	}
	// A Document is strings, numbers and booleans: encoding it cannot fail,
	// and encoding/json writes struct fields in one fixed order.
	b, _ := json.Marshal(d)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:16])
}
