package store

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/belong-directory/belong/internal/mail"
)

// QueueMail adds a message to the mail queue in the transaction of the change
// that causes it, so the two commit together or not at all.
func (t *Tx) QueueMail(ctx context.Context, m mail.Message) error {
	_, err := t.tx.Exec(ctx, `INSERT INTO mail_queue (kind, to_addr, lang, subject, text_body, html_body)
		VALUES ($1, $2, $3, $4, $5, $6)`, m.Kind, m.To, m.Lang, m.Subject, m.Text, m.HTML)
	return translate(err, "queue "+m.Kind+" email")
}

// ClaimMail leases up to limit due messages for lease, oldest first, and returns
// them. A lease that runs out (the sender died) makes a message due again; no
// transaction stays open while the message is sent.
func (s *Store) ClaimMail(ctx context.Context, limit int, lease time.Duration) ([]mail.Queued, error) {
	rows, err := s.pool.Query(ctx, `
		UPDATE mail_queue SET claimed_until = clock_timestamp() + $2 * interval '1 millisecond'
		WHERE id IN (SELECT id FROM mail_queue
			WHERE sent_at IS NULL AND available_at <= clock_timestamp()
				AND (claimed_until IS NULL OR claimed_until < clock_timestamp())
			ORDER BY available_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
		RETURNING id, kind, to_addr, lang, subject, text_body, html_body, attempts`, limit, lease.Milliseconds())
	if err != nil {
		return nil, translate(err, "claim email")
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (mail.Queued, error) {
		var q mail.Queued
		err := r.Scan(&q.ID, &q.Kind, &q.To, &q.Lang, &q.Subject, &q.Text, &q.HTML, &q.Attempts)
		return q, err
	})
	return out, translate(err, "claim email")
}

// MailSent records that a message has left. Sent through SMTP, its bodies are
// erased, since they may hold private links; given to the log (no SMTP), they
// are kept so `belong mail show` can print them.
func (s *Store) MailSent(ctx context.Context, id int64, via string) error {
	_, err := s.pool.Exec(ctx, `UPDATE mail_queue SET sent_at = clock_timestamp(), sent_via = $2,
			claimed_until = NULL, last_error = NULL,
			text_body = CASE WHEN $2 = 'smtp' THEN '' ELSE text_body END,
			html_body = CASE WHEN $2 = 'smtp' THEN '' ELSE html_body END
		WHERE id = $1`, id, via)
	return translate(err, "mark email sent")
}

// MailFailed records a failed attempt; the message is due again after
// 1 s·2^attempts, at most an hour.
func (s *Store) MailFailed(ctx context.Context, id int64, reason error) error {
	_, err := s.pool.Exec(ctx, `UPDATE mail_queue SET attempts = attempts + 1, last_error = $2,
			claimed_until = NULL,
			available_at = clock_timestamp() + least(interval '1 hour', interval '1 second' * power(2, least(attempts, 12)))
		WHERE id = $1`, id, truncateError(reason))
	return translate(err, "record email failure")
}

// RetryMailNow makes every waiting message due at once, for when SMTP answers
// again after an outage.
func (s *Store) RetryMailNow(ctx context.Context) error {
	_, err := s.pool.Exec(ctx, `UPDATE mail_queue SET available_at = clock_timestamp()
		WHERE sent_at IS NULL AND attempts > 0 AND available_at > clock_timestamp()`)
	return translate(err, "retry waiting email")
}

// RecentMail returns the last n messages, newest first, whole where their bodies
// were kept.
func (s *Store) RecentMail(ctx context.Context, n int) ([]mail.Queued, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, kind, to_addr, lang, subject, text_body, html_body, attempts,
			coalesce(sent_via, '')
		FROM mail_queue ORDER BY id DESC LIMIT $1`, n)
	if err != nil {
		return nil, translate(err, "read recent email")
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (mail.Queued, error) {
		var q mail.Queued
		err := r.Scan(&q.ID, &q.Kind, &q.To, &q.Lang, &q.Subject, &q.Text, &q.HTML, &q.Attempts, &q.SentVia)
		return q, err
	})
	return out, translate(err, "read recent email")
}
