package interop

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
	"am":  "AM",
	"ase": "ASL",
	"da":  "DA",
	"de":  "DE",
	"el":  "EL",
	"en":  "EN",
	"es":  "S",
	"fa":  "FA",
	"fr":  "FR",
	"he":  "HE",
	"hi":  "HI",
	"hr":  "HR",
	"hu":  "HU",
	"it":  "ITA",
	"ja":  "JA",
	"ko":  "KOR",
	"lt":  "LT",
	"ml":  "ML",
	"no":  "NO",
	"pa":  "PUN",
	"pl":  "POL",
	"pt":  "POR",
	"ru":  "RUS",
	"sk":  "SK",
	"sv":  "SV",
	"th":  "TH",
	"tl":  "TL",
	"uk":  "UK",
}
