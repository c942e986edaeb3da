package pipeline

import "fmt"

// StageStatus is a stage's freshness as `hw1pipe status` reports it.
type StageStatus struct {
	Stage *Stage
	// Fresh means the stage would be skipped; otherwise Reasons says why
	// not ("never run", "input images changed", "param C changed (1 -> 10)",
	// "kind version changed (1 -> 2)", "output model missing",
	// "upstream mnist is stale", ...).
	Fresh   bool
	Reasons []string
	// Entry is the stage's last successful run; nil if none.
	Entry *LockEntry
}

// Status reports every stage's freshness in topological order. It reads
// no file whose size, mtime, ctime and inode match the hash cache hc. A
// nil hc means p's own cache, which Status then saves. It takes no lock,
// so it may run while a Run is going on.
func (p *Pipeline) Status(hc *HashCache) ([]StageStatus, error) {
	steps, lock, err := p.plan(hc, p.order, nil, "is stale")
	if err != nil {
		return nil, err
	}
	out := make([]StageStatus, len(steps))
	for i, st := range steps {
		out[i] = StageStatus{Stage: st.Stage, Fresh: !st.Run, Reasons: st.Reasons, Entry: lock.entry(st.Stage.Name)}
	}
	return out, nil
}

// Step is one stage of a plan: whether it would run and why.
type Step struct {
	Stage   *Stage
	Run     bool
	Reasons []string
}

// Plan returns what Run(ctx, targets) would do, in topological order,
// without running or writing anything but the hash cache. A stage below
// one that will run is listed as running ("upstream X will run"); at run
// time it is skipped if its inputs turn out unchanged.
func (r *Runner) Plan(targets []string) ([]Step, error) {
	sel, forced, err := r.selection(targets)
	if err != nil {
		return nil, err
	}
	steps, _, err := r.Pipeline.plan(r.Cache, sel, forced, "will run")
	return steps, err
}

func (p *Pipeline) plan(hc *HashCache, sel []*Stage, forced map[*Stage]bool, upstreamWord string) (steps []Step, lf *lockFile, err error) {
	lf, err = readLock(p.lockPath())
	if err != nil {
		return nil, nil, err
	}
	if hc == nil {
		hc = p.OpenHashCache()
		defer func() {
			if serr := hc.Save(); err == nil && serr != nil {
				err = serr
			}
		}()
	}
	c := &checker{lock: lf, hc: hc}
	pending := map[*Stage]bool{}
	for _, s := range sel {
		fp, err := c.check(s, pending)
		if err != nil {
			return nil, nil, &StageError{Stage: s.Name, Err: err}
		}
		var reasons []string
		if forced[s] {
			reasons = append(reasons, "forced")
		}
		reasons = append(reasons, fp.reasons...)
		for _, d := range s.Deps {
			if pending[d] {
				reasons = append(reasons, fmt.Sprintf("upstream %s %s", d.Name, upstreamWord))
			}
		}
		pending[s] = len(reasons) > 0
		steps = append(steps, Step{Stage: s, Run: pending[s], Reasons: reasons})
	}
	return steps, lf, nil
}
