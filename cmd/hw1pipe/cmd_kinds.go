package main

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"

	"hw1pipe/pipeline"
)

func (a *app) kindsCmd(args []string) error {
	fs := a.flags("kinds", "")
	if pos, err := parse(fs, args); err != nil {
		return err
	} else if len(pos) > 0 {
		return usageError("kinds takes no arguments")
	}
	reg, err := pipeline.NewRegistry(a.kinds...)
	if err != nil {
		return err
	}
	for i, name := range reg.Names() {
		k, _ := reg.Lookup(name)
		if i > 0 {
			fmt.Fprintln(a.stdout)
		}
		fmt.Fprintf(a.stdout, "%s (version %s)\n", k.Name, k.Version)
		if k.Doc != "" {
			fmt.Fprintf(a.stdout, "  %s\n", k.Doc)
		}
		fmt.Fprintf(a.stdout, "  inputs:  %s\n", list(k.Inputs))
		fmt.Fprintf(a.stdout, "  outputs: %s\n", list(k.Outputs))
		if len(k.Deliverables) > 0 {
			var ds []string
			for _, key := range slices.Sorted(maps.Keys(k.Deliverables)) {
				ds = append(ds, key+" = "+k.Deliverables[key])
			}
			fmt.Fprintf(a.stdout, "  delivers: %s\n", strings.Join(ds, ", "))
		}
		docs := k.ParamDocs()
		if len(docs) == 0 {
			fmt.Fprintln(a.stdout, "  params:  -")
			continue
		}
		fmt.Fprintln(a.stdout, "  params:")
		tw := tabwriter.NewWriter(a.stdout, 0, 4, 2, ' ', 0)
		for _, d := range docs {
			fmt.Fprintf(tw, "    %s\t%s\tdefault %s\n", d.Name, d.Type, d.Default)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}

func list(s []string) string {
	if len(s) == 0 {
		return "-"
	}
	return strings.Join(s, ", ")
}
