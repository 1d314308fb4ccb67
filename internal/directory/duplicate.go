package directory

// Duplicate is another listing that may be the same group as one a moderator
// is looking at, and why it looks so.
type Duplicate struct {
	ID     string
	Slug   string
	Name   string
	Status Status
	// SameName: the same name (ignoring case, accents, spaces and punctuation)
	// in the same city. SameContact: the same private contact address.
	SameName    bool
	SameContact bool
}
