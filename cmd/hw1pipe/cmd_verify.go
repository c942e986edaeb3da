package main

import (
	"fmt"
	"io"
	"text/tabwriter"

	"hw1pipe/verify"
)

func (a *app) verifyCmd(args []string) error {
	fs := a.flags("verify", "[DIR]")
	var o verify.Options
	fs.StringVar(&o.Python, "python", "", "reference `interpreter` for the Python checks (default $HW1PIPE_PYTHON, else "+verify.DefaultPython+")")
	fs.BoolVar(&o.NoPython, "no-python", false, "skip the Python loader checks")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	dir := "submit"
	switch len(pos) {
	case 0:
	case 1:
		dir = pos[0]
	default:
		return usageError("verify takes at most one folder")
	}
	return a.readOnly(func() error {
		rep, err := verify.Dir(a.ctx, dir, &o)
		if err != nil {
			return err
		}
		printVerify(a.stdout, rep)
		return rep.Err()
	})
}

// printVerify writes one line per check and a count.
func printVerify(w io.Writer, rep *verify.Report) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	counts := map[verify.Status]int{}
	for _, r := range rep.Results {
		counts[r.Status]++
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", r.Status, r.Path, r.Checker, r.Detail)
	}
	tw.Flush()
	fmt.Fprintf(w, "verify %s: %d passed, %d failed, %d not built, %d skipped\n", rep.Dir,
		counts[verify.Pass], counts[verify.Fail], counts[verify.NotBuilt], counts[verify.Skipped])
}
