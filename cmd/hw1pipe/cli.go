package main

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

	"golang.org/x/term"

	"hw1pipe/pipeline"
)

// Exit codes; exitCode is the only place that picks one.
const (
	exitOK     = 0
	exitFailed = 1 // a stage failed, the run was interrupted, or I/O failed
	exitUsage  = 2 // bad command line or bad pipeline.yaml
)

// app is what every subcommand gets: where to write and what kinds exist.
type app struct {
	ctx            context.Context
	stdout, stderr io.Writer
	kinds          []pipeline.Kind
	// isTerminal reports whether w is an interactive terminal and its
	// width; tests replace it.
	isTerminal func(w io.Writer) (tty bool, width int)
}

// command is one subcommand. To add one, write a func(*app, []string)
// error and list it in commands; return usageError for bad arguments.
type command struct {
	summary string
	run     func(a *app, args []string) error
}

var commands map[string]command

func init() {
	// Assigned in init because help refers to the table.
	commands = map[string]command{
		"run":     {"bring stages up to date (default: all)", (*app).runCmd},
		"status":  {"show every stage as fresh or stale, and why", (*app).statusCmd},
		"dag":     {"print the stage graph (text, dot or mermaid)", (*app).dagCmd},
		"kinds":   {"list the registered stage kinds", (*app).kindsCmd},
		"inspect": {"print what a .pkl, .pth, .h5 or .npy file holds", (*app).inspectCmd},
		"verify":  {"check a submission folder as the autograder would (default submit/)", (*app).verifyCmd},
		"submit":  {"copy the deliverables and report into submit/, zip, write MANIFEST.json, verify", (*app).submitCmd},
		"help":    {"show this help", (*app).helpCmd},
	}
}

// Main runs hw1pipe with args (without the program name) and returns the
// exit code. kinds are the stage kinds to register (stages.Kinds() in
// production, fakes in tests); ctx is cancelled on Ctrl-C.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer, kinds []pipeline.Kind) int {
	a := &app{ctx: ctx, stdout: stdout, stderr: stderr, kinds: kinds, isTerminal: isTerminal}
	err := a.dispatch(args)
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(stderr, "hw1pipe:", strings.ReplaceAll(err.Error(), "\n", "\nhw1pipe: "))
	}
	return exitCode(err)
}

func (a *app) dispatch(args []string) error {
	if len(args) == 0 {
		a.usage(a.stderr)
		return usageError("no command")
	}
	name := args[0]
	if name == "-h" || name == "-help" || name == "--help" {
		name = "help"
	}
	cmd, ok := commands[name]
	if !ok {
		a.usage(a.stderr)
		return usageError(fmt.Sprintf("unknown command %q", name))
	}
	return cmd.run(a, args[1:])
}

func (a *app) usage(w io.Writer) {
	fmt.Fprintln(w, "usage: hw1pipe <command> [flags] [args]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'hw1pipe <command> -h' for a command's flags.")
}

func (a *app) helpCmd(args []string) error {
	a.usage(a.stdout)
	return nil
}

// readOnly runs a command that only reads (inspect, verify) so that
// Ctrl-C or SIGTERM ends it at once: it has nothing to clean up, and a
// read stuck in the kernel would otherwise outlive the signal. The
// command's goroutine gets a moment to stop its child processes (verify's
// Python is killed through the context) before Main returns and the
// process exits.
func (a *app) readOnly(f func() error) error {
	done := make(chan error, 1)
	go func() { done <- f() }()
	select {
	case err := <-done:
		return err
	case <-a.ctx.Done():
	}
	select {
	case <-done:
	case <-time.After(time.Second):
	}
	return errInterrupted
}

// errInterrupted is what a command interrupted by a signal returns.
var errInterrupted = errors.New("interrupted")

// usageError is a bad command line: exit code 2.
type usageError string

func (e usageError) Error() string { return string(e) }

// exitCode maps an error to the process's exit code.
func exitCode(err error) int {
	var ue usageError
	var ce *pipeline.ConfigError
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return exitOK
	case errors.As(err, &ue), errors.As(err, &ce):
		return exitUsage
	default:
		return exitFailed
	}
}

// flags is a subcommand's flag set, writing its usage to stderr.
func (a *app) flags(name, args string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(a.stderr)
	fs.Usage = func() {
		fmt.Fprintf(a.stderr, "usage: hw1pipe %s [flags] %s\n", name, args)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args allowing flags after positional arguments
// (`hw1pipe run grid --force`) and returns the positional ones.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError(err.Error())
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// configFlags are the flags every pipeline-reading command shares.
type configFlags struct {
	config string
	sets   []string
}

func (c *configFlags) register(fs *flag.FlagSet, withSet bool) {
	fs.StringVar(&c.config, "config", "pipeline.yaml", "the pipeline `file`")
	if withSet {
		fs.Func("set", "override a param: `stage.param=value` (value is YAML; repeatable)", func(s string) error {
			c.sets = append(c.sets, s)
			return nil
		})
	}
}

// load reads and validates the pipeline with the --set overrides.
func (a *app) load(c *configFlags) (*pipeline.Pipeline, error) {
	reg, err := pipeline.NewRegistry(a.kinds...)
	if err != nil {
		return nil, err
	}
	opts := &pipeline.LoadOptions{}
	for _, s := range c.sets {
		o, err := pipeline.ParseOverride(s)
		if err != nil {
			return nil, usageError(err.Error())
		}
		opts.Overrides = append(opts.Overrides, o)
	}
	return pipeline.Load(c.config, reg, opts)
}

// checkStages rejects names that are not stages of p.
func checkStages(p *pipeline.Pipeline, names []string) error {
	for _, n := range names {
		if _, ok := p.Stage(n); !ok {
			var all []string
			for _, s := range p.Stages {
				all = append(all, s.Name)
			}
			return usageError(fmt.Sprintf("no stage %q in %s (stages: %s)", n, p.File, strings.Join(all, ", ")))
		}
	}
	return nil
}

func isTerminal(w io.Writer) (bool, int) {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return false, 0
	}
	width, _, err := term.GetSize(int(f.Fd()))
	if err != nil || width <= 0 {
		width = 80
	}
	return true, width
}
