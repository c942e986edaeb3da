package main

import (
	"fmt"
	"slices"
	"strings"

	"hw1pipe/pipeline"
)

func (a *app) dagCmd(args []string) error {
	fs := a.flags("dag", "")
	var cf configFlags
	cf.register(fs, false)
	format := fs.String("format", "text", "output `format`: "+strings.Join(pipeline.DAGFormats, ", "))
	if pos, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usageError("dag takes no arguments")
	}
	if !slices.Contains(pipeline.DAGFormats, *format) {
		return usageError(fmt.Sprintf("unknown format %q (want %s)", *format, strings.Join(pipeline.DAGFormats, ", ")))
	}
	p, err := a.load(&cf)
	if err != nil {
		return err
	}
	return p.WriteDAG(a.stdout, *format)
}
