package main

import (
	"strings"
	"text/tabwriter"
)

func (a *app) statusCmd(args []string) error {
	fs := a.flags("status", "")
	var cf configFlags
	cf.register(fs, true)
	if pos, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usageError("status takes no arguments")
	}
	p, err := a.load(&cf)
	if err != nil {
		return err
	}
	st, err := p.Status(nil)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
	tw.Write([]byte("STAGE\tKIND\tSTATE\tREASON\n"))
	for _, s := range st {
		state := "fresh"
		if !s.Fresh {
			state = "stale"
		}
		tw.Write([]byte(s.Stage.Name + "\t" + s.Stage.Kind.Name + "\t" + state + "\t" + strings.Join(s.Reasons, "; ") + "\n"))
	}
	return tw.Flush()
}
