package breaker_test

import (
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/breaker"
	"github.com/belong-directory/belong/internal/testenv"
)

// clock is a time the test moves by hand.
type clock struct {
	mu sync.Mutex
	at time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.at
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.at = c.at.Add(d)
}

var errDown = errors.New("connection refused")

func newBreaker(threshold int) (*breaker.Breaker, *clock, *testenv.LogBuffer) {
	c := &clock{at: time.Unix(1_000_000, 0)}
	logs := &testenv.LogBuffer{}
	b := breaker.New(breaker.Options{Threshold: threshold, Cooldown: 10 * time.Second, Now: c.now,
		Log: slog.New(slog.NewTextHandler(logs, nil)), Down: "thing failing", Up: "thing answering again",
		Attrs: []any{"dependency", "thing"}})
	return b, c, logs
}

func mustAllow(t *testing.T, b *breaker.Breaker) breaker.Ticket {
	t.Helper()
	tk, ok := b.Allow()
	if !ok {
		t.Fatalf("call refused with the breaker %s", b.State())
	}
	return tk
}

func mustRefuse(t *testing.T, b *breaker.Breaker) {
	t.Helper()
	if _, ok := b.Allow(); ok {
		t.Fatalf("call let through with the breaker %s", b.State())
	}
}

func TestBreakerOpensAfterThresholdAndProbesOnceAfterTheCooldown(t *testing.T) {
	b, c, logs := newBreaker(2)
	mustAllow(t, b).Failed(errDown)
	if b.State() != breaker.Closed {
		t.Fatalf("one failure of two opened the breaker")
	}
	mustAllow(t, b).Succeeded()
	mustAllow(t, b).Failed(errDown)
	if b.State() != breaker.Closed {
		t.Fatalf("a success in between must reset the count")
	}
	mustAllow(t, b).Failed(errDown)
	if b.State() != breaker.Open {
		t.Fatalf("two failures in a row left the breaker %s", b.State())
	}
	mustRefuse(t, b)
	c.advance(9 * time.Second)
	mustRefuse(t, b)

	c.advance(time.Second)
	probe := mustAllow(t, b)
	if b.State() != breaker.HalfOpen {
		t.Fatalf("state while probing = %s", b.State())
	}
	mustRefuse(t, b)
	mustRefuse(t, b)
	probe.Failed(errDown)
	if b.State() != breaker.Open {
		t.Fatalf("a failed probe left the breaker %s", b.State())
	}
	mustRefuse(t, b)

	c.advance(10 * time.Second)
	probe = mustAllow(t, b)
	mustRefuse(t, b)
	if !probe.Succeeded() {
		t.Fatal("the probe that closed the breaker did not say it ended the outage")
	}
	if b.State() != breaker.Closed {
		t.Fatalf("a successful probe left the breaker %s", b.State())
	}
	if mustAllow(t, b).Succeeded() {
		t.Fatal("a success with the breaker closed said it ended an outage")
	}

	text := logs.String()
	if n := strings.Count(text, "thing failing"); n != 1 {
		t.Errorf("the outage was logged %d times, want once:\n%s", n, text)
	}
	if n := strings.Count(text, "thing answering again"); n != 1 {
		t.Errorf("the recovery was logged %d times, want once:\n%s", n, text)
	}
	if !strings.Contains(text, "dependency=thing") || !strings.Contains(text, `error="connection refused"`) {
		t.Errorf("logs lack the dependency or the error:\n%s", text)
	}
}

// After the cooldown, of many calls at once exactly one probes; the others keep
// being refused until it answers.
func TestBreakerLetsExactlyOneProbeThroughUnderConcurrency(t *testing.T) {
	b, c, _ := newBreaker(1)
	mustAllow(t, b).Failed(errDown)
	c.advance(10 * time.Second)

	const callers = 64
	start := make(chan struct{})
	probes := make(chan breaker.Ticket, callers)
	var wg sync.WaitGroup
	for range callers {
		wg.Go(func() {
			<-start
			if tk, ok := b.Allow(); ok {
				probes <- tk
			}
		})
	}
	close(start)
	wg.Wait()
	close(probes)
	var got []breaker.Ticket
	for tk := range probes {
		got = append(got, tk)
	}
	if len(got) != 1 {
		t.Fatalf("%d calls probed at once, want exactly 1", len(got))
	}
	c.advance(time.Hour) // however long the probe takes, the rest wait for it
	mustRefuse(t, b)
	got[0].Succeeded()
	for range callers {
		mustAllow(t, b).Succeeded()
	}
}

// A call that began before the breaker opened and fails late must not start a
// new cooldown or log again; one that began before it closed must not reopen it.
func TestBreakerIgnoresReportsFromAnEarlierState(t *testing.T) {
	b, c, logs := newBreaker(1)
	early, late := mustAllow(t, b), mustAllow(t, b)
	early.Failed(errDown)
	c.advance(10 * time.Second)
	late.Failed(errDown)
	probe := mustAllow(t, b)
	if !probe.Succeeded() {
		t.Fatal("the probe did not close the breaker")
	}
	inFlight := mustAllow(t, b)
	mustAllow(t, b).Failed(errDown)
	c.advance(10 * time.Second)
	mustAllow(t, b).Succeeded()
	inFlight.Failed(errDown) // issued while closed, before the second outage
	if b.State() != breaker.Closed {
		t.Fatalf("a late failure from an earlier state left the breaker %s", b.State())
	}
	if n := strings.Count(logs.String(), "thing failing"); n != 2 {
		t.Errorf("two outages logged %d times:\n%s", n, logs)
	}
}

// A probe abandoned by its caller says nothing of the dependency: the next call
// probes at once instead of waiting for another cooldown.
func TestBreakerAbandonedProbeLetsTheNextCallProbe(t *testing.T) {
	b, c, _ := newBreaker(1)
	mustAllow(t, b).Failed(errDown)
	c.advance(10 * time.Second)
	mustAllow(t, b).Abandon()
	if b.State() != breaker.Open {
		t.Fatalf("state after an abandoned probe = %s", b.State())
	}
	probe := mustAllow(t, b)
	mustRefuse(t, b)
	probe.Succeeded()
	tk := mustAllow(t, b)
	tk.Abandon()
	if b.State() != breaker.Closed {
		t.Fatalf("an abandoned call with the breaker closed changed it to %s", b.State())
	}
}
