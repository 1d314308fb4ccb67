// Package accounts owns the accounts of the people who look after the
// directory (moderators and admins): adding and disabling them, and signing in
// by a one-time link sent by email. There are no passwords. Sign-in never says
// whether an address has an account. It knows nothing of HTTP, cookies or SQL
// text; sessions are the server's, kept in Redis.
package accounts

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/belong-directory/belong/internal/directory"
	"github.com/belong-directory/belong/internal/linktoken"
	"github.com/belong-directory/belong/internal/mail"
	"github.com/belong-directory/belong/internal/store"
)

// LinkTTL is how long a sign-in link works: long enough to switch to the mail
// app and back, short enough that an old message is of no use to anyone.
const LinkTTL = 15 * time.Minute

// ErrLinkUnusable is a sign-in link that was never sent, was used already, has
// expired, or belongs to an account that was disabled since. Which one is not
// said: the answer is the same, a fresh link.
var ErrLinkUnusable = errors.New("sign-in link is not usable")

// Service manages accounts and sign-in.
type Service struct {
	st      *store.Store
	mail    mail.Composer
	baseURL string
	now     func() time.Time
	floor   time.Duration
}

// Options are the service's settings.
type Options struct {
	Mail    mail.Composer
	BaseURL string
	Now     func() time.Time
	// RequestFloor is the least time a sign-in request takes, whether or not
	// the address has an account, so its timing says nothing either.
	RequestFloor time.Duration
}

// New returns the service.
func New(st *store.Store, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	return &Service{st: st, mail: o.Mail, baseURL: strings.TrimRight(o.BaseURL, "/"), now: o.Now, floor: o.RequestFloor}
}

// Keys of the validation messages of the account forms.
const (
	KeyEmail    = "account.email.invalid"
	KeyRole     = "account.role.invalid"
	KeySelf     = "account.disable.self"
	KeyExisting = "account.email.taken"
)

func checkEmail(email string) (string, error) {
	email = strings.TrimSpace(email)
	at := strings.LastIndexByte(email, '@')
	if email == "" {
		return "", (&directory.ValidationError{}).Add("email", directory.KeyRequired, "an email address is needed")
	}
	if len(email) > 254 || at < 1 || strings.ContainsAny(email, " \t\r\n<>,;\"") ||
		!strings.Contains(email[at+1:], ".") || strings.HasSuffix(email, ".") {
		return "", (&directory.ValidationError{}).Add("email", KeyEmail, "not an email address")
	}
	return email, nil
}

// AddUser creates an account (for `belong user add`, where by is "cli").
func (s *Service) AddUser(ctx context.Context, by, email string, role directory.Role) (directory.User, error) {
	var u directory.User
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		u, err = s.add(ctx, tx, by, email, role)
		return err
	})
	return u, err
}

func (s *Service) add(ctx context.Context, tx *store.Tx, by, email string, role directory.Role) (directory.User, error) {
	email, err := checkEmail(email)
	if !role.Valid() {
		v, _ := err.(*directory.ValidationError)
		if v == nil {
			v = &directory.ValidationError{}
		}
		err = v.Add("role", KeyRole, "must be moderator, admin or peer")
	}
	if err != nil {
		return directory.User{}, err
	}
	u, err := tx.AddUser(ctx, email, role, by)
	if errors.Is(err, directory.ErrConflict) {
		return directory.User{}, (&directory.ValidationError{}).Add("email", KeyExisting, "already has an account")
	}
	if err != nil {
		return directory.User{}, err
	}
	return u, tx.Audit(ctx, by, "add", "user", u.ID, map[string]string{"role": string(role)})
}

// Invite adds an account for someone an admin trusts and tells them by email
// how to sign in, in the admin's language.
func (s *Service) Invite(ctx context.Context, by directory.User, email string, role directory.Role, lang string) (directory.User, error) {
	var u directory.User
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if u, err = s.add(ctx, tx, by.Actor(), email, role); err != nil {
			return err
		}
		return tx.QueueMail(ctx, s.mail.Compose("invited", u.Email, lang, s.baseURL+"/sign-in?ui="+url.QueryEscape(lang),
			s.mail.Catalogs.T(lang, "role."+string(role))))
	})
	return u, err
}

// RequestSignIn sends a sign-in link to email if it belongs to an active
// account, and does the same work and takes at least as long when it does not,
// so neither the answer nor its timing tells anyone which addresses have
// accounts. A malformed address is a *directory.ValidationError.
func (s *Service) RequestSignIn(ctx context.Context, email, lang string) error {
	started := time.Now()
	email, err := checkEmail(email)
	if err != nil {
		return err
	}
	token, hash := linktoken.New()
	msg := s.mail.Compose("sign_in", email, lang, s.baseURL+"/sign-in/"+token+"?ui="+url.QueryEscape(lang),
		int(LinkTTL.Minutes()))
	err = s.st.InTx(ctx, func(tx *store.Tx) error {
		found, err := tx.AddSignInLink(ctx, email, hash, s.now().Add(LinkTTL))
		if err != nil || !found {
			return err
		}
		return tx.QueueMail(ctx, msg)
	})
	if err != nil {
		return err
	}
	if wait := s.floor - time.Since(started); wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// SignIn spends a sign-in link and calls begin with its account, in the same
// transaction: if begin fails (the session store is down), the link is not
// spent and can be used again.
func (s *Service) SignIn(ctx context.Context, token string, begin func(directory.User) error) (directory.User, error) {
	hash, ok := linktoken.Hash(token)
	if !ok {
		return directory.User{}, ErrLinkUnusable
	}
	var u directory.User
	err := s.st.InTx(ctx, func(tx *store.Tx) error {
		var err error
		if u, err = tx.UseSignInLink(ctx, hash, s.now()); err != nil {
			return err
		}
		if err := tx.Audit(ctx, u.Actor(), "sign_in", "user", u.ID, struct{}{}); err != nil {
			return err
		}
		return begin(u)
	})
	if errors.Is(err, directory.ErrNotFound) {
		return directory.User{}, ErrLinkUnusable
	}
	return u, err
}

// Current returns the account of a session that began in epoch:
// directory.ErrNotFound when the account is gone, disabled, or signed out
// everywhere since.
func (s *Service) Current(ctx context.Context, userID string, epoch int) (directory.User, error) {
	u, err := s.st.User(ctx, userID)
	if err != nil {
		return directory.User{}, err
	}
	if !u.Active() || u.SessionEpoch != epoch {
		return directory.User{}, fmt.Errorf("session of %s has ended: %w", userID, directory.ErrNotFound)
	}
	return u, nil
}

// SignOutEverywhere ends every session of u, on every device.
func (s *Service) SignOutEverywhere(ctx context.Context, u directory.User) error {
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.EndSessions(ctx, u.ID); err != nil {
			return err
		}
		return tx.Audit(ctx, u.Actor(), "sign_out_everywhere", "user", u.ID, struct{}{})
	})
}

// Disable turns an account off and ends its sessions. Nobody disables their
// own account: an admin could lock the last admin out.
func (s *Service) Disable(ctx context.Context, by directory.User, id string) error {
	if id == by.ID {
		return (&directory.ValidationError{}).Add("id", KeySelf, "you cannot disable your own account")
	}
	return s.st.InTx(ctx, func(tx *store.Tx) error {
		if err := tx.DisableUser(ctx, id); err != nil {
			return err
		}
		return tx.Audit(ctx, by.Actor(), "disable", "user", id, struct{}{})
	})
}

// Users lists every account.
func (s *Service) Users(ctx context.Context) ([]directory.User, error) { return s.st.Users(ctx) }
