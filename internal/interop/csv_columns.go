package interop

// CSVColumn is one column of the listing spreadsheet: its header, whether a
// file must have it, and what the template's example row holds. The column
// guide explains each under the translation key import.col.NAME.
type CSVColumn struct {
	Name     string
	Required bool
	Example  string
}

// csvColumns are the columns of the spreadsheet, in the template's order,
// before one column per barrier tag. A person fills them in a spreadsheet, so
// they take words ("Tuesday, Thursday", "7pm", "yes") rather than codes.
var csvColumns = []CSVColumn{
	{Name: "name", Required: true, Example: "Tuesday Grief Circle"},
	{Name: "summary", Required: true, Example: "A calm weekly circle for anyone who has lost someone."},
	{Name: "organization", Required: true, Example: "Neighbours Network"},
	{Name: "description", Example: "We sit in a circle, share if we want to, and listen."},
	{Name: "what_to_expect", Example: "Tea and a quiet room. Nobody has to speak."},
	{Name: "how_to_join", Example: "Just come along; no need to write first."},
	{Name: "text_language", Example: "en"},
	{Name: "days", Example: "Tuesday, Thursday"},
	{Name: "starts", Example: "18:30"},
	{Name: "ends", Example: "20:00"},
	{Name: "repeats", Example: "weekly"},
	{Name: "time_zone", Example: "America/Chicago"},
	{Name: "first_date", Example: "2026-01-06"},
	{Name: "last_date"},
	{Name: "schedule_notes", Example: "Doors open 15 minutes early."},
	{Name: "place_name", Example: "Logan Square Library"},
	{Name: "address", Example: "3030 W Fullerton Ave"},
	{Name: "neighbourhood", Example: "Logan Square"},
	{Name: "city", Example: "Chicago"},
	{Name: "region", Example: "IL"},
	{Name: "postal_code", Example: "60647"},
	{Name: "country", Example: "US"},
	{Name: "latitude"},
	{Name: "longitude"},
	{Name: "transit_notes", Example: "Blue Line, California stop"},
	{Name: "discreet", Example: "no"},
	{Name: "online_link"},
	{Name: "join_by_phone"},
	{Name: "languages", Example: "English, Spanish"},
	{Name: "cost_note", Example: "Free; tea is on us."},
	{Name: "website"},
	{Name: "email", Example: "hello@neighbours.example"},
	{Name: "phone"},
	{Name: "contact_email", Example: "organizer@neighbours.example"},
	{Name: "organization_website"},
	{Name: "organization_email"},
	{Name: "organization_phone"},
	{Name: "paused", Example: "no"},
	{Name: "paused_note"},
	{Name: "slug"},
}

// tagExamples are the template's example values for a few barrier tags.
var tagExamples = map[string]string{
	"cost.free":        "yes",
	"access.step-free": "partly: ramp at the side door",
	"care.childcare":   "no",
}

// CSVColumns are the spreadsheet's plain columns, in order; one column per
// barrier tag follows them, headed by the tag's slug.
func CSVColumns() []CSVColumn { return csvColumns }
