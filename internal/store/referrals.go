package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/belong-directory/belong/internal/directory"
)

const referralColumns = `id::text, code, listing_ids::text[], lang, note, coalesce(created_by::text, ''), follow_up,
	created_on, expires_on`

func scanReferral(r pgx.CollectableRow) (directory.ReferralList, error) {
	var l directory.ReferralList
	err := r.Scan(&l.ID, &l.Code, &l.ListingIDs, &l.Lang, &l.Note, &l.CreatedBy, &l.FollowUp, &l.CreatedOn, &l.ExpiresOn)
	return l, err
}

// AddReferralList keeps a shared list; a code already taken is ErrConflict (the
// caller draws another). CreatedOn is today in UTC.
func (t *Tx) AddReferralList(ctx context.Context, l directory.ReferralList, today time.Time) (directory.ReferralList, error) {
	var by any
	if l.CreatedBy != "" {
		by = l.CreatedBy
	}
	rows, err := t.tx.Query(ctx, `INSERT INTO referral_lists (code, listing_ids, lang, note, created_by, follow_up,
			created_on, expires_on)
		VALUES ($1, $2::uuid[], $3, $4, $5, $6, $7, $8) RETURNING `+referralColumns,
		l.Code, l.ListingIDs, l.Lang, l.Note, by, l.FollowUp, today, l.ExpiresOn)
	if err != nil {
		return directory.ReferralList{}, translate(err, "add referral list")
	}
	out, err := pgx.CollectExactlyOneRow(rows, scanReferral)
	return out, translate(err, "add referral list")
}

// ReferralListByCode returns the list with this canonical code that has not
// ended by today; ErrNotFound otherwise.
func (s *Store) ReferralListByCode(ctx context.Context, code string, today time.Time) (directory.ReferralList, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+referralColumns+` FROM referral_lists
		WHERE code = $1 AND expires_on >= $2`, code, today)
	if err != nil {
		return directory.ReferralList{}, translate(err, "load referral list")
	}
	l, err := pgx.CollectExactlyOneRow(rows, scanReferral)
	if err != nil {
		return directory.ReferralList{}, fmt.Errorf("referral list: %w", translate(err, "load referral list"))
	}
	return l, nil
}

// ReferralListsBy returns the lists an account made that have not ended by
// today, newest first.
func (s *Store) ReferralListsBy(ctx context.Context, userID string, today time.Time) ([]directory.ReferralList, error) {
	if !uuidPattern.MatchString(userID) {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT `+referralColumns+` FROM referral_lists
		WHERE created_by = $1 AND expires_on >= $2 ORDER BY created_on DESC, expires_on DESC, code`, userID, today)
	if err != nil {
		return nil, translate(err, "list referral lists")
	}
	ls, err := pgx.CollectRows(rows, scanReferral)
	return ls, translate(err, "list referral lists")
}

// ReferralMarks returns the follow-up marks of the given lists, by list id.
func (s *Store) ReferralMarks(ctx context.Context, listIDs []string) (map[string][]directory.FollowUpMark, error) {
	out := map[string][]directory.FollowUpMark{}
	if len(listIDs) == 0 {
		return out, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT list_id::text, listing_id::text, mark, marked_on FROM referral_marks
		WHERE list_id = ANY($1::uuid[])`, listIDs)
	if err != nil {
		return nil, translate(err, "load follow-up marks")
	}
	defer rows.Close()
	for rows.Next() {
		var list string
		var m directory.FollowUpMark
		if err := rows.Scan(&list, &m.ListingID, &m.Mark, &m.On); err != nil {
			return nil, translate(err, "load follow-up marks")
		}
		out[list] = append(out[list], m)
	}
	return out, translate(rows.Err(), "load follow-up marks")
}

// SetReferralMark keeps a person's mark on one group of their list, or clears
// it when mark is "". It reports false, writing nothing, when the list has
// ended, does not have follow-up on, or does not hold the listing.
func (t *Tx) SetReferralMark(ctx context.Context, listID, listingID string, mark directory.Mark, today time.Time) (bool, error) {
	if !uuidPattern.MatchString(listID) || !uuidPattern.MatchString(listingID) {
		return false, nil
	}
	// Locking the list row orders a mark against the creator turning
	// follow-up off (which deletes the marks) or deleting the list.
	var ok bool
	err := t.tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM referral_lists WHERE id = $1 AND follow_up
		AND expires_on >= $3 AND $2::uuid = ANY(listing_ids) FOR SHARE)`, listID, listingID, today).Scan(&ok)
	if err != nil || !ok {
		return false, translate(err, "check referral list")
	}
	if mark == "" {
		_, err = t.tx.Exec(ctx, `DELETE FROM referral_marks WHERE list_id = $1 AND listing_id = $2`, listID, listingID)
		return true, translate(err, "clear follow-up mark")
	}
	_, err = t.tx.Exec(ctx, `INSERT INTO referral_marks (list_id, listing_id, mark, marked_on) VALUES ($1, $2, $3, $4)
		ON CONFLICT (list_id, listing_id) DO UPDATE SET mark = EXCLUDED.mark, marked_on = EXCLUDED.marked_on`,
		listID, listingID, mark, today)
	return true, translate(err, "keep follow-up mark")
}

// RenewReferralList moves the end of an account's list; false when the
// account has no such list.
func (t *Tx) RenewReferralList(ctx context.Context, userID, listID string, expires time.Time) (bool, error) {
	if !uuidPattern.MatchString(userID) || !uuidPattern.MatchString(listID) {
		return false, nil
	}
	tag, err := t.tx.Exec(ctx, `UPDATE referral_lists SET expires_on = $3 WHERE id = $2 AND created_by = $1`,
		userID, listID, expires)
	return tag.RowsAffected() == 1, translate(err, "renew referral list")
}

// SetReferralFollowUp turns follow-up on or off for an account's list; off
// deletes the marks left so far. False when the account has no such list.
func (t *Tx) SetReferralFollowUp(ctx context.Context, userID, listID string, on bool) (bool, error) {
	if !uuidPattern.MatchString(userID) || !uuidPattern.MatchString(listID) {
		return false, nil
	}
	tag, err := t.tx.Exec(ctx, `UPDATE referral_lists SET follow_up = $3 WHERE id = $2 AND created_by = $1`,
		userID, listID, on)
	if err != nil || tag.RowsAffected() != 1 {
		return false, translate(err, "set follow-up")
	}
	if !on {
		_, err = t.tx.Exec(ctx, `DELETE FROM referral_marks WHERE list_id = $1`, listID)
	}
	return true, translate(err, "clear follow-up marks")
}

// DeleteReferralList deletes an account's list and its marks at once; false
// when the account has no such list.
func (t *Tx) DeleteReferralList(ctx context.Context, userID, listID string) (bool, error) {
	if !uuidPattern.MatchString(userID) || !uuidPattern.MatchString(listID) {
		return false, nil
	}
	tag, err := t.tx.Exec(ctx, `DELETE FROM referral_lists WHERE id = $2 AND created_by = $1`, userID, listID)
	return tag.RowsAffected() == 1, translate(err, "delete referral list")
}

// DeleteExpiredReferralLists deletes every list that ended before today, with
// its marks, and says how many.
func (s *Store) DeleteExpiredReferralLists(ctx context.Context, today time.Time) (int64, error) {
	tag, err := s.pool.Exec(ctx, `DELETE FROM referral_lists WHERE expires_on < $1`, today)
	return tag.RowsAffected(), translate(err, "delete expired referral lists")
}
