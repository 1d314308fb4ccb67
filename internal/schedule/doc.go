// Package schedule owns the recurrence rules of listings' meetings: parsing,
// validating and expanding them into dated occurrences in the listing's own
// time zone.
//
// The fields follow the Open Referral HSDS 3.0 schedule object (freq,
// interval, byday, dtstart, until, opens_at, closes_at), which in turn borrows
// them from iCalendar (RFC 5545), restricted to what peer-support groups
// actually use: WEEKLY and MONTHLY rules with BYDAY. Two deliberate departures
// from HSDS:
//
//   - The time zone is an IANA name ("America/Chicago"), not HSDS's numeric
//     UTC offset, because a fixed offset cannot follow daylight-saving time
//     and a group meeting at 18:30 meets at 18:30 all year.
//   - Skip lists dates without a meeting (holidays), which HSDS can only
//     express with extra schedule rows.
//
// Everything is computed on civil dates and wall-clock times in the rule's
// location, and only converted to instants at the last moment. That keeps a
// meeting at the same local time across daylight-saving changes while its UTC
// offset moves, and it keeps "the second Tuesday" a property of the local
// calendar rather than of whatever zone the server runs in.
//
// Expansion is deliberately bounded (see SearchHorizonYears and the limits
// passed to Rule.Between and Rule.Next) so that a rule which never matches,
// such as a fifth Monday with an Until before any, costs a fixed amount of
// work instead of looping.
package schedule
