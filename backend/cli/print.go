package cli

// print.go: certkiosk print — one PDF sent to a printer and followed until it has
// printed.

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"certkiosk/backend/printing"
)

// maxPrintFile bounds the file print reads: a certificate is well under 1 MiB.
const maxPrintFile = 64 << 20

// printed is the line print writes when the job has printed.
type printed struct {
	Printer string `json:"printer"`
	Job     int    `json:"job"`
	State   string `json:"state"`
}

func runPrint(ctx context.Context, env *Env, args []string) error {
	fs, data := newFlags(env, "print")
	uri := fs.String("printer", "", "printer URI: ipp://, ipps://, usb://VID:PID[/serial] or folder:///path (default: the folder printer in the data folder)")
	key := fs.String("key", "", "job name, A-Z a-z 0-9 - _ (default: derived from the file's content, never from its name)")
	timeout := fs.Duration("timeout", 2*time.Minute, "give up when the job has not printed within this time")
	caFile := fs.String("ca", "", "PEM file of CA certificates trusted for an ipps:// printer")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: certkiosk print [--printer URI] [--key KEY] [--timeout D] FILE")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, 1); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usagef("want the PDF FILE to print")
	}
	if *timeout <= 0 {
		return usagef("--timeout %v: want a positive duration", *timeout)
	}
	o := printing.Options{CAFile: *caFile}
	if *uri == "" {
		if *data == "" {
			return usagef("--printer URI or --data DIR is required")
		}
		dir, err := filepath.Abs(printing.DefaultFolder(*data))
		if err != nil {
			return err
		}
		o.DefaultFolder = dir
	}
	pdf, err := readFileLimited(fs.Arg(0), maxPrintFile)
	if err != nil {
		return err
	}
	if *key == "" {
		// A file name may carry the person's name; the job name shows on the
		// printer's panel and in its job list, so it is taken from the content.
		sum := sha256.Sum256(pdf)
		*key = "print-" + hex.EncodeToString(sum[:8])
	}
	p, closePrinter, err := openPrinter(ctx, *uri, o)
	if err != nil {
		return err
	}
	defer closePrinter()

	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	ref, err := printAccepted(ctx, p, printing.Document{Key: *key, PDF: pdf})
	if err != nil {
		return fmt.Errorf("%s: not accepted, %s: %w", p.URI(), describePrinter(ctx, p), err)
	}
	st, err := printing.FollowJob(ctx, p, ref, printing.FollowOptions{Interval: 500 * time.Millisecond})
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("%s: job %d not printed within %v (job %s), %s", p.URI(), ref.ID, *timeout, describeJob(st), describePrinter(ctx, p))
	case err != nil:
		return fmt.Errorf("%s: following job %d, %s: %w", p.URI(), ref.ID, describePrinter(ctx, p), err)
	case st.State != printing.JobCompleted:
		return fmt.Errorf("%s: job %d %s, %s", p.URI(), ref.ID, describeJob(st), describePrinter(ctx, p))
	}
	line, err := json.Marshal(printed{Printer: p.URI(), Job: ref.ID, State: string(st.State)})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s\n", line)
	return nil
}

// printAccepted sends doc until the printer accepts it, trying again while it is
// busy with another job (an IPP printer takes one at a time), until ctx ends.
func printAccepted(ctx context.Context, p printing.Printer, doc printing.Document) (printing.JobRef, error) {
	for {
		ref, err := p.Print(ctx, doc)
		if err == nil || !errors.Is(err, printing.ErrBusy) {
			return ref, err
		}
		select {
		case <-ctx.Done():
			return ref, err
		case <-time.After(time.Second):
		}
	}
}

// describeJob says where a job is: its state and, when it has any, its reasons.
func describeJob(st printing.JobStatus) string {
	s := string(st.State)
	if s == "" {
		s = "state unknown"
	}
	if len(st.Reasons) > 0 {
		s += " (" + strings.Join(st.Reasons, ", ") + ")"
	}
	return s
}

// describePrinter asks the printer for its state, for an error message: "printer
// media-empty (media-empty-warning, media-needed-warning)". It is asked even when the
// command's time is up, for at most 5 s.
func describePrinter(ctx context.Context, p printing.Printer) string {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	st, _ := p.Status(sctx)
	s := "printer " + string(st.State)
	if st.State == "" {
		s = "printer state unknown"
	}
	if len(st.Reasons) > 0 {
		s += " (" + strings.Join(st.Reasons, ", ") + ")"
	}
	return s
}
