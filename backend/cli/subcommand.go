package cli

// subcommand.go: the dispatch of the commands whose help lists their subcommands
// (certkiosk queue, certkiosk staff): run the one named, or list them.

import (
	"context"
	"flag"
	"fmt"
	"io"
	"sort"
)

// runListedSubcommand runs the subcommand of certkiosk group that args[0] names.
// Unlike runSubcommand, whose usage is one fixed line, no subcommand or help lists
// the subcommands with their summaries on stderr; footer, when not nil, then adds
// what the group needs said.
func runListedSubcommand(ctx context.Context, env *Env, group string, cmds map[string]command, args []string, footer func(io.Writer)) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprintf(env.Stderr, "usage: certkiosk %s SUBCOMMAND [options]\n", group)
		names := make([]string, 0, len(cmds))
		for n := range cmds {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			fmt.Fprintf(env.Stderr, "  %-8s %s\n", n, cmds[n].summary)
		}
		if footer != nil {
			footer(env.Stderr)
		}
		if len(args) == 0 {
			return usagef("no subcommand")
		}
		return flag.ErrHelp
	}
	c, ok := cmds[args[0]]
	if !ok {
		return usagef("unknown subcommand %q (certkiosk %s -h lists them)", args[0], group)
	}
	return c.run(ctx, env, args[1:])
}
