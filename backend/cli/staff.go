package cli

// staff.go: certkiosk staff — the kiosk's staff accounts: add one (its PIN read from
// stdin, never from the command line), list them, unlock or remove one.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"certkiosk/backend/staff"
)

// maxPINInput bounds what staff add reads from stdin: two lines of a PIN.
const maxPINInput = 4 * staff.MaxPINLen * 2

// staffCommands are the subcommands of certkiosk staff.
func staffCommands() map[string]command {
	return map[string]command{
		"add":    {"add an account: staff add --id ID --role ROLE[,ROLE] [--name NAME]; the PIN is read from stdin", runStaffAdd},
		"list":   {"list the accounts: id, name, roles, failed logins, lock", runStaffList},
		"unlock": {"unlock an account locked after failed logins: staff unlock ID", runStaffUnlock},
		"remove": {"remove an account, its name and PIN hash: staff remove ID", runStaffRemove},
	}
}

func runStaff(ctx context.Context, env *Env, args []string) error {
	return runListedSubcommand(ctx, env, "staff", staffCommands(), args, func(w io.Writer) {
		fmt.Fprintf(w, "roles: %s\n", strings.Join(roleNames(), ", "))
	})
}

func roleNames() []string {
	var out []string
	for _, r := range staff.Roles() {
		out = append(out, string(r))
	}
	return out
}

func openStaff(env *Env, dataDir string) (*staff.Store, error) {
	if dataDir == "" {
		return nil, usagef("no data folder: give one with --data")
	}
	return staff.OpenStore(dataDir, staff.StoreOptions{Now: env.Now})
}

// runStaffAdd adds an account. The PIN is the first line of stdin; when a second line
// follows, it must repeat the first (a PIN typed twice). A PIN on the command line
// would be in the shell's history and in every process listing, so there is no
// option for it, and a stray argument is refused without being repeated.
func runStaffAdd(ctx context.Context, env *Env, args []string) error {
	fs, data := newFlags(env, "staff add")
	id := fs.String("id", "", "the staff id typed at login: 1 to 32 of A-Z a-z 0-9 . _ -")
	roles := fs.String("role", "", "the account's roles, separated by commas: "+strings.Join(roleNames(), ", "))
	name := fs.String("name", "", "the name staff screens greet the account with (default: the id)")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: certkiosk staff add --id ID --role ROLE[,ROLE] [--name NAME]  < PIN")
		fmt.Fprintln(fs.Output(), "The PIN is read from stdin: one line, or two lines that agree. It is never an argument.")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, 1<<20); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("staff add takes no arguments; the PIN is read from stdin, never from the command line")
	}
	if *id == "" || *roles == "" {
		return usagef("--id ID and --role ROLE are required")
	}
	rs, err := staff.ParseRoles(*roles)
	if err != nil {
		return usageError{err.Error()}
	}
	if *name == "" {
		*name = *id
	}
	pin, err := readPIN(env.Stdin)
	if err != nil {
		return err
	}
	defer clear(pin)
	store, err := openStaff(env, *data)
	if err != nil {
		return err
	}
	if err := store.Add(staff.Account{ID: *id, Name: *name, Roles: rs}, pin); err != nil {
		return err
	}
	_, err = fmt.Fprintf(env.Stdout, "added %s (%s)\n", *id, strings.Join(rolesText(rs), ", "))
	return err
}

// readPIN reads the PIN from r: the first line, without its line end; a second line,
// when there is one, must be the same. Everything read is wiped before returning,
// except the PIN returned, which the caller wipes.
func readPIN(r io.Reader) ([]byte, error) {
	raw, err := io.ReadAll(io.LimitReader(r, maxPINInput+1))
	defer clear(raw)
	if err != nil {
		return nil, fmt.Errorf("reading the PIN from stdin: %w", err)
	}
	if len(raw) > maxPINInput {
		return nil, usagef("stdin holds more than a PIN (at most two lines of %d characters)", staff.MaxPINLen)
	}
	first, rest, _ := bytes.Cut(raw, []byte("\n"))
	second, more, _ := bytes.Cut(rest, []byte("\n"))
	first, second = bytes.TrimSuffix(first, []byte("\r")), bytes.TrimSuffix(second, []byte("\r"))
	switch {
	case len(first) == 0:
		return nil, usagef("no PIN on stdin: give it as the first line")
	case len(bytes.TrimSpace(more)) > 0:
		return nil, usagef("stdin holds more than two lines; give the PIN once, or twice on two lines")
	case len(second) > 0 && !bytes.Equal(first, second):
		return nil, usagef("the two PINs on stdin differ")
	}
	return bytes.Clone(first), nil
}

func rolesText(rs []staff.Role) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = string(r)
	}
	return out
}

// staffLine is an account as staff list --json prints it.
type staffLine struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	Roles       []string `json:"roles"`
	Created     string   `json:"created"`
	Failures    int      `json:"failures"`
	LastFailure string   `json:"last_failure,omitempty"`
	Locked      bool     `json:"locked"`
	LockedAt    string   `json:"locked_at,omitempty"`
}

func runStaffList(ctx context.Context, env *Env, args []string) error {
	fs, data := newFlags(env, "staff list")
	asJSON := fs.Bool("json", false, "one JSON object per account")
	if err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	store, err := openStaff(env, *data)
	if err != nil {
		return err
	}
	accounts, err := store.Accounts()
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetEscapeHTML(false)
		for _, a := range accounts {
			line := staffLine{
				ID: a.ID, Name: a.Name, Roles: rolesText(a.Roles), Created: stamp(a.Created),
				Failures: a.Failures, LastFailure: stamp(a.LastFailure), Locked: a.Locked, LockedAt: stamp(a.LockedAt),
			}
			if err := enc.Encode(line); err != nil {
				return err
			}
		}
		return nil
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tNAME\tROLES\tFAILED LOGINS\tLOCKED")
	for _, a := range accounts {
		locked := ""
		if a.Locked {
			locked = "since " + a.LockedAt.UTC().Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", a.ID, a.Name, strings.Join(rolesText(a.Roles), ","), a.Failures, locked)
	}
	return tw.Flush()
}

func runStaffUnlock(ctx context.Context, env *Env, args []string) error {
	return staffByID(env, "unlock", args, (*staff.Store).Unlock, "unlocked")
}

func runStaffRemove(ctx context.Context, env *Env, args []string) error {
	return staffByID(env, "remove", args, (*staff.Store).Remove, "removed")
}

// staffByID runs a subcommand that takes one staff id, before or after the options.
func staffByID(env *Env, name string, args []string, do func(*staff.Store, string) error, done string) error {
	fs, data := newFlags(env, "staff "+name)
	pos, err := parseMixed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give one staff id: certkiosk staff %s ID", name)
	}
	store, err := openStaff(env, *data)
	if err != nil {
		return err
	}
	if err := do(store, pos[0]); err != nil {
		return err
	}
	_, err = fmt.Fprintf(env.Stdout, "%s %s\n", done, pos[0])
	return err
}
