package directory

import "strings"

// Category groups the barrier tags a person chooses from, such as "Cost".
type Category struct {
	Slug  string `json:"slug"`
	Label string `json:"label"`
	Tags  []Tag  `json:"tags"`
}

// Tag is one barrier a space can take down, labelled in one UI language.
type Tag struct {
	Slug       string              `json:"slug"`
	Category   string              `json:"category"`
	Label      string              `json:"label"`
	Definition string              `json:"definition"`
	Physical   bool                `json:"physical"`
	Aliases    map[string][]string `json:"aliases,omitempty"`
}

// Language is a spoken or signed language a group can meet in.
type Language struct {
	Code    string `db:"code" json:"code"`
	Name    string `db:"name" json:"name"`
	Autonym string `db:"autonym" json:"autonym"`
	Signed  bool   `db:"signed" json:"signed"`
}

// OwnName is the language's own name where it adds to Name, else "": Name
// already says it when it is the same word ("español", "Español") or holds it
// ("American Sign Language (ASL)", "ASL").
func (l Language) OwnName() string {
	if strings.Contains(strings.ToLower(l.Name), strings.ToLower(l.Autonym)) {
		return ""
	}
	return l.Autonym
}
