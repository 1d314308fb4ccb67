package moderation_test

import (
	"testing"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/moderation"
	"github.com/belong-directory/belong/internal/testenv"
)

func TestDiffListsChangedFieldsOnly(t *testing.T) {
	before := *testenv.WeeklyGroup("a", "cost.free")
	after := before
	after.Summary = "New words."
	after.Tags = append([]directory.ListingTag{}, before.Tags...)
	after.Tags[0].Note = "always"
	after.Paused = true

	changes, unchanged := moderation.Diff(before, after, moderation.Stored{})
	var fields []string
	for _, c := range changes {
		fields = append(fields, c.Field)
	}
	want := []string{"moderate.field.summary", "moderate.field.tags", "moderate.field.paused"}
	if len(fields) != len(want) {
		t.Fatalf("changed fields %v, want %v", fields, want)
	}
	for i := range want {
		if fields[i] != want[i] {
			t.Fatalf("changed fields %v, want %v", fields, want)
		}
	}
	if changes[1].Before != "cost.free: yes" || changes[1].After != "cost.free: yes — always" {
		t.Errorf("tags: %+v", changes[1])
	}
	if !changes[2].Keys || changes[2].After != "moderate.paused.yes" {
		t.Errorf("paused: %+v", changes[2])
	}
	if unchanged == 0 {
		t.Error("nothing counted as unchanged")
	}

	all, _ := moderation.Diff(directory.Listing{}, before, moderation.Stored{})
	if len(all) < 5 || all[0].Field != "moderate.field.name" || all[0].After != before.Name {
		t.Errorf("against nothing, every filled field is listed: %+v", all)
	}
}
