package interop

import (
	"slices"

	"github.com/belong-directory/belong/internal/directory"
)

// Meeting Guide type codes that belong writes but does not keep as tags. The
// spec (code4recovery/spec) reserves its codes and lets a feed add its own,
// which importers ignore; belong adds exactly one, and README.md lists it.
const (
	// typeOnline marks a meeting with an online room. It is the code the 12 Step
	// Meeting List plugin and TSML UI use; the spec's own list leaves it out.
	typeOnline = "ONL"
	// typeClosedForNow is the spec's "Location Temporarily Closed": belong
	// writes it for a paused listing, and an import pauses a listing that has it.
	typeClosedForNow = "TC"
)

// CustomMeetingTypes are the codes belong writes that the spec does not list.
var CustomMeetingTypes = []string{typeOnline}

// meetingLanguages maps the languages a group meets in (ISO 639 / BCP 47, as
// listing_languages keeps them) to the spec's language types. A language the
// spec has no code for is simply not written as a type; the group page and the
// HSDS export still name it.
var meetingLanguages = map[string]string{
	"af":  "AF",
	"am":  "AM",
	"ar":  "AR",
	"ase": "ASL",
	"bg":  "BG",
	"da":  "DA",
	"de":  "DE",
	"el":  "EL",
	"en":  "EN",
	"es":  "S",
	"fa":  "FA",
	"fi":  "FI",
	"fr":  "FR",
	"he":  "HE",
	"hi":  "HI",
	"hr":  "HR",
	"hu":  "HU",
	"is":  "IS",
	"it":  "ITA",
	"ja":  "JA",
	"ka":  "KA",
	"ko":  "KOR",
	"lt":  "LT",
	"ml":  "ML",
	"mt":  "MT",
	"ne":  "NE",
	"nl":  "NL",
	"no":  "NO",
	"pa":  "PUN",
	"pl":  "POL",
	"pt":  "POR",
	"ru":  "RUS",
	"sk":  "SK",
	"sl":  "SL",
	"sv":  "SV",
	"th":  "TH",
	"tl":  "TL",
	"tr":  "TUR",
	"uk":  "UK",
}

// MeetingTypeGroup is the spec maintainers' split of the type codes: what
// happens at a meeting (format, open or closed included), what the place offers
// (features), who it is for (communities), and the language it is held in.
type MeetingTypeGroup string

const (
	TypeFormat    MeetingTypeGroup = "format"
	TypeFeature   MeetingTypeGroup = "feature"
	TypeCommunity MeetingTypeGroup = "community"
	TypeLanguage  MeetingTypeGroup = "language"
)

// SpecMeetingTypes is every code of the spec's list (@code4recovery/spec 1.1.9,
// 87 codes) by group. An import takes each one in one of four ways: as a tag
// through the alias table (tag_aliases, scheme meeting_guide, plus
// importOnlyAliases), as the language a group meets in (meetingLanguages), as
// something belong derives (TC pauses, ONL follows from a join link), or kept
// with the listing as the feed gave it and reported (keptMeetingTypes). A test
// holds this table to the npm package's list.
var SpecMeetingTypes = map[string]MeetingTypeGroup{
	"11": TypeFormat, "12x12": TypeFormat, "A": TypeFormat, "ABSI": TypeFormat, "B": TypeFormat,
	"BE": TypeFormat, "C": TypeFormat, "D": TypeFormat, "DR": TypeFormat, "GR": TypeFormat, "H": TypeFormat,
	"LIT": TypeFormat, "LS": TypeFormat, "MED": TypeFormat, "O": TypeFormat, "SP": TypeFormat,
	"ST": TypeFormat, "TR": TypeFormat,

	"AL": TypeFeature, "AL-AN": TypeFeature, "BA": TypeFeature, "BRK": TypeFeature, "CAN": TypeFeature,
	"CF": TypeFeature, "DB": TypeFeature, "FF": TypeFeature, "OUT": TypeFeature, "POA": TypeFeature,
	"SM": TypeFeature, "TC": TypeFeature, "X": TypeFeature, "XB": TypeFeature, "XT": TypeFeature,

	"BI": TypeCommunity, "DD": TypeCommunity, "G": TypeCommunity, "L": TypeCommunity,
	"LGBTQ": TypeCommunity, "M": TypeCommunity, "N": TypeCommunity, "NB": TypeCommunity,
	"NDG": TypeCommunity, "P": TypeCommunity, "POC": TypeCommunity, "SEN": TypeCommunity,
	"T": TypeCommunity, "W": TypeCommunity, "Y": TypeCommunity,

	"AF": TypeLanguage, "AM": TypeLanguage, "AR": TypeLanguage, "ASL": TypeLanguage, "BG": TypeLanguage,
	"DA": TypeLanguage, "DE": TypeLanguage, "EL": TypeLanguage, "EN": TypeLanguage, "FA": TypeLanguage,
	"FI": TypeLanguage, "FR": TypeLanguage, "HE": TypeLanguage, "HI": TypeLanguage, "HR": TypeLanguage,
	"HU": TypeLanguage, "IS": TypeLanguage, "ITA": TypeLanguage, "JA": TypeLanguage, "KA": TypeLanguage,
	"KOR": TypeLanguage, "LT": TypeLanguage, "ML": TypeLanguage, "MT": TypeLanguage, "NE": TypeLanguage,
	"NL": TypeLanguage, "NO": TypeLanguage, "POL": TypeLanguage, "POR": TypeLanguage, "PUN": TypeLanguage,
	"RUS": TypeLanguage, "S": TypeLanguage, "SK": TypeLanguage, "SL": TypeLanguage, "SV": TypeLanguage,
	"TH": TypeLanguage, "TL": TypeLanguage, "TUR": TypeLanguage, "UK": TypeLanguage,
}

// importOnlyAliases read codes as tags on import but are never written back:
// a gay, lesbian, bisexual or non-binary meeting is an LGBTQ-affirming space,
// but an LGBTQ-affirming space is not a gay meeting. ASL (American Sign
// Language) is the sign-interpreting tag through the alias table.
var importOnlyAliases = map[string][]string{
	"G":  {"identity.lgbtq-affirming"},
	"L":  {"identity.lgbtq-affirming"},
	"BI": {"identity.lgbtq-affirming"},
	"NB": {"identity.lgbtq-affirming", "identity.trans-affirming"},
}

// keptMeetingTypes are the spec's codes belong does not model: what a meeting
// reads or does (formats), who it is for where belong has no tag that
// describes a space (men, young people, seniors, professionals), and features
// of the meeting rather than barriers. An import keeps them with the listing
// (listing_sources.kept_types) and reports them; it never drops them silently.
var keptMeetingTypes = map[string]bool{
	"11": true, "12x12": true, "ABSI": true, "B": true, "BE": true, "C": true, "D": true, "DR": true,
	"GR": true, "H": true, "LIT": true, "LS": true, "MED": true, "O": true, "SP": true, "ST": true, "TR": true,
	"AL": true, "AL-AN": true, "BRK": true, "CAN": true, "DB": true, "POA": true, "SM": true, "XT": true,
	"DD": true, "M": true, "N": true, "NDG": true, "P": true, "SEN": true, "Y": true,
	// languages belong's language list does not have yet
	"DA": true, "EL": true, "HE": true, "HR": true, "HU": true, "LT": true, "ML": true, "NO": true,
	"SK": true, "SV": true, "TH": true, "AF": true, "BG": true, "FI": true, "IS": true, "KA": true,
	"MT": true, "NL": true, "SL": true,
}

// MeetingTypeImport is what one type code means to an import.
type MeetingTypeImport struct {
	// Tags are the tag slugs the code stands for, offered fully (yes).
	Tags []string
	// Language is the language code the group meets in.
	Language string
	// Pause marks a temporarily closed meeting (TC).
	Pause bool
	// Derived codes say what belong works out from other fields (ONL: a join link).
	Derived bool
	// Kept codes are not modelled: kept with the listing and reported.
	Kept bool
}

// MeetingTypeCrosswalk reads type codes on import through the same tables the
// export writes them with.
type MeetingTypeCrosswalk struct {
	tags      map[string][]string
	languages map[string]string
}

// NewMeetingTypeCrosswalk builds the crosswalk from the taxonomy's alias table
// and the languages belong knows (a spec language without one is kept).
func NewMeetingTypeCrosswalk(cats []directory.Category, known []directory.Language) MeetingTypeCrosswalk {
	c := MeetingTypeCrosswalk{tags: map[string][]string{}, languages: map[string]string{}}
	exists := map[string]bool{}
	for _, cat := range cats {
		for _, t := range cat.Tags {
			exists[t.Slug] = true
			for _, code := range t.Aliases["meeting_guide"] {
				c.tags[code] = append(c.tags[code], t.Slug)
			}
		}
	}
	for code, tags := range importOnlyAliases {
		for _, t := range tags {
			if exists[t] && !slices.Contains(c.tags[code], t) {
				c.tags[code] = append(c.tags[code], t)
			}
		}
	}
	have := map[string]bool{}
	for _, l := range known {
		have[l.Code] = true
	}
	for lang, code := range meetingLanguages {
		if have[lang] && len(c.tags[code]) == 0 {
			c.languages[code] = lang
		}
	}
	return c
}

// Import says what a type code means. A code that is neither a tag, a
// language nor derived is kept, whether the spec lists it or the feed made it up.
func (c MeetingTypeCrosswalk) Import(code string) MeetingTypeImport {
	switch {
	case code == typeClosedForNow:
		return MeetingTypeImport{Pause: true}
	case code == typeOnline:
		return MeetingTypeImport{Derived: true}
	case len(c.tags[code]) > 0:
		return MeetingTypeImport{Tags: c.tags[code]}
	case c.languages[code] != "":
		return MeetingTypeImport{Language: c.languages[code]}
	}
	return MeetingTypeImport{Kept: true}
}

// Accounted reports whether a spec code is mapped (tag, language, derived) or
// listed as kept-but-unmodelled on purpose.
func (c MeetingTypeCrosswalk) Accounted(code string) bool {
	m := c.Import(code)
	return !m.Kept || keptMeetingTypes[code]
}
