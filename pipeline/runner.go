package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"time"
)

// Runner brings stages of a Pipeline up to date. Set its fields before
// calling Plan or Run; a Runner may be reused but not by two calls at once.
type Runner struct {
	// Pipeline is the loaded pipeline. Required.
	Pipeline *Pipeline
	// Jobs caps the stages running at once; zero or negative means
	// runtime.NumCPU().
	Jobs int
	// KeepGoing, when a stage fails, lets every stage that does not
	// depend on it finish instead of cancelling the run.
	KeepGoing bool
	// Force reruns the target stages even when they are fresh.
	Force bool
	// Downstream adds every stage that reads from the targets, directly
	// or not; with Force they are forced too.
	Downstream bool
	// Observer receives events; nil discards them.
	Observer Observer
	// Cache is the hash cache; nil means the pipeline's own
	// (<outdir>/.hw1pipe/hashcache.json), saved when Run returns.
	Cache *HashCache
	// Wait, when another run holds the outdir's run lock, makes Run wait
	// for it to finish (reporting an EventWait) instead of returning a
	// *BusyError at once.
	Wait bool
}

// Outcome is what happened to one stage in a Run.
type Outcome int

// Outcomes of a stage in a Run.
const (
	// NotRun: the run ended before the stage was considered.
	NotRun Outcome = iota
	Ran
	Fresh
	Failed
	Canceled
	Blocked
)

var outcomeNames = [...]string{"not run", "ran", "fresh", "failed", "canceled", "blocked"}

func (o Outcome) String() string { return outcomeNames[o] }

// Result is one stage's outcome in a Run.
type Result struct {
	Stage    *Stage
	Outcome  Outcome
	Duration time.Duration
	Err      error
}

// selection returns the stages a run over targets considers, in
// topological order, and those that are forced.
func (r *Runner) selection(targets []string) ([]*Stage, map[*Stage]bool, error) {
	p := r.Pipeline
	if len(targets) == 0 {
		for _, s := range p.Stages {
			targets = append(targets, s.Name)
		}
	}
	named, err := p.lookup(targets)
	if err != nil {
		return nil, nil, err
	}
	if r.Downstream {
		down, _ := p.Downstream(targets...)
		for _, s := range down {
			named[s] = true
		}
	}
	var names []string
	for s := range named {
		names = append(names, s.Name)
	}
	sel, err := p.Upstream(names...)
	if err != nil {
		return nil, nil, err
	}
	forced := map[*Stage]bool{}
	if r.Force {
		forced = named
	}
	return sel, forced, nil
}

// Run brings the target stages (all when targets is empty) and the stages
// they read from up to date, running independent stages in parallel.
//
// It returns one Result per considered stage, in topological order, and
// an error joining a *StageError for each failed stage, plus ctx's error
// if ctx was cancelled. A failed or cancelled stage leaves none of its
// new outputs behind, its lock entry untouched, and its downstream unrun.
// Unless KeepGoing, the first failure cancels the stages still running.
//
// Run holds the outdir's run lock throughout; while another run holds it,
// Run returns a *BusyError, or waits if r.Wait. Status and Plan take no
// lock and may be called at any time.
func (r *Runner) Run(ctx context.Context, targets []string) (results []Result, err error) {
	p := r.Pipeline
	sel, forced, err := r.selection(targets)
	if err != nil {
		return nil, err
	}
	obs := r.Observer
	if obs == nil {
		obs = ObserverFunc(func(Event) {})
	}
	rl, err := p.lockRun(ctx, r.Wait, func(busy *BusyError) {
		obs.Observe(Event{Type: EventWait, Time: time.Now(), Err: busy})
	})
	if err != nil {
		return nil, err
	}
	// Deferred first, so released last: after the cache is saved and the
	// temporary directory removed.
	defer rl.release()
	// Read after locking, so that a run that waited sees what the other
	// run recorded.
	lf, err := readLock(p.lockPath())
	if err != nil {
		return nil, err
	}
	hc := r.Cache
	if hc == nil {
		hc = p.OpenHashCache()
	}
	defer func() {
		if serr := hc.Save(); serr != nil {
			err = errors.Join(err, serr)
		}
	}()
	tmpRoot := filepath.Join(p.StateDir(), "tmp")
	// Leftovers of a killed run: nothing refers to them, and only the
	// run lock's holder gets here.
	if err := os.RemoveAll(tmpRoot); err != nil {
		return nil, fmt.Errorf("pipeline: clean %s: %w", tmpRoot, err)
	}
	defer os.RemoveAll(tmpRoot)

	ex := &execution{
		r:       r,
		check:   &checker{lock: lf, hc: hc},
		lock:    lf,
		tmpRoot: tmpRoot,
		forced:  forced,
		obs:     obs,
	}
	return ex.run(ctx, sel)
}

// execution is the state of one Run.
type execution struct {
	r       *Runner
	check   *checker
	lock    *lockFile
	tmpRoot string
	forced  map[*Stage]bool
	obs     Observer
}

type done struct {
	s   *Stage
	res Result
}

func (ex *execution) run(parent context.Context, sel []*Stage) ([]Result, error) {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()

	jobs := ex.r.Jobs
	if jobs <= 0 {
		jobs = runtime.NumCPU()
	}
	sem := make(chan struct{}, jobs)
	results := make(chan done)
	inSel := map[*Stage]bool{}
	for _, s := range sel {
		inSel[s] = true
	}
	waiting := map[*Stage]int{} // unfinished deps
	for _, s := range sel {
		waiting[s] = len(s.Deps)
	}
	dependents := ex.r.Pipeline.dependents()
	outcome := map[*Stage]Result{}
	running := 0

	start := func(s *Stage) {
		running++
		go func() {
			results <- done{s, ex.stage(ctx, sem, s)}
		}()
	}
	// settle records s's result and starts or blocks the stages that
	// were waiting only for it.
	var settle func(s *Stage, res Result)
	settle = func(s *Stage, res Result) {
		outcome[s] = res
		if res.Outcome == Failed && !ex.r.KeepGoing {
			cancel()
		}
		for _, d := range dependents[s] {
			if !inSel[d] {
				continue
			}
			if waiting[d]--; waiting[d] > 0 {
				continue
			}
			var bad *Stage
			for _, dep := range d.Deps {
				if o := outcome[dep].Outcome; o != Ran && o != Fresh {
					bad = dep
					break
				}
			}
			switch {
			case ctx.Err() != nil:
				settle(d, Result{Stage: d, Outcome: NotRun})
			case bad != nil:
				ex.obs.Observe(Event{Type: EventBlocked, Stage: d.Name, Time: time.Now(), Upstream: bad.Name})
				settle(d, Result{Stage: d, Outcome: Blocked, Err: fmt.Errorf("upstream %s %s", bad.Name, outcome[bad].Outcome)})
			default:
				start(d)
			}
		}
	}
	for _, s := range sel {
		if waiting[s] == 0 {
			start(s)
		}
	}
	for running > 0 {
		d := <-results
		running--
		settle(d.s, d.res)
	}

	var errs []error
	all := make([]Result, len(sel))
	for i, s := range sel {
		res := outcome[s]
		res.Stage = s
		all[i] = res
		if res.Outcome == Failed {
			errs = append(errs, res.Err)
		}
	}
	if err := parent.Err(); err != nil {
		errs = append(errs, fmt.Errorf("pipeline: run interrupted: %w", context.Cause(parent)))
	}
	return all, errors.Join(errs...)
}
