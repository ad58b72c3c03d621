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
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"guatu/internal/app"
	"guatu/internal/demo"
	"guatu/internal/org"
	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
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

// passwordRules is said under the usage of the commands that set one.
const passwordRules = `The password: at least 8 characters, three of upper case, lower case, digits
and symbols, not containing the login, not a common one. Its owner must
change it at the first sign-in.`

// usageWith is a usage that ends with a note.
func usageWith(fs *flag.FlagSet, stderr io.Writer, synopsis, note string) func() {
	return func() {
		fmt.Fprintf(stderr, "Usage: guatu %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
		fmt.Fprintf(stderr, "\n%s\n", note)
	}
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
		_, err := app.Migrate(ctx, d)
		return err
	})
	if err != nil {
		d.Close()
		return nil, err
	}
	return d, nil
}

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, c := newFlags("serve", "serve [--addr HOST:PORT] [--db DSN] [--data DIR] [--demo] [--secure-cookies] [--trusted-proxy CIDR] [--idle-timeout 30m] [--session-max-age 12h] [--password-max-age 90d] [--file-limit 20]", stderr)
	addr := fs.String("addr", envOr("GUATU_ADDR", "127.0.0.1:8080"), "address to listen on (env GUATU_ADDR)")
	withDemo := fs.Bool("demo", os.Getenv("GUATU_DEMO") == "1", "load the demo township (idempotent) and print its accounts (env GUATU_DEMO=1)")
	secure := fs.Bool("secure-cookies", os.Getenv("GUATU_SECURE_COOKIES") == "1", "always mark cookies Secure and send HSTS, e.g. behind a TLS proxy (env GUATU_SECURE_COOKIES=1)")
	idle := fs.String("idle-timeout", envOr("GUATU_IDLE_TIMEOUT", "30m"), "sign a browser out after this long unused (env GUATU_IDLE_TIMEOUT)")
	maxAge := fs.String("session-max-age", envOr("GUATU_SESSION_MAX_AGE", "12h"), "sign a browser out this long after sign-in, in use or not (env GUATU_SESSION_MAX_AGE)")
	proxies := fs.String("trusted-proxy", os.Getenv("GUATU_TRUSTED_PROXY"), "comma-separated addresses or CIDRs of reverse proxies whose X-Forwarded-For names the client (env GUATU_TRUSTED_PROXY)")
	fileLimit := fs.String("file-limit", envOr("GUATU_FILE_LIMIT", "20"), "largest uploaded file (attachments, evidence), in MB (env GUATU_FILE_LIMIT)")
	pwAge := fs.String("password-max-age", envOr("GUATU_PASSWORD_MAX_AGE", "90d"), "make people change a password this old; 0: never (env GUATU_PASSWORD_MAX_AGE)")
	if done, err := parse(fs, args); done {
		return err
	}
	fileMB, err := strconv.ParseInt(*fileLimit, 10, 64)
	if err != nil || fileMB <= 0 || fileMB > 30 {
		fmt.Fprintln(stderr, "guatu: --file-limit: give a size in MB from 1 to 30 (a form of files over 32 MB is refused whole)")
		return errUsage
	}
	var lifetimes [3]time.Duration
	for i, f := range []struct{ name, value string }{{"idle-timeout", *idle}, {"session-max-age", *maxAge}, {"password-max-age", *pwAge}} {
		d, err := auth.ParseLifetime(f.value)
		if err != nil || (d == 0 && i < 2) {
			fmt.Fprintf(stderr, "guatu: --%s: write a duration such as 30m, 12h or 90d\n", f.name)
			return errUsage
		}
		lifetimes[i] = d
	}
	if lifetimes[2] == 0 {
		lifetimes[2] = -1 // never
	}
	var trusted []netip.Prefix
	for _, p := range strings.Split(*proxies, ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if !strings.Contains(p, "/") {
			if a, err := netip.ParseAddr(p); err == nil {
				p = netip.PrefixFrom(a, a.BitLen()).String()
			}
		}
		prefix, err := netip.ParsePrefix(p)
		if err != nil {
			fmt.Fprintf(stderr, "guatu: --trusted-proxy: %q is not an address or CIDR\n", p)
			return errUsage
		}
		trusted = append(trusted, prefix.Masked())
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	// The first-run page's code is made at every start and lives only in
	// memory; it is printed, and opens /setup, only while no administrator
	// exists.
	cfg := app.Config{Addr: *addr, DSN: c.DSN(), DataDir: c.data, SecureCookies: *secure, Log: log, SetupCode: setup.NewCode(),
		IdleTimeout: lifetimes[0], MaxSessionAge: lifetimes[1], PasswordMaxAge: lifetimes[2], TrustedProxies: trusted,
		FileLimit: fileMB << 20}
	var loaded *demo.Result
	if *withDemo {
		// The demo loads under the start-up lock, so instances starting
		// together on one PostgreSQL do not load it twice.
		cfg.Setup = func(ctx context.Context, d *db.DB) error {
			fs, err := app.Files(c.data, d, cfg.FileLimit)
			if err != nil {
				return err
			}
			res, err := demo.LoadWithFiles(ctx, d, time.Now(), fs)
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
		applied, err = app.Migrate(ctx, d)
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
		fs.Usage = usageWith(fs, stderr, "user add --login L --role R --unit U --password-stdin [--person NAME]", passwordRules)
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
		fs.Usage = usageWith(fs, stderr, "user passwd --login L --password-stdin", passwordRules)
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
		fmt.Fprintf(stdout, "password changed for %s; the account is unlocked, signed out everywhere, its API tokens revoked, and its owner must choose a new password at the next sign-in\n", *login)
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
	if len(args) == 0 {
		fmt.Fprint(stderr, "Usage: guatu token create|list|revoke [flags]\n")
		return errUsage
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "create":
		return cmdTokenCreate(ctx, args, stdout, stderr)
	case "list":
		return cmdTokenList(ctx, args, stdout, stderr)
	case "revoke":
		return cmdTokenRevoke(ctx, args, stdout, stderr)
	default:
		fmt.Fprintf(stderr, "guatu: unknown token command %q (create, list, revoke)\n", sub)
		return errUsage
	}
}

// withAuth opens the database and the accounts' store for a token command.
func withAuth(ctx context.Context, c *common, login string, fn func(st *auth.Store, d *db.DB, u *auth.User) error) error {
	d, err := openDB(ctx, c)
	if err != nil {
		return err
	}
	defer d.Close()
	st := &auth.Store{DB: d}
	var u *auth.User
	if login != "" {
		if u, err = st.UserByLogin(ctx, login); err != nil {
			return fmt.Errorf("no user %q", login)
		}
	}
	return fn(st, d, u)
}

func cmdTokenCreate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, c := newFlags("token create", "token create --login L [--name N] [--expires 90d]", stderr)
	login := fs.String("login", "", "the account the token acts as")
	name := fs.String("name", "cli", "a name for the token, to tell it apart in token list and on the account page")
	expires := fs.String("expires", "90d", "how long the token lasts: days (30d) or hours (720h)")
	if done, err := parse(fs, args); done {
		return err
	}
	ttl, err := auth.ParseLifetime(*expires)
	if *login == "" || err != nil || ttl == 0 {
		if err != nil {
			fmt.Fprintln(stderr, "guatu: --expires:", err)
		}
		fs.Usage()
		return errUsage
	}
	return withAuth(ctx, c, *login, func(st *auth.Store, d *db.DB, u *auth.User) error {
		tok, t, err := st.NewToken(ctx, u.ID, *name, ttl)
		if err != nil {
			return describe(err)
		}
		audit.Record(system(ctx), d, audit.Entry{Action: audit.Create, Entity: "api_token", EntityID: audit.ID(t.ID), UnitID: u.UnitID, UnitPath: u.UnitPath,
			After: map[string]string{"user": u.Login, "name": t.Name, "expires": t.Expires.Format(time.RFC3339)}})
		fmt.Fprintln(stdout, tok)
		return nil
	})
}

func cmdTokenList(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, c := newFlags("token list", "token list --login L", stderr)
	login := fs.String("login", "", "the account whose tokens to list")
	if done, err := parse(fs, args); done {
		return err
	}
	if *login == "" {
		fs.Usage()
		return errUsage
	}
	return withAuth(ctx, c, *login, func(st *auth.Store, d *db.DB, u *auth.User) error {
		tokens, err := st.Tokens(ctx, u.ID)
		if err != nil {
			return err
		}
		const day = "2006-01-02 15:04"
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tNAME\tCREATED\tEXPIRES\tLAST USED")
		for _, t := range tokens {
			used := "never"
			if t.LastUsed != nil {
				used = t.LastUsed.In(clock.Beijing).Format(day)
			}
			expires := t.Expires.In(clock.Beijing).Format(day)
			if !t.Expires.After(time.Now()) {
				expires += " (expired)"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.Created.In(clock.Beijing).Format(day), expires, used)
		}
		return tw.Flush()
	})
}

func cmdTokenRevoke(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, c := newFlags("token revoke", "token revoke --id N | --login L --name N", stderr)
	id := fs.Int64("id", 0, "the token's id (from token list)")
	login := fs.String("login", "", "with --name: the account whose tokens of that name to revoke")
	name := fs.String("name", "", "with --login: revoke the account's tokens of this name")
	if done, err := parse(fs, args); done {
		return err
	}
	byID := *id > 0 && *login == "" && *name == ""
	byName := *id == 0 && *login != "" && *name != ""
	if !byID && !byName {
		fs.Usage()
		return errUsage
	}
	return withAuth(ctx, c, *login, func(st *auth.Store, d *db.DB, u *auth.User) error {
		n := 1
		if byID {
			t, err := st.TokenByID(ctx, *id)
			if err != nil {
				return fmt.Errorf("no token %d", *id)
			}
			if err := st.RevokeToken(ctx, t.UserID, t.ID); err != nil {
				return err
			}
		} else {
			var err error
			if n, err = st.RevokeTokensNamed(ctx, u.ID, *name); err != nil {
				return err
			}
			if n == 0 {
				return fmt.Errorf("%s has no token named %q", u.Login, *name)
			}
		}
		audit.Record(system(ctx), d, audit.Entry{Action: audit.Delete, Entity: "api_token", EntityID: fmt.Sprint(*id), After: map[string]string{"user": *login, "name": *name}})
		fmt.Fprintf(stdout, "revoked %d token(s)\n", n)
		return nil
	})
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
