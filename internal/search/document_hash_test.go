package search_test

import (
	"testing"

	"github.com/belong-directory/belong/internal/search"
)

func TestContentHashSeesContentNotHowEmptyListsAreStored(t *testing.T) {
	at := int64(1_700_000_000)
	d := search.Document{ID: "a", Name: "Grief circle", TagsYes: []string{"cost.free"}, UpdatedAt: at, NextAt: &at}
	stored := d
	stored.Languages, stored.Days = []string{}, []string{}
	if d.ContentHash() != stored.ContentHash() {
		t.Error("a document with [] lists hashes differently from the same one with null lists")
	}
	renamed := d
	renamed.Name = "Grief circle (Tuesdays)"
	if renamed.ContentHash() == d.ContentHash() {
		t.Error("a renamed document with the same updated_at hashes the same")
	}
	later := at + 60
	moved := d
	moved.NextAt = &later
	if moved.ContentHash() == d.ContentHash() {
		t.Error("a document whose next meeting moved hashes the same")
	}
}
