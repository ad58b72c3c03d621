package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"guatu/internal/app"
	"guatu/internal/demo"
	"guatu/internal/org"
	"guatu/internal/platform"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/db"
	"guatu/internal/setup"
)

func version() string { return app.Version }

// common holds the flags every command shares.
type common struct {
	dsn  string
	data string
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

func newFlags(name, synopsis string, stderr io.Writer) (*flag.FlagSet, *common) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &common{}
	fs.StringVar(&c.dsn, "db", os.Getenv("GUATU_DB"), "database: sqlite:PATH or postgres://… (env GUATU_DB; default sqlite under --data)")
	fs.StringVar(&c.data, "data", envOr("GUATU_DATA", "data"), "data folder for the default SQLite file and backups (env GUATU_DATA)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: guatu %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	return fs, c
}

func (c *common) DSN() string {
	if c.dsn != "" {
		return c.dsn
	}
	return db.DefaultDSN(c.data)
}

// parse parses flags; --help prints usage and ends the command successfully.
func parse(fs *flag.FlagSet, args []string) (done bool, err error) {
	err = fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		return true, nil
	}
	if err != nil {
		return true, errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "guatu: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return true, errUsage
	}
	return false, nil
}

// openDB opens the database and brings its schema up to date, under the
// start-up lock that instances starting at once take turns with.
func openDB(ctx context.Context, c *common) (*db.DB, error) {
	d, err := db.Open(ctx, c.DSN())
	if err != nil {
		return nil, err
	}
	err = d.Locked(ctx, func() error {
		_, err := d.Migrate(ctx, app.Schema())
		return err
	})
	if err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, c := newFlags("serve", "serve [--addr HOST:PORT] [--db DSN] [--data DIR] [--demo] [--secure-cookies]", stderr)
	addr := fs.String("addr", envOr("GUATU_ADDR", "127.0.0.1:8080"), "address to listen on (env GUATU_ADDR)")
	withDemo := fs.Bool("demo", os.Getenv("GUATU_DEMO") == "1", "load the demo township (idempotent) and print its accounts (env GUATU_DEMO=1)")
	secure := fs.Bool("secure-cookies", os.Getenv("GUATU_SECURE_COOKIES") == "1", "always mark cookies Secure, e.g. behind a TLS proxy (env GUATU_SECURE_COOKIES=1)")
	if done, err := parse(fs, args); done {
		return err
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	// The first-run page's code is made at every start and lives only in
	// memory; it is printed, and opens /setup, only while no administrator
	// exists.
	cfg := app.Config{Addr: *addr, DSN: c.DSN(), DataDir: c.data, SecureCookies: *secure, Log: log, SetupCode: setup.NewCode()}
	var loaded *demo.Result
	if *withDemo {
		// The demo loads under the start-up lock, so instances starting
		// together on one PostgreSQL do not load it twice.
		cfg.Setup = func(ctx context.Context, d *db.DB) error {
			res, err := demo.Load(ctx, d, time.Now())
			if err != nil {
				return fmt.Errorf("demo: %w", err)
			}
			loaded = &res
			return nil
		}
	}
	a, err := app.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	if loaded != nil {
		printDemo(stdout, *addr, *loaded)
	}
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	needed, err := setup.Needed(ctx, a.DB)
	if err != nil {
		return err
	}
	if needed {
		printSetupCode(stdout, l.Addr().String(), cfg.SetupCode)
	}
	log.Info("serving", "addr", l.Addr().String(), "db", string(a.DB.Dialect), "version", app.Version)
	return a.Serve(ctx, l)
}

func printDemo(w io.Writer, addr string, res demo.Result) {
	fmt.Fprintf(w, "\n演示乡镇已就绪 / demo township ready: http://%s/\n", addr)
	fmt.Fprintf(w, "演示账号（密码均为 %s）/ demo accounts (password %s):\n", demo.Password, demo.Password)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, acc := range res.Accounts {
		fmt.Fprintf(tw, "  %s\t%s\t%s\n", acc.Login, acc.Role, acc.Unit)
	}
	tw.Flush()
	fmt.Fprintln(w)
}

func cmdMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, c := newFlags("migrate", "migrate [--db DSN]", stderr)
	if done, err := parse(fs, args); done {
		return err
	}
	d, err := db.Open(ctx, c.DSN())
	if err != nil {
		return err
	}
	defer d.Close()
	var applied []string
	err = d.Locked(ctx, func() error {
		applied, err = d.Migrate(ctx, app.Schema())
		return err
	})
	if err != nil {
		return err
	}
	if len(applied) == 0 {
		fmt.Fprintln(stdout, "schema is up to date")
	}
	for _, m := range applied {
		fmt.Fprintln(stdout, "applied", m)
	}
	return nil
}

// system is the context of a command-line change: the system account, whose
// scope is everything; the audit log records it as "system".
func system(ctx context.Context) context.Context { return auth.WithUser(ctx, auth.System()) }

func readPassword(stdin io.Reader) (string, error) {
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", err
	}
	pw := strings.TrimRight(line, "\r\n")
	if pw == "" {
		return "", errors.New("no password on standard input")
	}
	return pw, nil
}

// describe turns a coded error into a sentence for the terminal.
func describe(err error) error {
	pe := platform.AsError(err)
	if pe.Code == platform.Internal {
		return err
	}
	b := app.Messages()
	msg := b.T("zh-CN", pe.Key, pe.Args...)
	if pe.Field != "" {
		msg = pe.Field + ": " + msg
	}
	return errors.New(msg)
}

func cmdUser(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, "Usage: guatu user add|set|passwd|list [flags]\n")
		return errUsage
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "add":
		fs, c := newFlags("user add", "user add --login L --role R --unit U --password-stdin [--person NAME]", stderr)
		login := fs.String("login", "", "login name")
		role := fs.String("role", "", "role: admin, leader, supervisor, statistician, reporter, grid_worker, viewer")
		unit := fs.String("unit", "", "the account's unit: its id or exact name (the account sees this unit's subtree)")
		person := fs.String("person", "", "optional: the exact name of a person in that unit to link")
		stdinPW := fs.Bool("password-stdin", false, "read the password from the first line of standard input")
		if done, err := parse(fs, args); done {
			return err
		}
		if *login == "" || *role == "" || *unit == "" || !*stdinPW {
			fs.Usage()
			return errUsage
		}
		pw, err := readPassword(stdin)
		if err != nil {
			return err
		}
		d, err := openDB(ctx, c)
		if err != nil {
			return err
		}
		defer d.Close()
		ctx := system(ctx)
		s := &org.Store{DB: d}
		un, err := s.ResolveUnit(ctx, *unit)
		if err != nil {
			return describe(err)
		}
		in := org.AccountInput{Login: *login, Password: pw, Role: auth.Role(*role), UnitID: un.ID}
		if *person != "" {
			people, _, err := s.People(ctx, org.PeopleFilter{UnitID: &un.ID, Query: *person})
			if err != nil {
				return describe(err)
			}
			for _, p := range people {
				if p.Name == *person {
					id := p.ID
					in.PersonID = &id
				}
			}
			if in.PersonID == nil {
				return fmt.Errorf("no person named %q in %s", *person, un.Name)
			}
		}
		id, err := s.CreateAccount(ctx, in)
		if err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "created user %s (id %d, %s, %s)\n", *login, id, *role, un.Name)
		return nil
	case "passwd":
		fs, c := newFlags("user passwd", "user passwd --login L --password-stdin", stderr)
		login := fs.String("login", "", "login name")
		stdinPW := fs.Bool("password-stdin", false, "read the new password from the first line of standard input")
		if done, err := parse(fs, args); done {
			return err
		}
		if *login == "" || !*stdinPW {
			fs.Usage()
			return errUsage
		}
		pw, err := readPassword(stdin)
		if err != nil {
			return err
		}
		d, err := openDB(ctx, c)
		if err != nil {
			return err
		}
		defer d.Close()
		u, err := (&auth.Store{DB: d}).UserByLogin(ctx, *login)
		if err != nil {
			return fmt.Errorf("no user %q", *login)
		}
		if err := (&org.Store{DB: d}).SetPassword(system(ctx), u.ID, pw); err != nil {
			return describe(err)
		}
		fmt.Fprintf(stdout, "password changed for %s; the account is unlocked and signed out everywhere\n", *login)
		return nil
	case "set":
		return cmdUserSet(ctx, args, stdout, stderr)
	case "list":
		fs, c := newFlags("user list", "user list", stderr)
		if done, err := parse(fs, args); done {
			return err
		}
		d, err := openDB(ctx, c)
		if err != nil {
			return err
		}
		defer d.Close()
		accounts, err := (&org.Store{DB: d}).Accounts(system(ctx))
		if err != nil {
			return describe(err)
		}
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tLOGIN\tROLE\tUNIT\tPERSON\tSTATUS")
		for _, a := range accounts {
			status := "active"
			if a.Disabled {
				status = "disabled"
			} else if a.Locked {
				status = "locked"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", a.ID, a.Login, a.Role, a.UnitName, a.PersonName, status)
		}
		return tw.Flush()
	default:
		fmt.Fprintf(stderr, "guatu: unknown user command %q (add, set, passwd, list)\n", sub)
		return errUsage
	}
}

func cmdToken(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "create" {
		fmt.Fprint(stderr, "Usage: guatu token create --login L [--name N]\n")
		return errUsage
	}
	fs, c := newFlags("token create", "token create --login L [--name N]", stderr)
	login := fs.String("login", "", "the account the token acts as")
	name := fs.String("name", "cli", "a label for the token")
	if done, err := parse(fs, args[1:]); done {
		return err
	}
	if *login == "" {
		fs.Usage()
		return errUsage
	}
	d, err := openDB(ctx, c)
	if err != nil {
		return err
	}
	defer d.Close()
	st := &auth.Store{DB: d}
	u, err := st.UserByLogin(ctx, *login)
	if err != nil {
		return fmt.Errorf("no user %q", *login)
	}
	tok, err := st.CreateToken(ctx, u.ID, *name)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, tok)
	return nil
}

func cmdBackup(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, c := newFlags("backup", "backup [--db DSN] [--out FILE]", stderr)
	out := fs.String("out", "", "where to write the copy (default DATA/backups/guatu-YYYYMMDD-HHMMSS.db)")
	if done, err := parse(fs, args); done {
		return err
	}
	d, err := db.Open(ctx, c.DSN())
	if err != nil {
		return err
	}
	defer d.Close()
	path := *out
	if path == "" {
		path = filepath.Join(c.data, "backups", "guatu-"+time.Now().Format("20060102-150405")+".db")
	}
	if err := d.Backup(ctx, path); err != nil {
		return err
	}
	fmt.Fprintln(stdout, path)
	return nil
}

// cmdUserSet changes an account's role, unit or status: what an administrator
// does on /users/{id}, for scripts.
func cmdUserSet(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, c := newFlags("user set", "user set --login L [--role R] [--unit U] [--disable | --enable]", stderr)
	login := fs.String("login", "", "login name")
	role := fs.String("role", "", "new role")
	unit := fs.String("unit", "", "new unit: its id or exact name")
	disable := fs.Bool("disable", false, "disable the account and sign it out everywhere")
	enable := fs.Bool("enable", false, "enable a disabled account")
	if done, err := parse(fs, args); done {
		return err
	}
	if *login == "" || (*disable && *enable) {
		fs.Usage()
		return errUsage
	}
	return withOrg(ctx, c, func(ctx context.Context, s *org.Store) error {
		accounts, err := s.Accounts(ctx)
		if err != nil {
			return err
		}
		var acc *org.Account
		for i := range accounts {
			if accounts[i].Login == *login {
				acc = &accounts[i]
			}
		}
		if acc == nil {
			return fmt.Errorf("no user %q", *login)
		}
		in := org.AccountInput{Role: acc.Role, UnitID: acc.UnitID, PersonID: acc.PersonID, Disabled: acc.Disabled}
		if *role != "" {
			in.Role = auth.Role(*role)
		}
		if *unit != "" {
			u, err := s.ResolveUnit(ctx, *unit)
			if err != nil {
				return err
			}
			in.UnitID = u.ID
			in.PersonID = nil // a person belongs to the old unit
		}
		if *disable {
			in.Disabled = true
		}
		if *enable {
			in.Disabled = false
		}
		if err := s.UpdateAccount(ctx, acc.ID, in); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "updated user %s\n", *login)
		return nil
	})
}
