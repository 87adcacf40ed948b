// Package cli is the kiosk's command line: the headless side of the certkiosk binary,
// for scripting, tests and benchmarks. Each command is a file of its own.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"certkiosk/backend/config"
)

// Env is what a command reads and writes, and the clock it reads the time from.
type Env struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Now            func() time.Time

	queueKey string // --queue-key of the queue commands
}

type command struct {
	summary string
	run     func(ctx context.Context, env *Env, args []string) error
}

// commandTable lists the commands by name.
func commandTable() map[string]command {
	return map[string]command{
		"audit":        {"verify the audit log's hash chain: audit verify [--data DIR] [--file PATH]", runAudit},
		"config":       {"check a configuration file: config check FILE", runConfig},
		"devices":      {"list the USB card readers, scanners and printers found (VID:PID, names, state); --json, --sim", runDevices},
		"identify":     {"identify a person from a document's MRZ or an identifier; prints the Person as JSON", runIdentify},
		"issue":        {"issue the certificates a FHIR record supports, as PDFs", runIssue},
		"issuer-cert":  {"print the signing certificate in use (PEM)", runIssuerCert},
		"keys":         {"generate the signing key in a PKCS#11 token (CSR or test certificate), install its certificate", runKeys},
		"print":        {"print a PDF on a printer (ipp://, ipps://, usb://, folder://) and wait until it has printed", runPrint},
		"queue":        {"the durable outbox: add requests, run the worker, list, retry, cancel, move, release, reprint", runQueue},
		"registry-sim": {"serve the demo FHIR registries (local and federal) over HTTP", runRegistrySim},
		"staff":        {"staff accounts: add (PIN from stdin), list, unlock, remove", runStaff},
		"verify":       {"verify HC1 certificates from stdin or from a PDF's QR codes", runVerify},
	}
}

// IsCommand reports whether name is a command (or a request for help), as opposed to
// the window's own options.
func IsCommand(name string) bool {
	_, ok := commandTable()[name]
	return ok || name == "help" || name == "-h" || name == "--help"
}

// Main runs the command named by args[0] and returns the process exit code: 0 on
// success, 1 when the command failed, 2 for a usage error.
func Main(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	env := &Env{Stdin: stdin, Stdout: stdout, Stderr: stderr, Now: time.Now}
	return env.Run(ctx, args)
}

// Run is Main with the environment given.
func (env *Env) Run(ctx context.Context, args []string) int {
	if len(args) == 0 || !IsCommand(args[0]) || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(env.Stderr)
		if len(args) > 0 && IsCommand(args[0]) {
			return 0
		}
		return 2
	}
	name := args[0]
	err := commandTable()[name].run(ctx, env, args[1:])
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, new(usageError)):
		fmt.Fprintf(env.Stderr, "certkiosk %s: %v\n", name, err)
		return 2
	case errors.Is(err, errReported):
		return 1
	default:
		fmt.Fprintf(env.Stderr, "certkiosk %s: %s\n", name, oneLine(err))
		return 1
	}
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: certkiosk [--data DIR]           open the kiosk window")
	fmt.Fprintln(w, "       certkiosk COMMAND [options]      run a command without a window")
	fmt.Fprintln(w, "\ncommands:")
	commands := commandTable()
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-12s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\n'certkiosk COMMAND -h' lists a command's options.")
}

// runSubcommand runs the subcommand args[0] names among subs, or prints usage for
// help; a missing or unknown subcommand is a usage error.
func runSubcommand(ctx context.Context, env *Env, args []string, usage string, subs map[string]command) error {
	if len(args) == 0 {
		return usagef("a subcommand is needed (%s)", usage)
	}
	switch args[0] {
	case "help", "-h", "-help", "--help":
		fmt.Fprintln(env.Stderr, usage)
		return flag.ErrHelp
	}
	sub, ok := subs[args[0]]
	if !ok {
		return usagef("unknown subcommand %q (%s)", args[0], usage)
	}
	return sub.run(ctx, env, args[1:])
}

// usageError is a mistake in the command's arguments.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// errReported means the command has already said on stdout or stderr what failed.
var errReported = errors.New("reported")

// newFlags returns a command's flag set with the options every command shares.
func newFlags(env *Env, name string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet("certkiosk "+name, flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	dir, _ := config.DefaultDataDir() // without a home folder, --data is needed
	data := fs.String("data", dir, "the kiosk's data folder: configuration, demo key, database")
	if strings.HasPrefix(name, "queue") {
		fs.StringVar(&env.queueKey, "queue-key", os.Getenv(queueKeyEnv),
			"the queue's key file, or credential:NAME for a systemd credential (default: $"+queueKeyEnv+", else queue.key in the data folder)")
	}
	return fs, data
}

// parseFlags parses args and refuses positional arguments beyond max.
func parseFlags(fs *flag.FlagSet, args []string, max int) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > max {
		return usagef("unexpected argument %q", fs.Arg(max))
	}
	return nil
}

// parseTime reads an --at option; empty means now.
func parseTime(env *Env, s string) (time.Time, error) {
	if s == "" {
		return env.Now(), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, usagef("--at %q is not an RFC 3339 time (like 2026-11-22T10:00:00Z)", s)
	}
	return t, nil
}

// readFileLimited reads a file of at most limit bytes.
func readFileLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is larger than %d bytes", path, limit)
	}
	return data, nil
}

func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}
