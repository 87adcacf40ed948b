package cli

// registrysim.go: certkiosk registry-sim — the demo registries (local and federal)
// served over HTTP until interrupted.

import (
	"context"
	"fmt"
	"net"

	"certkiosk/backend/registrysim"
)

func runRegistrySim(ctx context.Context, env *Env, args []string) error {
	fs, data := newFlags(env, "registry-sim")
	listen := fs.String("listen", "127.0.0.1:8765", "address to serve on; port 0 picks a free port (the URLs printed name it)")
	atFlag := fs.String("at", "", "date the records relative to this RFC 3339 time (default: now)")
	if err := parseFlags(fs, args, 0); err != nil {
		return err
	}
	if *data == "" {
		return usagef("--data DIR is required")
	}
	start, err := parseTime(env, *atFlag)
	if err != nil {
		return err
	}
	// Listen first: a port already taken stops the command before it reseeds the file
	// another instance may be serving.
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("--listen %s: %w", *listen, err)
	}
	reg, err := registrysim.Open(registrysim.Path(*data), start)
	if err != nil {
		ln.Close()
		return err
	}
	defer reg.Close()
	local, federal := registrysim.BaseURLs(ln.Addr())
	fmt.Fprintf(env.Stderr, "registry-sim: local %s, federal %s\n", local, federal)
	return reg.Serve(ctx, ln)
}
