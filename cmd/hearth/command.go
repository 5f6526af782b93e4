package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/hearth-home/hearth/gateway/api"
)

// command is one word of the command line: a group ("job") with subs, or a
// leaf ("job submit") with flags and an action.
type command struct {
	name    string
	args    string // positional arguments in the usage line, e.g. "ID"
	nargs   int    // how many positional arguments a leaf takes
	summary string // one line, shown in the parent's listing
	help    string // what it does, shown by --help
	example string
	subs    []*command
	// moreArgs lets a leaf's last positional argument repeat
	// ("PLATFORM=BINARY..."); nargs is then the fewest it takes.
	moreArgs bool
	// offline commands do not talk to the gateway and so take no
	// --credentials or --gateway.
	offline bool
	// bind defines the leaf's flags on fs and returns its action, called
	// with the positional arguments once the flags are parsed.
	bind func(c *cli, fs *flag.FlagSet) action
}

type action func(ctx context.Context, args []string) error

// usageError is a wrong command line: exit 2 with the usage of the command
// at the end of path (filled in by the dispatcher when an action leaves it
// empty).
type usageError struct {
	path []*command
	msg  string
}

func (e *usageError) Error() string { return e.msg }

func usageErrorf(format string, a ...any) error {
	return &usageError{msg: fmt.Sprintf(format, a...)}
}

// exitError ends a command with a code after it has said why.
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// root is the command tree.
func root() *command {
	return &command{
		name: "hearth",
		help: `hearth is the command-line client of a Hearth home cloud: it shows the pool of
devices, approves new ones, submits jobs and fetches their verified results.`,
		example: `hearth pool ls
hearth job submit examples/vanity/job.yaml --wait
hearth job results vanity-1 --out results/`,
		subs: []*command{statusCmd(), poolCmd(), jobCmd(), streamCmd(), marketCmd(), dashboardCmd(), storageCmd(), imageCmd(), firmwareCmd(), versionCmd()},
	}
}

func (c *cli) main(ctx context.Context, args []string) int {
	return c.report(c.dispatch(ctx, []*command{root()}, args))
}

// dispatch walks down the tree; path holds the commands named so far.
func (c *cli) dispatch(ctx context.Context, path []*command, args []string) error {
	cmd := path[len(path)-1]
	if cmd.bind != nil {
		return c.runLeaf(ctx, path, args)
	}
	// A group takes only the global flags, before its sub-command: Go's
	// flag package stops at the first non-flag, the sub-command's name.
	fs := c.flagSet(path)
	if err := fs.Parse(args); err != nil {
		return c.flagError(path, err)
	}
	rest := fs.Args()
	if len(rest) == 0 {
		return &usageError{path, "missing command"}
	}
	if rest[0] == "help" {
		return c.help(path, rest[1:])
	}
	if sub := cmd.sub(rest[0]); sub != nil {
		return c.dispatch(ctx, append(path, sub), rest[1:])
	}
	return &usageError{path, fmt.Sprintf("unknown command %q", rest[0])}
}

func (cmd *command) sub(name string) *command {
	for _, s := range cmd.subs {
		if s.name == name {
			return s
		}
	}
	return nil
}

// help answers `hearth help job submit` and `hearth job help submit`.
func (c *cli) help(path []*command, words []string) error {
	for _, w := range words {
		sub := path[len(path)-1].sub(w)
		if sub == nil {
			return &usageError{path, fmt.Sprintf("unknown command %q", w)}
		}
		path = append(path, sub)
	}
	c.printUsage(c.stdout, path, false)
	return nil
}

func (c *cli) runLeaf(ctx context.Context, path []*command, args []string) error {
	cmd := path[len(path)-1]
	fs := c.flagSet(path)
	act := cmd.bind(c, fs)
	if err := fs.Parse(reorderArgs(fs, args)); err != nil {
		return c.flagError(path, err)
	}
	pos := fs.Args()
	switch {
	case len(pos) < cmd.nargs:
		return &usageError{path, "missing " + strings.Fields(cmd.args)[len(pos)]}
	case len(pos) > cmd.nargs && !cmd.moreArgs:
		return &usageError{path, fmt.Sprintf("unexpected argument %q", pos[cmd.nargs])}
	}
	err := act(ctx, pos)
	var ue *usageError
	if errors.As(err, &ue) && ue.path == nil {
		ue.path = path
	}
	return err
}

// flagSet makes the flag set of the command at the end of path with the
// global flags: every command that talks to the gateway accepts them, so
// that they may stand anywhere on the line. The set reports nothing
// itself; errors and help go through flagError.
func (c *cli) flagSet(path []*command) *flag.FlagSet {
	cmd := path[len(path)-1]
	fs := flag.NewFlagSet(pathName(path), flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	if !cmd.offline {
		fs.Func("credentials", "read the gateway's address and admin token from `FILE`", func(s string) error {
			c.credentialsFlag = s
			return nil
		})
		fs.Func("gateway", "talk to the gateway at `HOST:PORT` instead of the address in the credentials", func(s string) error {
			c.gatewayFlag = s
			return nil
		})
	}
	return fs
}

// globalFlags are defined by flagSet on every command that talks to the
// gateway.
var globalFlags = map[string]bool{"credentials": true, "gateway": true}

// flagError turns the flag package's errors into help or a usage error.
func (c *cli) flagError(path []*command, err error) error {
	if errors.Is(err, flag.ErrHelp) {
		c.printUsage(c.stdout, path, false)
		return nil
	}
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		msg = "unknown flag -" + name
		if len(name) > 1 {
			msg = "unknown flag --" + name
		}
	}
	return &usageError{path, msg}
}

func pathName(path []*command) string {
	names := make([]string, len(path))
	for i, p := range path {
		names[i] = p.name
	}
	return strings.Join(names, " ")
}

// printUsage writes a command's help: usage line, what it does, its
// sub-commands or flags, and an example.
// brief leaves out the prose and examples, for usage errors.
func (c *cli) printUsage(w io.Writer, path []*command, brief bool) {
	cmd := path[len(path)-1]
	name := pathName(path)
	// A throwaway cli takes the flag bindings, so that help has no effects.
	fs := (&cli{}).flagSet(path)
	if cmd.bind != nil {
		cmd.bind(&cli{}, fs)
	}

	fmt.Fprintf(w, "Usage:\n")
	switch {
	case cmd.bind == nil:
		fmt.Fprintf(w, "  %s COMMAND [ARGS] [FLAGS]\n", name)
	case cmd.args != "":
		fmt.Fprintf(w, "  %s %s [FLAGS]\n", name, cmd.args)
	default:
		fmt.Fprintf(w, "  %s [FLAGS]\n", name)
	}
	if cmd.help != "" && !brief {
		fmt.Fprintf(w, "\n%s\n", cmd.help)
	}
	if len(cmd.subs) > 0 {
		fmt.Fprintf(w, "\nCommands:\n")
		var rows [][]string
		for _, l := range leaves(path) {
			rows = append(rows, []string{strings.TrimPrefix(l.usage, name+" "), l.summary})
		}
		writeAligned(w, "  ", rows)
	}
	var own, global [][]string
	fs.VisitAll(func(f *flag.Flag) {
		arg, usage := flag.UnquoteUsage(f)
		dash := "--"
		if len(f.Name) == 1 {
			dash = "-"
		}
		if f.DefValue != "" && f.DefValue != "false" {
			usage += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		row := []string{strings.TrimSpace(dash + f.Name + " " + arg), usage}
		if globalFlags[f.Name] {
			global = append(global, row)
		} else {
			own = append(own, row)
		}
	})
	if len(own) > 0 {
		fmt.Fprintf(w, "\nFlags:\n")
		writeAligned(w, "  ", own)
	}
	if len(global) > 0 {
		if len(path) == 1 {
			fmt.Fprintf(w, "\nFlags (accepted by every command that talks to the gateway):\n")
		} else {
			fmt.Fprintf(w, "\nGlobal flags:\n")
		}
		writeAligned(w, "  ", global)
	}
	if brief {
		fmt.Fprintf(w, "\nRun `%s --help` for more.\n", name)
		return
	}
	if len(path) == 1 {
		fmt.Fprintf(w, "\n%s", credentialsHelp)
	}
	if cmd.example != "" {
		fmt.Fprintf(w, "\nExample:\n")
		for _, line := range strings.Split(cmd.example, "\n") {
			fmt.Fprintf(w, "  %s\n", line)
		}
	}
	if len(cmd.subs) > 0 {
		fmt.Fprintf(w, "\nRun `%s COMMAND --help` for more about a command.\n", name)
	}
}

type leafLine struct{ usage, summary string }

// leaves lists every leaf under path with its usage, depth first.
func leaves(path []*command) []leafLine {
	cmd := path[len(path)-1]
	if cmd.bind != nil {
		u := pathName(path)
		if cmd.args != "" {
			u += " " + cmd.args
		}
		return []leafLine{{u, cmd.summary}}
	}
	var out []leafLine
	for _, sub := range cmd.subs {
		out = append(out, leaves(append(path[:len(path):len(path)], sub))...)
	}
	return out
}

// report prints an error the way people need it and picks the exit code.
func (c *cli) report(err error) int {
	if err == nil {
		return exitOK
	}
	var ue *usageError
	if errors.As(err, &ue) {
		path := ue.path
		if path == nil {
			path = []*command{root()}
		}
		fmt.Fprintf(c.stderr, "%s: %s\n\n", pathName(path), ue.msg)
		c.printUsage(c.stderr, path, true)
		return exitUsage
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	fmt.Fprintf(c.stderr, "hearth: %v\n", err)
	if hint := c.hint(err); hint != "" {
		fmt.Fprintf(c.stderr, "%s\n", hint)
	}
	return exitFail
}

// hint suggests a way out of the usual failures.
func (c *cli) hint(err error) string {
	var ue *url.Error
	switch {
	case c.credentialsPath == "":
		return ""
	case errors.Is(err, api.ErrUnauthorized):
		return fmt.Sprintf("The gateway refused the admin token in %s: copy the credentials file that `hearth-gateway init` wrote on the gateway.", c.credentialsPath)
	case errors.As(err, &ue):
		return fmt.Sprintf("Is hearth-gateway running there? (address from %s; --gateway HOST:PORT overrides it)", c.credentialsPath)
	}
	return ""
}
