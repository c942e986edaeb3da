package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"
)

// stage runs one stage once its deps are done: it waits for a job slot,
// skips the stage if fresh, and otherwise runs and commits it.
func (ex *execution) stage(ctx context.Context, sem chan struct{}, s *Stage) Result {
	select {
	case sem <- struct{}{}:
		defer func() { <-sem }()
	case <-ctx.Done():
		return Result{Stage: s, Outcome: NotRun}
	}
	if ctx.Err() != nil {
		return Result{Stage: s, Outcome: NotRun}
	}
	fail := func(err error, d time.Duration) Result {
		err = &StageError{Stage: s.Name, Err: err}
		if ctx.Err() != nil {
			ex.obs.Observe(Event{Type: EventCancel, Stage: s.Name, Time: time.Now(), Err: err, Duration: d})
			return Result{Stage: s, Outcome: Canceled, Duration: d, Err: err}
		}
		ex.obs.Observe(Event{Type: EventFail, Stage: s.Name, Time: time.Now(), Err: err, Duration: d})
		return Result{Stage: s, Outcome: Failed, Duration: d, Err: err}
	}
	fp, err := ex.check.check(s, nil)
	if err != nil {
		return fail(err, 0)
	}
	reasons := fp.reasons
	if ex.forced[s] {
		reasons = append([]string{"forced"}, reasons...)
	}
	if len(reasons) == 0 {
		ex.obs.Observe(Event{Type: EventSkip, Stage: s.Name, Time: time.Now()})
		return Result{Stage: s, Outcome: Fresh}
	}
	t0 := time.Now()
	ex.obs.Observe(Event{Type: EventStart, Stage: s.Name, Time: t0, Reasons: reasons})
	if err := ex.exec(ctx, s, fp, t0); err != nil {
		return fail(err, time.Since(t0))
	}
	d := time.Since(t0)
	ex.obs.Observe(Event{Type: EventDone, Stage: s.Name, Time: time.Now(), Duration: d})
	return Result{Stage: s, Outcome: Ran, Duration: d}
}

// exec runs s into a temporary directory, then hashes its outputs, renames
// them into place and records the lock entry, in that order.
func (ex *execution) exec(ctx context.Context, s *Stage, fp *fingerprint, t0 time.Time) error {
	if err := os.MkdirAll(ex.tmpRoot, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(ex.tmpRoot, s.Name+"-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	env := &Env{
		Stage:    s.Name,
		params:   s.Params,
		Inputs:   make(map[string]string, len(s.Inputs)),
		Outputs:  make(map[string]string, len(s.Outputs)),
		Reporter: stageReporter{ex.obs, s.Name},
	}
	for _, in := range s.Inputs {
		env.Inputs[in.Key] = in.Path
	}
	for _, o := range s.Outputs {
		// A directory per key keeps the final base name (writers may
		// care about the extension) without clashes between keys.
		dir := filepath.Join(tmp, o.Key)
		if err := os.Mkdir(dir, 0o755); err != nil {
			return err
		}
		env.Outputs[o.Key] = filepath.Join(dir, filepath.Base(o.Path))
	}
	if err := callRun(ctx, s.Kind, env); err != nil {
		return err
	}

	entry := &LockEntry{
		Inputs:      fp.inputs,
		Kind:        s.Kind.Name,
		KindVersion: s.Kind.Version,
		Outputs:     make(map[string]FileHash, len(s.Outputs)),
		Params:      s.Canon,
	}
	for _, o := range s.Outputs {
		tp := env.Outputs[o.Key]
		fi, err := os.Stat(tp)
		if err != nil || !fi.Mode().IsRegular() {
			return fmt.Errorf("did not write output %q", o.Key)
		}
		sum, err := hashFile(tp)
		if err != nil {
			return fmt.Errorf("hash output %q: %w", o.Key, err)
		}
		entry.Outputs[o.Key] = FileHash{Path: o.Rel, SHA256: sum}
	}
	for _, o := range s.Outputs {
		if err := os.MkdirAll(filepath.Dir(o.Path), 0o755); err != nil {
			return err
		}
		if err := os.Rename(env.Outputs[o.Key], o.Path); err != nil {
			return err
		}
		if err := ex.check.hc.record(o.Path, entry.Outputs[o.Key].SHA256); err != nil {
			return err
		}
	}
	entry.Finished = time.Now().UTC()
	entry.DurationMS = entry.Finished.Sub(t0).Milliseconds()
	return ex.lock.set(s.Name, entry)
}

// callRun calls the kind's Run, turning a panic into a *panicError.
func callRun(ctx context.Context, k *Kind, env *Env) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &panicError{Value: v, Stack: debug.Stack()}
		}
	}()
	return k.Run(ctx, env)
}
