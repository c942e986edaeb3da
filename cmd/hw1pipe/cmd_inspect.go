package main

import (
	"fmt"

	"hw1pipe/artifacts/inspect"
)

// inspectCmd prints what each named file holds: what a student reaches
// for when the autograder says "could not load".
func (a *app) inspectCmd(args []string) error {
	fs := a.flags("inspect", "FILE...")
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usageError("inspect needs at least one FILE (.pkl, .pth, .h5, .npy)")
	}
	return a.readOnly(func() error {
		for i, f := range files {
			if len(files) > 1 {
				if i > 0 {
					fmt.Fprintln(a.stdout)
				}
				fmt.Fprintf(a.stdout, "== %s\n", f)
			}
			if err := inspect.Describe(a.stdout, f); err != nil {
				return err
			}
		}
		return nil
	})
}
