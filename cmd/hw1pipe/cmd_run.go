package main

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"hw1pipe/pipeline"
)

func (a *app) runCmd(args []string) error {
	fs := a.flags("run", "[STAGE...]")
	var cf configFlags
	cf.register(fs, true)
	r := &pipeline.Runner{}
	fs.IntVar(&r.Jobs, "j", runtime.NumCPU(), "run at most `N` stages at once")
	fs.BoolVar(&r.KeepGoing, "keep-going", false, "after a failure, finish every stage that does not depend on it")
	fs.BoolVar(&r.Force, "force", false, "rerun the named stages (default all) even when fresh")
	fs.BoolVar(&r.Downstream, "downstream", false, "also bring up to date every stage that depends on the named ones (forced too with --force)")
	dryRun := fs.Bool("dry-run", false, "print what would run and why; run nothing")
	fs.BoolVar(&r.Wait, "wait", false, "if another run is using the outdir, wait for it to finish instead of failing")
	targets, err := parse(fs, args)
	if err != nil {
		return err
	}
	if r.Jobs < 1 {
		return usageError(fmt.Sprintf("-j %d: want at least 1", r.Jobs))
	}
	p, err := a.load(&cf)
	if err != nil {
		return err
	}
	if err := checkStages(p, targets); err != nil {
		return err
	}
	r.Pipeline = p
	if *dryRun {
		return a.dryRun(r, targets)
	}
	tty, width := a.isTerminal(a.stdout)
	d := newDisplay(a.stdout, tty, width, time.Now)
	r.Observer = d
	t0 := time.Now()
	results, err := r.Run(a.ctx, targets)
	d.close()
	a.summary(results, time.Since(t0))
	if busy := (*pipeline.BusyError)(nil); errors.As(err, &busy) {
		return fmt.Errorf("%w; wait for it to finish, or run with --wait", err)
	}
	return err
}

func (a *app) dryRun(r *pipeline.Runner, targets []string) error {
	steps, err := r.Plan(targets)
	if err != nil {
		return err
	}
	n := 0
	for _, s := range steps {
		if s.Run {
			n++
			fmt.Fprintf(a.stdout, "would run  %s: %s\n", s.Stage.Name, strings.Join(s.Reasons, "; "))
		} else {
			fmt.Fprintf(a.stdout, "fresh      %s\n", s.Stage.Name)
		}
	}
	fmt.Fprintf(a.stdout, "%d of %d stages would run\n", n, len(steps))
	return nil
}

// summary prints one line counting the outcomes of a run.
func (a *app) summary(results []pipeline.Result, d time.Duration) {
	count := map[pipeline.Outcome]int{}
	for _, r := range results {
		count[r.Outcome]++
	}
	var parts []string
	for _, o := range []pipeline.Outcome{pipeline.Ran, pipeline.Fresh, pipeline.Failed, pipeline.Canceled, pipeline.Blocked, pipeline.NotRun} {
		if count[o] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", count[o], o))
		}
	}
	if len(parts) == 0 {
		return
	}
	fmt.Fprintf(a.stdout, "%s in %s\n", strings.Join(parts, ", "), d.Round(time.Millisecond))
}
