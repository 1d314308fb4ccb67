// Package gaps owns the unmet-needs report: it counts, anonymously and off the
// request path, which combinations of needs searches ask for, where, in which
// ISO week and whether they found enough; and it reads those counters back as
// the report moderators see and the public, k-anonymous view everyone sees.
package gaps
