package harness

import (
	"context"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

func TestPercentileIsNearestRank(t *testing.T) {
	var lat []time.Duration
	for i := 1; i <= 100; i++ {
		lat = append(lat, time.Duration(i)*time.Millisecond)
	}
	for p, want := range map[float64]time.Duration{50: 50 * time.Millisecond, 99: 99 * time.Millisecond, 100: 100 * time.Millisecond} {
		if got := Percentile(lat, p); got != want {
			t.Errorf("Percentile(%v) = %s, want %s", p, got, want)
		}
	}
	if Percentile(nil, 99) != 0 {
		t.Error("no latencies should give 0")
	}
}

func TestProcStopsAPausedProcess(t *testing.T) {
	p, err := Start(Spec{Name: "sleep", Bin: "sleep", Args: []string{"60"}, Log: filepath.Join(t.TempDir(), "sleep.log")})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.WaitReady(context.Background(), 5*time.Second, func() bool { return true }); err != nil {
		t.Fatal(err)
	}
	if err := p.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	stopped := make(chan struct{})
	go func() {
		p.Stop(30 * time.Second)
		close(stopped)
	}()
	select {
	case <-stopped:
	case <-time.After(20 * time.Second):
		p.Kill()
		t.Fatal("Stop did not end a paused process by SIGTERM")
	}
	if exited, _ := p.Exited(); !exited {
		t.Fatal("process still running after Stop")
	}
}

func TestWaitReadyReportsAnEarlyExit(t *testing.T) {
	p, err := Start(Spec{Name: "false", Bin: "false", Log: filepath.Join(t.TempDir(), "false.log")})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.WaitReady(context.Background(), 10*time.Second, func() bool { return false }); err == nil {
		t.Fatal("WaitReady should fail when the process exits first")
	}
}
