package mail

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// Queue is what the sender needs of the store.
type Queue interface {
	ClaimMail(ctx context.Context, limit int, lease time.Duration) ([]Queued, error)
	MailSent(ctx context.Context, id int64, via string) error
	MailFailed(ctx context.Context, id int64, reason error) error
	RetryMailNow(ctx context.Context) error
}

// Transport hands one message on; Name says where ("smtp" or "log").
type Transport interface {
	Name() string
	Deliver(ctx context.Context, m Message) error
}

// Sender delivers the queue.
type Sender struct {
	Queue     Queue
	Transport Transport
	Log       *slog.Logger
	// Poll is how often the queue is looked at; Lease how long a claimed
	// message is kept from other senders.
	Poll, Lease time.Duration
	// Notify, when set, is told of every message delivered (for tests).
	Notify func(Queued)
}

// batch is how many messages one pass claims.
const batch = 20

// Run delivers the queue until ctx ends.
func (s *Sender) Run(ctx context.Context) {
	tick := time.NewTicker(s.Poll)
	defer tick.Stop()
	failing := false
	for {
		delivered, failed := s.Pass(ctx)
		switch {
		case failed > 0 && delivered == 0 && !failing:
			failing = true
			s.Log.Warn("email cannot be delivered; it stays queued and is retried", "via", s.Transport.Name())
		case delivered > 0 && failing:
			failing = false
			s.Log.Info("email is being delivered again", "via", s.Transport.Name())
			// What waited for back-off goes now that the server answers.
			if err := s.Queue.RetryMailNow(ctx); err != nil && ctx.Err() == nil {
				s.Log.Warn("waiting email not retried at once", "error", err.Error())
			}
			continue
		}
		if delivered == batch {
			continue // more may be waiting
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// Pass claims and delivers one batch, and says how many went and how many failed.
func (s *Sender) Pass(ctx context.Context) (delivered, failed int) {
	msgs, err := s.Queue.ClaimMail(ctx, batch, s.Lease)
	if err != nil {
		if ctx.Err() == nil {
			s.Log.Debug("email queue not read", "error", err.Error())
		}
		return 0, 0
	}
	for _, m := range msgs {
		dctx, cancel := context.WithTimeout(ctx, s.Lease/2)
		err := s.Transport.Deliver(dctx, m.Message)
		cancel()
		if err != nil {
			failed++
			if ferr := s.Queue.MailFailed(context.WithoutCancel(ctx), m.ID, err); ferr != nil {
				s.Log.Warn("email failure not recorded", "error", ferr.Error())
			}
			continue
		}
		delivered++
		if err := s.Queue.MailSent(context.WithoutCancel(ctx), m.ID, s.Transport.Name()); err != nil {
			s.Log.Warn("sent email not marked; it may go twice", "id", m.ID, "error", err.Error())
		}
		if s.Notify != nil {
			s.Notify(m)
		}
	}
	return delivered, failed
}

// LogTransport writes messages to the log with their secrets masked, for a
// directory run without SMTP; `belong mail show` prints them whole.
type LogTransport struct{ Log *slog.Logger }

// Name is where messages go.
func (LogTransport) Name() string { return "log" }

// Deliver logs the message.
func (t LogTransport) Deliver(_ context.Context, m Message) error {
	t.Log.Info("email (no SMTP configured; `belong mail show` prints it whole)", "kind", m.Kind, "lang", m.Lang,
		"subject", m.Subject, "text", Masked(m.Text))
	return nil
}

// SMTPTransport sends through an SMTP server.
type SMTPTransport struct {
	client *gomail.Client
	from   string
}

// NewSMTPTransport reads SMTP_URL: smtp://[user:password@]host[:port][?tls=none|starttls|tls].
// Without tls it uses STARTTLS when the server offers it.
func NewSMTPTransport(rawURL, from string, timeout time.Duration) (*SMTPTransport, error) {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "smtp" || u.Hostname() == "" {
		return nil, errors.New("SMTP_URL must look like smtp://user:password@host:port")
	}
	opts := []gomail.Option{gomail.WithTimeout(timeout)}
	port := 587
	if p := u.Port(); p != "" {
		if port, err = strconv.Atoi(p); err != nil {
			return nil, errors.New("SMTP_URL has a port that is not a number")
		}
	}
	opts = append(opts, gomail.WithPort(port))
	switch u.Query().Get("tls") {
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case "tls":
		opts = append(opts, gomail.WithSSLPort(false))
	case "", "starttls":
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	default:
		return nil, errors.New("SMTP_URL's tls must be none, starttls or tls")
	}
	if u.User != nil {
		pw, _ := u.User.Password()
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlain), gomail.WithUsername(u.User.Username()),
			gomail.WithPassword(pw))
	}
	c, err := gomail.NewClient(u.Hostname(), opts...)
	if err != nil {
		return nil, fmt.Errorf("SMTP client: %w", err)
	}
	return &SMTPTransport{client: c, from: from}, nil
}

// Name is where messages go.
func (*SMTPTransport) Name() string { return "smtp" }

// Deliver sends one message, plain text with an HTML alternative.
func (t *SMTPTransport) Deliver(ctx context.Context, m Message) error {
	msg := gomail.NewMsg()
	if err := msg.From(t.from); err != nil {
		return fmt.Errorf("MAIL_FROM: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("recipient: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetGenHeader(gomail.HeaderContentLang, m.Lang)
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	return t.client.DialAndSendWithContext(ctx, msg)
}
