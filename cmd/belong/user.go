package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"github.com/belong-directory/belong/internal/accounts"
	"github.com/belong-directory/belong/internal/config"
	"github.com/belong-directory/belong/internal/directory"
)

// cmdUser manages accounts: `user add --role admin --email a@example.org` makes
// the first admin, who invites everyone else from /admin/users.
func cmdUser(ctx context.Context, cfg config.Config, _ *slog.Logger, args []string, out io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return fmt.Errorf("%w: user takes one subcommand: add", errUsage)
	}
	fs := flag.NewFlagSet("user add", flag.ContinueOnError)
	role := fs.String("role", "", "moderator, admin or peer")
	email := fs.String("email", "", "the person's email address")
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if *role == "" || *email == "" {
		return fmt.Errorf("%w: user add needs --role moderator|admin|peer and --email", errUsage)
	}
	st, err := openMigrated(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := accounts.New(st, accounts.Options{BaseURL: cfg.BaseURL}).AddUser(ctx, "cli", *email, directory.Role(*role))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "added %s %s (id %s); they sign in at %s/sign-in with that address\n", u.Role, u.Email, u.ID, cfg.BaseURL)
	return nil
}
