package server

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/belong-directory/belong/internal/accounts"
	"github.com/belong-directory/belong/internal/directory"
)

// formState is what a small form gets back when it is refused: the person's
// input, each message next to its field, and the same messages in a summary
// at the top that links to each field.
type formState struct {
	Values   map[string]string
	Errors   map[string]string
	Problems []problem
}

// refused fills in the messages of a validation error; any other error is
// returned for the error handler.
func (s *Server) refused(lang string, err error, values map[string]string, order ...string) (formState, error) {
	ve, ok := errors.AsType[*directory.ValidationError](err)
	if !ok {
		return formState{}, err
	}
	f := formState{Values: values, Errors: map[string]string{}}
	for _, fe := range ve.Fields {
		if _, dup := f.Errors[fe.Field]; !dup {
			f.Errors[fe.Field] = s.View.I18n.T(lang, fe.Key)
		}
	}
	for _, field := range order {
		if msg, ok := f.Errors[field]; ok {
			f.Problems = append(f.Problems, problem{Message: msg, Href: "#f-" + field})
		}
	}
	return f, nil
}

type signInPage struct {
	Form formState
}

// signInForm asks for an address to send a sign-in link to.
func (s *Server) signInForm(c echo.Context) error {
	if err := s.sessions.available(c.Request().Context()); err != nil {
		return err
	}
	return s.render(c, http.StatusOK, "signin", s.View.I18n.T(s.lang(c), "signin.title"), signInPage{})
}

// requestSignIn sends a link if the address has an account, and answers the
// same either way.
func (s *Server) requestSignIn(c echo.Context) error {
	ctx := c.Request().Context()
	if err := s.sessions.available(ctx); err != nil {
		return err
	}
	lang := s.lang(c)
	email := c.FormValue("email")
	if err := s.Accounts.RequestSignIn(ctx, email, lang); err != nil {
		f, err := s.refused(lang, err, map[string]string{"email": email}, "email")
		if err != nil {
			return err
		}
		return s.render(c, http.StatusBadRequest, "signin", s.View.I18n.T(lang, "signin.title"), signInPage{Form: f})
	}
	return c.Redirect(http.StatusSeeOther, "/sign-in/sent?ui="+lang)
}

// signInSent says to look for the link, whether or not one was sent.
func (s *Server) signInSent(c echo.Context) error {
	return s.render(c, http.StatusOK, "signin_sent", s.View.I18n.T(s.lang(c), "signin.sent.title"), nil)
}

type signInLinkPage struct {
	Action string
}

// signInLink is where an emailed link lands. It asks for one press of a
// button: opening the link (as mail scanners do) spends nothing.
func (s *Server) signInLink(c echo.Context) error {
	if err := s.sessions.available(c.Request().Context()); err != nil {
		return err
	}
	lang := s.lang(c)
	return s.render(c, http.StatusOK, "signin_link", s.View.I18n.T(lang, "signin.link.title"),
		signInLinkPage{Action: "/sign-in/" + c.Param("token") + "?ui=" + lang})
}

// signInWithLink spends the link and starts a session. The session is saved
// before the link is marked used, so Redis failing leaves the link working.
func (s *Server) signInWithLink(c echo.Context) error {
	ctx := c.Request().Context()
	if err := s.sessions.available(ctx); err != nil {
		return err
	}
	lang := s.lang(c)
	var token string
	u, err := s.Accounts.SignIn(ctx, c.Param("token"), func(u directory.User) error {
		var err error
		token, err = s.sessions.begin(ctx, u)
		return err
	})
	if errors.Is(err, accounts.ErrLinkUnusable) {
		return &pageError{status: http.StatusNotFound, titleKey: "signin.unusable", detailKey: "signin.unusable.detail",
			back: "/sign-in?ui=" + lang, backKey: "signin.again"}
	}
	if err != nil {
		return err
	}
	// A session from before (another account on this browser) is over.
	if old, err := c.Request().Cookie(sessionCookie); err == nil && old.Value != "" {
		_ = s.sessions.store.DeleteCtx(ctx, old.Value)
	}
	s.sessions.writeCookie(c, token)
	return c.Redirect(http.StatusSeeOther, home(u.Role)+"?ui="+lang)
}

// signOut ends this browser's session.
func (s *Server) signOut(c echo.Context) error {
	if err := s.sessions.end(c); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/?ui="+s.lang(c))
}

// signOutEverywhere ends every session of the signed-in person, this one too.
func (s *Server) signOutEverywhere(c echo.Context) error {
	if err := s.Accounts.SignOutEverywhere(c.Request().Context(), signedIn(c)); err != nil {
		return err
	}
	if err := s.sessions.end(c); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/?ui="+s.lang(c))
}

// staffView is the signed-in person as the staff pages' header shows them.
type staffView struct {
	Email                  string
	Role                   directory.Role
	Admin, Moderator, Peer bool
}

func staff(u directory.User) staffView {
	return staffView{Email: u.Email, Role: u.Role, Admin: u.Role.Grants(directory.Admin),
		Moderator: u.Role.Grants(directory.Moderator), Peer: u.Role.Grants(directory.Peer)}
}

// home is the first page of a signed-in person: peer workers keep lists,
// everyone else moderates.
func home(r directory.Role) string {
	if r.Grants(directory.Moderator) {
		return "/moderate"
	}
	return "/lists"
}

type usersPage struct {
	Staff staffView
	Users []directory.User
	Self  string
	Form  formState
	Done  string
}

// users lists the accounts, with a form to invite someone.
func (s *Server) users(c echo.Context) error {
	return s.renderUsers(c, http.StatusOK, formState{})
}

func (s *Server) renderUsers(c echo.Context, status int, f formState) error {
	u := signedIn(c)
	list, err := s.Accounts.Users(c.Request().Context())
	if err != nil {
		return err
	}
	if f.Values == nil {
		f.Values = map[string]string{"role": string(directory.Moderator)}
	}
	return s.render(c, status, "admin_users", s.View.I18n.T(s.lang(c), "users.title"),
		usersPage{Staff: staff(u), Users: list, Self: u.ID, Form: f, Done: done(c, "invited", "disabled")})
}

// invite adds an account and emails the person how to sign in.
func (s *Server) invite(c echo.Context) error {
	lang := s.lang(c)
	email, role := strings.TrimSpace(c.FormValue("email")), c.FormValue("role")
	_, err := s.Accounts.Invite(c.Request().Context(), signedIn(c), email, directory.Role(role), lang)
	if err != nil {
		f, err := s.refused(lang, err, map[string]string{"email": email, "role": role}, "email", "role")
		if err != nil {
			return err
		}
		return s.renderUsers(c, http.StatusBadRequest, f)
	}
	return c.Redirect(http.StatusSeeOther, "/admin/users?ui="+lang+"&done=invited")
}

// disableUser turns an account off.
func (s *Server) disableUser(c echo.Context) error {
	lang := s.lang(c)
	err := s.Accounts.Disable(c.Request().Context(), signedIn(c), c.Param("id"))
	if err != nil {
		f, err := s.refused(lang, err, nil)
		if err != nil {
			return err
		}
		for _, msg := range f.Errors {
			f.Problems = append(f.Problems, problem{Message: msg})
		}
		return s.renderUsers(c, http.StatusBadRequest, f)
	}
	return c.Redirect(http.StatusSeeOther, "/admin/users?ui="+lang+"&done=disabled")
}

// done is the confirmation a page shows after a form redirected to it: one of
// the expected words from ?done=, or "".
func done(c echo.Context, expected ...string) string {
	d := c.QueryParam("done")
	for _, e := range expected {
		if d == e {
			return d
		}
	}
	return ""
}
