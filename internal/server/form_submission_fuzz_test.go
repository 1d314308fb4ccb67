package server

import (
	"net/url"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/search"
)

// FuzzSubmissionForm feeds the submit form's parser and validator whatever a
// client may send: they never panic, and a form that passes always makes a
// listing that passes the listing's own validation.
func FuzzSubmissionForm(f *testing.F) {
	f.Add("name=Circle&schedules[0].pattern=weekly&schedules[0].days=TU&schedules[0].opens=18:30&schedules[0].closes=20:00&schedules[0].zone=America/Chicago&place.city=Chicago&place.country=US&contact_email=a@b.org")
	f.Add("schedules[0].pattern=dates&schedules[0].dates=2027-02-30,,x&schedules[0].ordinal=-9&tags.cost.free=maybe")
	f.Add("schedules[0].pattern=monthly&schedules[0].days=MO&schedules[0].ordinal=-1&schedules[0].skip=2027-01-01;2027-13-01")
	f.Add("%zz&&=&tags.=yes&tags..note=x&languages=xx")
	vocab := search.NewTerms([]string{"cost.free", "care.childcare"}, []string{"en", "es"}, nil)
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, raw string) {
		form, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		sub := parseSubmission(form, "en")
		l, err := sub.Validate(vocab, now, nil)
		if err == nil {
			if verr := l.Validate(); verr != nil {
				t.Fatalf("accepted a submission whose listing is invalid: %v", verr)
			}
		}
	})
}
