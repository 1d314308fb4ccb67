package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/belong-directory/belong/internal/directory"
)

const userColumns = `id::text, email, role, created_at, created_by, disabled_at, session_epoch`

func scanUser(r pgx.CollectableRow) (directory.User, error) {
	var u directory.User
	err := r.Scan(&u.ID, &u.Email, &u.Role, &u.CreatedAt, &u.CreatedBy, &u.DisabledAt, &u.SessionEpoch)
	return u, err
}

// AddUser creates an account; an address that already has one is ErrConflict.
func (t *Tx) AddUser(ctx context.Context, email string, role directory.Role, by string) (directory.User, error) {
	rows, err := t.tx.Query(ctx, `INSERT INTO users (email, role, created_by) VALUES ($1, $2, $3)
		RETURNING `+userColumns, email, role, by)
	if err != nil {
		return directory.User{}, translate(err, "add user")
	}
	u, err := pgx.CollectExactlyOneRow(rows, scanUser)
	return u, translate(err, "add user")
}

// User returns one account by id.
func (s *Store) User(ctx context.Context, id string) (directory.User, error) {
	if !uuidPattern.MatchString(id) {
		return directory.User{}, fmt.Errorf("user %q: %w", id, directory.ErrNotFound)
	}
	rows, err := s.pool.Query(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id)
	if err != nil {
		return directory.User{}, translate(err, "load user")
	}
	u, err := pgx.CollectExactlyOneRow(rows, scanUser)
	return u, translate(err, "load user")
}

// Users lists every account, by address.
func (s *Store) Users(ctx context.Context) ([]directory.User, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+userColumns+` FROM users ORDER BY lower(email)`)
	if err != nil {
		return nil, translate(err, "list users")
	}
	us, err := pgx.CollectRows(rows, scanUser)
	return us, translate(err, "list users")
}

// AddSignInLink keeps the hash of a sign-in link for the active account with
// this address, if there is one, and reports whether there was. The statement
// is the same either way, so it takes as long for an address without an account.
func (t *Tx) AddSignInLink(ctx context.Context, email string, hash []byte, expires time.Time) (bool, error) {
	tag, err := t.tx.Exec(ctx, `INSERT INTO sign_in_links (token_hash, user_id, expires_at)
		SELECT $1, id, $3 FROM users WHERE lower(email) = lower($2) AND disabled_at IS NULL`, hash, email, expires)
	if err != nil {
		return false, translate(err, "add sign-in link")
	}
	return tag.RowsAffected() == 1, nil
}

// UseSignInLink spends a sign-in link and returns its account: ErrNotFound for a
// link that never existed, was used, has expired or whose account is disabled.
func (t *Tx) UseSignInLink(ctx context.Context, hash []byte, now time.Time) (directory.User, error) {
	rows, err := t.tx.Query(ctx, `UPDATE sign_in_links k SET used_at = $2
		FROM users u
		WHERE k.token_hash = $1 AND k.used_at IS NULL AND k.expires_at > $2
			AND u.id = k.user_id AND u.disabled_at IS NULL
		RETURNING u.id::text, u.email, u.role, u.created_at, u.created_by, u.disabled_at, u.session_epoch`,
		hash, now)
	if err != nil {
		return directory.User{}, translate(err, "use sign-in link")
	}
	u, err := pgx.CollectExactlyOneRow(rows, scanUser)
	return u, translate(err, "use sign-in link")
}

// EndSessions moves an account to a new session epoch, ending every session it
// has, and drops its unused sign-in links.
func (t *Tx) EndSessions(ctx context.Context, userID string) error {
	tag, err := t.tx.Exec(ctx, `UPDATE users SET session_epoch = session_epoch + 1 WHERE id = $1`, userID)
	if err != nil {
		return translate(err, "end sessions")
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("end sessions of %s: %w", userID, directory.ErrNotFound)
	}
	_, err = t.tx.Exec(ctx, `DELETE FROM sign_in_links WHERE user_id = $1 AND used_at IS NULL`, userID)
	return translate(err, "drop sign-in links")
}

// DisableUser turns an account off: it can no longer sign in, and its sessions
// end.
func (t *Tx) DisableUser(ctx context.Context, userID string) error {
	tag, err := t.tx.Exec(ctx, `UPDATE users SET disabled_at = now() WHERE id = $1 AND disabled_at IS NULL`, userID)
	if err != nil {
		return translate(err, "disable user")
	}
	if tag.RowsAffected() == 0 {
		return fmt.Errorf("disable user %s: %w", userID, directory.ErrNotFound)
	}
	return t.EndSessions(ctx, userID)
}
