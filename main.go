// Command certkiosk is the CertKiosk application. Started without a command it opens
// the kiosk window; with a command (issue, verify, issuer-cert, …) it runs headless on
// the same backend, for scripting, tests and benchmarks.
package main

import (
	"context"
	"embed"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"certkiosk/backend/cli"
)

// assets is the built frontend (frontend/dist), served to the window.
//
//go:embed all:frontend/dist
var assets embed.FS

func main() {
	args := os.Args[1:]
	if len(args) > 0 && cli.IsCommand(args[0]) {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := cli.Main(ctx, args, os.Stdin, os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	if err := runWindow(args); err != nil {
		fmt.Fprintln(os.Stderr, "certkiosk:", err)
		os.Exit(1)
	}
}
