package feeds

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/directory"
)

func TestParseReadsTheSpecFields(t *testing.T) {
	data, err := os.ReadFile("testdata/feed.json")
	if err != nil {
		t.Fatal(err)
	}
	meetings, problems, err := Parse(data)
	if err != nil || len(problems) != 0 {
		t.Fatalf("Parse: %v %+v", err, problems)
	}
	if len(meetings) != 3 {
		t.Fatalf("got %d meetings, want 3", len(meetings))
	}
	m := meetings[0]
	if m.Item != 1 || m.Slug != "sunrise-serenity" || len(m.Days) != 2 || m.Days[0] != time.Monday ||
		m.Days[1] != time.Wednesday || m.EndTime != "08:15" || m.Approximate || *m.Latitude != 36.1539 ||
		m.FeedbackURL != "https://example.org/feedback" || len(m.FeedbackEmails) != 1 || len(m.Regions) != 2 {
		t.Errorf("first meeting read as %+v", m)
	}
	if !meetings[1].Approximate || meetings[1].Days[0] != time.Tuesday {
		t.Errorf("second meeting read as %+v", meetings[1])
	}
	if flags, _, err := Parse([]byte(`[{"approximate": true}, {"approximate": "Yes"}, {"approximate": false}, {}]`)); err != nil ||
		!flags[0].Approximate || !flags[1].Approximate || flags[2].Approximate || flags[3].Approximate {
		t.Errorf("approximate as true or \"yes\": %+v %v", flags, err)
	}
	if meetings[2].Days[0] != time.Friday || *meetings[2].Latitude != 40.4168 {
		t.Errorf("a day and a position written as strings: %+v", meetings[2])
	}
}

func TestParseRefusesWhatIsNotAFeed(t *testing.T) {
	for name, body := range map[string]string{
		"malformed":  `[{"name": "x",`,
		"object":     `{"meetings": []}`,
		"null":       `null`,
		"empty":      ``,
		"text":       `<html>not found</html>`,
		"truncated":  `[{"name":"a","slug":"a"}`,
		"two values": `[] []`,
	} {
		if _, _, err := Parse([]byte(body)); err == nil {
			t.Errorf("%s: Parse(%q) took it as a feed", name, body)
		}
	}
}

func TestParseReportsBadItemsAndKeepsTheRest(t *testing.T) {
	body := `[
		"not an object",
		{"name": "Bad day", "slug": "bad-day", "day": 7, "time": "10:00"},
		{"name": "Negative day", "slug": "neg", "day": -1, "time": "10:00"},
		{"name": "Day list with junk", "slug": "junk", "day": [1, "x"], "time": "10:00"},
		{"name": "Types object", "slug": "types", "day": 1, "time": "10:00", "types": {"a": 1}},
		{"name": "Latitude text", "slug": "lat", "day": 1, "time": "10:00", "latitude": "north"},
		{"name": "Good", "slug": "good", "day": 1, "time": "10:00"}
	]`
	meetings, problems, err := Parse([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if len(meetings) != 1 || meetings[0].Slug != "good" || meetings[0].Item != 7 {
		t.Fatalf("kept %+v", meetings)
	}
	want := map[int]string{1: "", 2: "day", 3: "day", 4: "day", 5: "types", 6: "latitude"}
	if len(problems) != len(want) {
		t.Fatalf("problems %+v", problems)
	}
	for _, p := range problems {
		if f, ok := want[p.Item]; !ok || f != p.Field || !p.Skipped || p.Message == "" {
			t.Errorf("problem %+v, want field %q skipped", p, f)
		}
	}
}

func TestParseRefusesAHugeNumberOfMeetings(t *testing.T) {
	body := "[" + strings.Repeat("{},", MaxMeetings) + "{}]"
	if _, _, err := Parse([]byte(body)); err == nil || !strings.Contains(err.Error(), "at most") {
		t.Fatalf("Parse of %d meetings: %v", MaxMeetings+1, err)
	}
}

func FuzzParse(f *testing.F) {
	seed, _ := os.ReadFile("testdata/feed.json")
	f.Add(seed)
	for _, s := range []string{`[]`, `[{}]`, `[{"day":[0,6],"time":"23:59","slug":"a","name":"b"}]`,
		`[{"latitude":200,"longitude":-500}]`, `[{"notes":"<script>alert(1)</script>"}]`, `{`, `[null]`,
		`[{"day":"3","time":"7:00","timezone":"Mars/Olympus"}]`, "\xef\xbb\xbf[]", `[{"types":"X"}]`} {
		f.Add([]byte(s))
	}
	mapper := Mapper{Feed: directory.Feed{ID: "00000000-0000-4000-8000-000000000001", Name: "Fuzz",
		DefaultTimeZone: "UTC", DefaultCountry: "US"}, Now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
	f.Fuzz(func(t *testing.T, data []byte) {
		meetings, problems, err := Parse(data)
		if err != nil {
			if len(meetings) != 0 || len(problems) != 0 {
				t.Fatal("a refused feed still gave meetings")
			}
			return
		}
		for _, p := range problems {
			if !p.Skipped || p.Item < 1 || p.Message == "" {
				t.Fatalf("problem %+v", p)
			}
		}
		for _, m := range meetings {
			for _, d := range m.Days {
				if d < time.Sunday || d > time.Saturday {
					t.Fatalf("day %d out of range", d)
				}
			}
			mapped, _, ok := mapper.Map(m)
			if !ok {
				continue
			}
			if err := mapped.Listing.Validate(); err != nil {
				t.Fatalf("mapped listing does not validate: %v", err)
			}
			for _, loc := range mapped.Listing.Locations {
				if loc.Lat != nil && (*loc.Lat < -90 || *loc.Lat > 90) {
					t.Fatalf("latitude %v kept", *loc.Lat)
				}
			}
		}
	})
}
