package cli

// audit.go: certkiosk audit verify — recompute the audit log's hash chain and name the
// first entry that fails.

import (
	"context"
	"errors"
	"fmt"
	"os"

	"certkiosk/backend/audit"
)

const auditUsage = "usage: certkiosk audit verify [--data DIR] [--file PATH] [--head SEQ:HASH]"

func runAudit(ctx context.Context, env *Env, args []string) error {
	return runSubcommand(ctx, env, args, auditUsage, map[string]command{"verify": {run: runAuditVerify}})
}

// runAuditVerify prints "audit: N entries, chain intact, head SEQ HASH", or the first
// fault, naming the line and the entry, and fails.
func runAuditVerify(ctx context.Context, env *Env, args []string) error {
	fs, data := newFlags(env, "audit verify")
	file := fs.String("file", "", "verify this log file instead of the data folder's `audit.log`; the folder's head file is not read then (see --head)")
	headFlag := fs.String("head", "", "a head exported earlier, as `SEQ:HASH`: the log must still hold that entry with that hash")
	if err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	var anchors []audit.Head
	if *headFlag != "" {
		h, err := audit.ParseHead(*headFlag)
		if err != nil {
			return usagef("--head: %v", err)
		}
		anchors = append(anchors, h)
	}
	var (
		rep audit.Report
		err error
	)
	switch {
	case *file != "":
		f, ferr := os.Open(*file)
		if ferr != nil {
			return ferr
		}
		defer f.Close()
		rep, err = audit.Verify(f, anchors...)
	case *data == "":
		return usagef("no data folder: give one with --data, or a log with --file")
	default:
		rep, err = audit.VerifyDir(*data, anchors...)
	}
	var fault *audit.Fault
	if errors.As(err, &fault) {
		fmt.Fprintln(env.Stdout, oneLine(fault))
		return errReported
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "audit: %d entries, chain intact, head %d %s\n", rep.Entries, rep.Head.Seq, rep.Head.Hash)
	return nil
}
