package pipeline

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// runLockName is the file in the state dir whose exclusive advisory lock
// (flock) a Run holds from start to end, so that two runs never share an
// outdir: each would delete the other's temporary outputs. The file holds
// the holder's pid, for messages only; it is left in place, as removing a
// lock file lets a third process lock a new file while the old one is
// still held. The kernel drops the lock when its holder exits, however it
// exits, so a killed run never leaves the outdir locked.
const runLockName = "run.lock"

// lockPollEvery is how often a waiting Run retries the lock.
const lockPollEvery = 200 * time.Millisecond

// BusyError is Run's error when another run (another process, or another
// Run in this one) holds the outdir's run lock.
type BusyError struct {
	// Outdir is the absolute output directory.
	Outdir string
	// PID is the holder's process id; 0 when unknown.
	PID int
}

// Error names the holder and the outdir, relative to the working
// directory when inside it.
func (e *BusyError) Error() string {
	dir := e.Outdir
	if wd, err := os.Getwd(); err == nil {
		if rel, err := filepath.Rel(wd, dir); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			dir = rel
		}
	}
	dir = strings.TrimSuffix(dir, string(filepath.Separator)) + string(filepath.Separator)
	if e.PID > 0 {
		return fmt.Sprintf("another hw1pipe run (pid %d) is using %s", e.PID, dir)
	}
	return fmt.Sprintf("another hw1pipe run is using %s", dir)
}

// runLock is a held run lock.
type runLock struct{ f *os.File }

// lockRun takes p's run lock. When another holds it, lockRun returns a
// *BusyError at once, or, with wait, reports that error to waiting and
// retries until the lock is free or ctx is done.
func (p *Pipeline) lockRun(ctx context.Context, wait bool, waiting func(*BusyError)) (*runLock, error) {
	if err := os.MkdirAll(p.StateDir(), 0o755); err != nil {
		return nil, fmt.Errorf("pipeline: %w", err)
	}
	path := filepath.Join(p.StateDir(), runLockName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("pipeline: open run lock: %w", err)
	}
	for reported := false; ; {
		got, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("pipeline: lock %s: %w", path, err)
		}
		if got {
			break
		}
		busy := &BusyError{Outdir: p.Outdir, PID: lockHolder(path)}
		if !wait {
			f.Close()
			return nil, busy
		}
		if !reported && waiting != nil {
			waiting(busy)
		}
		reported = true
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("pipeline: waiting for the run lock: %w", context.Cause(ctx))
		case <-time.After(lockPollEvery):
		}
	}
	// The pid is only for the message of a run that finds the lock held.
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return &runLock{f}, nil
}

// release clears the pid and drops the lock (closing the file does).
func (l *runLock) release() {
	l.f.Truncate(0)
	l.f.Close()
}

// lockHolder reads the pid the holder wrote; 0 if there is none yet (the
// holder writes it just after locking) or it is unreadable.
func lockHolder(path string) int {
	b, err := os.ReadFile(path)
	if err != nil || len(b) > 32 {
		return 0
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
	if err != nil || pid <= 0 {
		return 0
	}
	return pid
}

// Hold takes p's run lock for a reader of the outputs that must not see a
// run rename files under it (hw1pipe submit). It never waits: when a run
// holds the lock it returns a *BusyError. The caller calls release when
// done.
func (p *Pipeline) Hold(ctx context.Context) (release func(), err error) {
	l, err := p.lockRun(ctx, false, nil)
	if err != nil {
		return nil, err
	}
	return l.release, nil
}
