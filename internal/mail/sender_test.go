package mail_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/belong-directory/belong/internal/i18n"
	"github.com/belong-directory/belong/internal/mail"
	"github.com/belong-directory/belong/internal/store"
	"github.com/belong-directory/belong/internal/testenv"
	"github.com/belong-directory/belong/web"
)

func composer(t *testing.T) mail.Composer {
	t.Helper()
	c, err := i18n.Load(web.Translations, "i18n")
	if err != nil {
		t.Fatal(err)
	}
	return mail.Composer{Catalogs: c, BaseURL: "https://belong.example"}
}

func queue(t *testing.T, st *store.Store, m mail.Message) {
	t.Helper()
	if err := st.InTx(t.Context(), func(tx *store.Tx) error { return tx.QueueMail(t.Context(), m) }); err != nil {
		t.Fatal(err)
	}
}

// waitFor waits for n messages at the server, with a generous deadline.
func waitFor(t *testing.T, srv *testenv.SMTP, n int) []testenv.Received {
	t.Helper()
	deadline := time.After(2 * time.Minute)
	for len(srv.Messages()) < n {
		select {
		case <-srv.Arrived():
		case <-deadline:
			t.Fatalf("%d of %d messages arrived", len(srv.Messages()), n)
		}
	}
	return srv.Messages()
}

// TestEmailIsNeverLost sends through a real SMTP server that goes down and comes
// back: a message queued while it is down goes out when it returns, at once.
func TestEmailIsNeverLost(t *testing.T) {
	t.Parallel()
	st := testenv.Store(t)
	srv := testenv.StartSMTP(t)
	transport, err := mail.NewSMTPTransport("smtp://"+srv.Addr+"?tls=none", "belong <no-reply@belong.example>", 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	sender := &mail.Sender{Queue: st, Transport: transport, Log: slog.New(slog.DiscardHandler),
		Poll: 20 * time.Millisecond, Lease: time.Minute}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { sender.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	c := composer(t)
	queue(t, st, c.Compose("manage_link", "ana@example.org", "es", "https://belong.example/manage/secret-token-1234567890",
		"Círculo <b>de</b> martes"))
	got := waitFor(t, srv, 1)
	if !strings.Contains(got[0].Data, "=?UTF-8?q?Tu_ficha") || got[0].To[0] != "ana@example.org" {
		t.Fatalf("message: %+v", got[0])
	}
	if !strings.Contains(got[0].Data, "Content-Language: es") || !strings.Contains(got[0].Data, "text/html") {
		t.Errorf("the message is in Spanish with an HTML part: %s", got[0].Data)
	}
	sent := newest(t, st, func(m mail.Queued) bool { return m.SentVia != "" })
	if sent.SentVia != "smtp" || sent.Text != "" || sent.HTML != "" {
		t.Fatalf("a sent message keeps no body (it holds a private link): %+v", sent)
	}

	// SMTP goes down: the message waits, with its failure recorded.
	srv.Stop()
	queue(t, st, c.Compose("new_link", "ben@example.org", "en", "https://belong.example/manage/another-token-123456789", "Circle"))
	newest(t, st, func(m mail.Queued) bool { return m.Attempts > 0 })
	srv.Restart(t)
	got = waitFor(t, srv, 2)
	if !strings.Contains(got[1].Data, "ben@example.org") {
		t.Fatalf("the waiting message went out when SMTP came back: %+v", got[1])
	}
}

func TestComposeEscapesWhatPeopleTyped(t *testing.T) {
	m := composer(t).Compose("manage_link", "a@example.org", "en", "https://belong.example/manage/x?a=1&b=2",
		`<script>alert("x")</script>`)
	if strings.Contains(m.HTML, "<script>") || !strings.Contains(m.HTML, "&lt;script&gt;") ||
		!strings.Contains(m.HTML, `href="https://belong.example/manage/x?a=1&amp;b=2"`) {
		t.Fatalf("HTML part: %s", m.HTML)
	}
	if !strings.Contains(m.Text, `<script>alert("x")</script>`) {
		t.Fatalf("the plain text keeps the words as typed: %s", m.Text)
	}
	if got := mail.Masked("see https://b.example/manage/abcdefghijklmnopqrstuvwxyz0123"); strings.Contains(got, "qrstuv") {
		t.Fatalf("tokens are masked in logs: %s", got)
	}
}

// A subject with nothing to fill in is not spoiled by the arguments its body
// takes (the sign-in link's minutes, the inviter's role).
func TestSubjectsTakeOnlyWhatTheyUse(t *testing.T) {
	for _, lang := range []string{"en", "es"} {
		for _, m := range []mail.Message{
			composer(t).Compose("sign_in", "a@example.org", lang, "https://belong.example/sign-in/x", 15),
			composer(t).Compose("invited", "a@example.org", lang, "https://belong.example/sign-in", "moderator"),
			composer(t).Compose("reminder", "a@example.org", lang, "https://belong.example/manage/x", "Circle", 5),
		} {
			if strings.Contains(m.Subject, "%!") || strings.Contains(m.Text, "%!") {
				t.Errorf("%s (%s): subject %q", m.Kind, lang, m.Subject)
			}
		}
	}
}

// newest waits until the newest queued message satisfies cond, and returns it.
func newest(t *testing.T, st *store.Store, cond func(mail.Queued) bool) mail.Queued {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		msgs, err := st.RecentMail(t.Context(), 1)
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) == 1 && cond(msgs[0]) {
			return msgs[0]
		}
		if time.Now().After(deadline) {
			t.Fatalf("the newest message never got there: %+v", msgs)
		}
		time.Sleep(5 * time.Millisecond)
	}
}
