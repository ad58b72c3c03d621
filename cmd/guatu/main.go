// Command guatu is the campaign command board: one binary that serves the
// web app and administers it from the command line.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, errUsage) {
			fmt.Fprintln(os.Stderr, "guatu:", err)
		}
		os.Exit(1)
	}
}

var errUsage = errors.New("usage")

const usage = `guatu — 挂图作战 campaign command board

Usage:
  guatu serve   [--addr HOST:PORT] [--db DSN] [--data DIR] [--demo]   serve the web app
                [--secure-cookies] [--trusted-proxy CIDR] [--idle-timeout 30m] [--session-max-age 12h] [--password-max-age 90d]
  guatu migrate [--db DSN]                                           apply schema migrations
  guatu init    --district NAME --township NAME [--township NAME …] --admin-login L --password-stdin
                                                                     first install: district, townships, catalogue, administrator
  guatu unit list
  guatu unit add    [--parent U] --kind K --name N [--sort N]
  guatu unit move   --unit U --parent U
  guatu unit rename --unit U --name N
  guatu unit delete --unit U
  guatu person add  --unit U --name N [--title T] [--phone P]
  guatu person list [--unit U]
  guatu campaign list [--township U]
  guatu campaign add  --township U --name N --start YYYY-MM-DD --end YYYY-MM-DD [--goals TEXT]
  guatu campaign set  --id N [--name N] [--start YYYY-MM-DD] [--end YYYY-MM-DD] [--goals TEXT]
  guatu user add    --login L --role R --unit U --password-stdin [--person NAME]
  guatu user set    --login L [--role R] [--unit U] [--disable | --enable]
  guatu user passwd --login L --password-stdin                        reset: unlock, sign out, revoke tokens
  guatu user list
  guatu token create --login L [--name N] [--expires 90d|720h]       print a new API token
  guatu token list   --login L                                       the account's tokens (never the secrets)
  guatu token revoke --id N | --login L --name N                     revoke tokens
  guatu backup  [--db DSN] [--out FILE]                              online copy of a SQLite database
  guatu version

Every command takes --db DSN (env GUATU_DB) and --data DIR (env GUATU_DATA);
serve takes --addr (env GUATU_ADDR). DSN is sqlite:PATH (default: DIR/guatu.db)
or a postgres:// URL. Run "guatu COMMAND --help" for a command's flags.
U is a unit's id or its exact name. Kinds: district, township, department,
village, community, grid.
Roles: admin, leader, supervisor, statistician, reporter, grid_worker, viewer.
Passwords: at least 8 characters, three of upper case, lower case, digits and
symbols, not containing the login, not a common one; a password set by
user add or user passwd must be changed by its owner at the first sign-in.
`

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return cmdServe(ctx, rest, stdout, stderr)
	case "migrate":
		return cmdMigrate(ctx, rest, stdout, stderr)
	case "init":
		return cmdInit(ctx, rest, stdin, stdout, stderr)
	case "user":
		return cmdUser(ctx, rest, stdin, stdout, stderr)
	case "unit":
		return cmdUnit(ctx, rest, stdout, stderr)
	case "person":
		return cmdPerson(ctx, rest, stdout, stderr)
	case "campaign":
		return cmdCampaign(ctx, rest, stdout, stderr)
	case "token":
		return cmdToken(ctx, rest, stdout, stderr)
	case "backup":
		return cmdBackup(ctx, rest, stdout, stderr)
	case "version", "--version":
		fmt.Fprintln(stdout, "guatu", version())
		return nil
	case "help", "--help", "-h":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprintf(stderr, "guatu: unknown command %q\n\n%s", cmd, usage)
		return errUsage
	}
}
