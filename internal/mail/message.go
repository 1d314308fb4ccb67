// Package mail owns the email the product sends: messages composed in the
// recipient's language from the UI catalogs (plain text plus simple HTML), and
// the sender that the worker runs to deliver the queue through SMTP, or to the
// log when no SMTP server is configured. Messages are queued by services in the
// transaction of their cause (store.Tx.QueueMail), so none is ever lost.
package mail

import (
	"html"
	"regexp"
	"strings"

	"github.com/belong-directory/belong/internal/i18n"
)

// Message is one email to one person.
type Message struct {
	Kind    string // what it is about, e.g. "manage_link"; also the catalog key prefix
	To      string
	Lang    string
	Subject string
	Text    string
	HTML    string
}

// Queued is a message as the queue holds it.
type Queued struct {
	Message
	ID       int64
	Attempts int
	SentVia  string // "smtp", "log", or "" while waiting
}

// Composer writes messages from the catalogs: for a kind K, the subject is
// "mail.K.subject" and the paragraphs "mail.K.body" (paragraphs split on blank
// lines), each filled with args; an optional link is its own line, labelled
// "mail.K.link".
type Composer struct {
	Catalogs *i18n.Catalogs
	// Signature ends every message: the product's name and address.
	BaseURL string
}

// Compose builds a message. Everything a person typed that goes into args is
// plain text: it is escaped in the HTML part and never read as markup.
func (c Composer) Compose(kind, to, lang, link string, args ...any) Message {
	var links []Link
	if link != "" {
		links = []Link{{URL: link}}
	}
	return c.ComposeLinks(kind, to, lang, links, args...)
}

// Link is one link of a message, on a line of its own under its label:
// "mail.K.link", or "mail.K.link.<Name>" when Name is set.
type Link struct {
	Name, URL string
}

// ComposeLinks builds a message with several links, in order.
func (c Composer) ComposeLinks(kind, to, lang string, links []Link, args ...any) Message {
	if !c.Catalogs.Supported(lang) {
		lang = i18n.Fallback
	}
	t := func(key string, a ...any) string { return c.Catalogs.T(lang, key, a...) }
	paras := strings.Split(t("mail."+kind+".body", args...), "\n\n")
	var text, htm strings.Builder
	htm.WriteString(`<!doctype html><html lang="` + html.EscapeString(lang) + `"><body style="font-family:sans-serif;line-height:1.5;max-width:36em">`)
	for _, p := range paras {
		text.WriteString(p + "\n\n")
		htm.WriteString("<p>" + strings.ReplaceAll(html.EscapeString(p), "\n", "<br>") + "</p>")
	}
	for _, l := range links {
		key := "mail." + kind + ".link"
		if l.Name != "" {
			key += "." + l.Name
		}
		label := t(key)
		text.WriteString(label + ":\n" + l.URL + "\n\n")
		htm.WriteString(`<p><a href="` + html.EscapeString(l.URL) + `">` + html.EscapeString(label) + `</a></p>`)
	}
	sig := t("mail.signature", c.BaseURL)
	text.WriteString("-- \n" + sig + "\n")
	htm.WriteString(`<p style="color:#555">` + html.EscapeString(sig) + `</p></body></html>`)
	return Message{Kind: kind, To: to, Lang: lang, Subject: t("mail."+kind+".subject", args...),
		Text: text.String(), HTML: htm.String()}
}

// tokenPattern finds what looks like a secret in a link: a long run of token
// characters.
var tokenPattern = regexp.MustCompile(`[A-Za-z0-9_-]{20,}`)

// Masked hides the secrets in s (the tokens of private links), keeping their
// first four characters so a person can still tell two links apart in a log.
func Masked(s string) string {
	return tokenPattern.ReplaceAllStringFunc(s, func(tok string) string { return tok[:4] + "…" })
}
