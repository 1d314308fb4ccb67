package testenv

import (
	"io"
	"net"
	"sync"
	"testing"

	"github.com/emersion/go-smtp"
)

// SMTP is a real SMTP server run inside the test, on a loopback port of its own,
// that keeps what it receives.
type SMTP struct {
	Addr     string
	server   *smtp.Server
	ln       net.Listener
	mu       sync.Mutex
	messages []Received
	arrived  chan struct{}
}

// Received is one message as it arrived.
type Received struct {
	From string
	To   []string
	Data string
}

// StartSMTP starts a server; it stops when the test ends.
func StartSMTP(t testing.TB) *SMTP {
	t.Helper()
	s := &SMTP{arrived: make(chan struct{}, 1000)}
	s.server = smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) { return &smtpSession{s: s}, nil }))
	s.server.Domain = "localhost"
	s.server.AllowInsecureAuth = true
	s.listen(t, "127.0.0.1:0")
	t.Cleanup(s.Stop)
	return s
}

func (s *SMTP) listen(t testing.TB, addr string) {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatalf("SMTP server: %v", err)
	}
	s.ln, s.Addr = ln, ln.Addr().String()
	srv := s.server
	go func() { _ = srv.Serve(ln) }()
}

// Stop stops answering, as an SMTP server that went down.
func (s *SMTP) Stop() { _ = s.server.Close() }

// Restart answers again on the same address.
func (s *SMTP) Restart(t testing.TB) {
	t.Helper()
	srv := smtp.NewServer(s.server.Backend)
	srv.Domain, srv.AllowInsecureAuth = "localhost", true
	s.server = srv
	s.listen(t, s.Addr)
}

// Arrived is signalled once per message received.
func (s *SMTP) Arrived() <-chan struct{} { return s.arrived }

// Messages returns what has arrived so far.
func (s *SMTP) Messages() []Received {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Received(nil), s.messages...)
}

type smtpSession struct {
	s    *SMTP
	from string
	to   []string
}

func (ss *smtpSession) Reset()        { ss.from, ss.to = "", nil }
func (ss *smtpSession) Logout() error { return nil }
func (ss *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	ss.from = from
	return nil
}
func (ss *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	ss.to = append(ss.to, to)
	return nil
}
func (ss *smtpSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	ss.s.mu.Lock()
	ss.s.messages = append(ss.s.messages, Received{From: ss.from, To: ss.to, Data: string(b)})
	ss.s.mu.Unlock()
	ss.s.arrived <- struct{}{}
	return nil
}
