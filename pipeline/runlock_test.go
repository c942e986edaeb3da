package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// holdYAML: stage a holds the run (through a hook) while b waits on it.
const holdYAML = `stages:
  a:
    kind: src
    outputs: {out: a.txt}
  b:
    kind: cat
    inputs: {in: a.out}
    outputs: {out: b.txt}
`

// waitFile polls for path, failing the test after a minute (a safety net
// for a broken helper, not a timing assertion).
func waitFile(t *testing.T, path string) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(5 * time.Millisecond) {
		if _, err := os.Stat(path); err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never appeared", path)
		}
	}
}

// checkBusy asserts what a second run, status and plan see while another
// run (pid) holds the outdir; the holder is inside stage a.
func checkBusy(t *testing.T, h *harness, pid int) {
	t.Helper()
	h.took()
	r := h.runner()
	_, err := r.Run(context.Background(), nil)
	var busy *BusyError
	if !errors.As(err, &busy) || busy.PID != pid || busy.Outdir != h.path("out") {
		t.Fatalf("second run: %v, want a *BusyError for pid %d", err, pid)
	}
	if want := fmt.Sprintf("another hw1pipe run (pid %d) is using ", pid); !strings.HasPrefix(err.Error(), want) ||
		!strings.HasSuffix(err.Error(), "out"+string(filepath.Separator)) {
		t.Errorf("message %q, want %q and the outdir", err, want)
	}
	if runs, _ := h.took(); runs != nil {
		t.Errorf("the refused run ran %v", runs)
	}
	// Status and a dry run neither wait nor take the lock ...
	if _, err := h.load().Status(nil); err != nil {
		t.Errorf("status during a run: %v", err)
	}
	if _, err := h.runner().Plan(nil); err != nil {
		t.Errorf("plan during a run: %v", err)
	}
	// ... and nothing removed the holder's temporary directory.
	if entries, err := os.ReadDir(h.path("out/.hw1pipe/tmp")); err != nil || len(entries) != 1 || !strings.HasPrefix(entries[0].Name(), "a-") {
		t.Errorf("holder's tmp: %v, %v; want one a-* directory", entries, err)
	}
}

// TestRunLockInProcess: flock locks belong to the open file description,
// so two Runs in one process exclude each other as two processes do.
func TestRunLockInProcess(t *testing.T) {
	h := newHarness(t, holdYAML, nil)
	inside, release := make(chan struct{}), make(chan struct{})
	h.hooks["a"] = func(ctx context.Context, env *Env) error {
		close(inside)
		<-release
		return nil
	}
	first := make(chan error, 1)
	go func() { _, err := h.runner().Run(context.Background(), nil); first <- err }()
	<-inside
	checkBusy(t, h, os.Getpid())

	// With Wait, a run waits (reporting it once) and then finds the
	// holder's work done.
	waiter := h.runner()
	waiter.Wait = true
	waiting := make(chan *BusyError, 10)
	waiter.Observer = ObserverFunc(func(e Event) {
		if e.Type == EventWait {
			waiting <- e.Err.(*BusyError)
		}
	})
	second := make(chan []Result, 1)
	go func() {
		res, err := waiter.Run(context.Background(), nil)
		if err != nil {
			t.Errorf("waiting run: %v", err)
		}
		second <- res
	}()
	if busy := <-waiting; busy.PID != os.Getpid() {
		t.Errorf("waited on pid %d", busy.PID)
	}
	close(release)
	if err := <-first; err != nil {
		t.Fatalf("first run: %v", err)
	}
	for _, r := range <-second {
		if r.Outcome != Fresh {
			t.Errorf("after waiting, %s %s; want fresh (the first run did it)", r.Stage.Name, r.Outcome)
		}
	}
	if len(waiting) != 0 {
		t.Errorf("%d more wait events, want one in all", len(waiting))
	}

	// A waiting run gives up when its context ends.
	inside = make(chan struct{})
	h.hooks["a"] = func(ctx context.Context, env *Env) error {
		close(inside)
		<-ctx.Done()
		return ctx.Err()
	}
	hctx, hcancel := context.WithCancel(context.Background())
	holder := h.runner()
	holder.Force = true
	go func() { holder.Run(hctx, []string{"a"}); first <- nil }()
	<-inside
	w := h.runner()
	w.Wait = true
	wctx, wcancel := context.WithCancel(context.Background())
	w.Observer = ObserverFunc(func(e Event) {
		if e.Type == EventWait {
			wcancel()
		}
	})
	if _, err := w.Run(wctx, nil); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled wait: %v", err)
	}
	hcancel()
	<-first
}

// TestRunLockProcesses holds the lock in a child process (this test
// binary, rerun as lockHelper) and checks what this process then sees; it
// then kills a holder with SIGKILL and checks that the lock went with it.
func TestRunLockProcesses(t *testing.T) {
	if os.Getenv("HW1PIPE_LOCK_HELPER") != "" {
		t.Skip("helper mode")
	}
	h := newHarness(t, holdYAML, nil)
	var out bytes.Buffer
	defer func() {
		if t.Failed() {
			t.Logf("helper output:\n%s", out.Bytes())
		}
	}()
	start := func() *exec.Cmd {
		os.Remove(h.path("ready"))
		cmd := exec.Command(os.Args[0], "-test.run=^TestRunLockHelper$")
		cmd.Env = append(os.Environ(), "HW1PIPE_LOCK_HELPER="+h.dir)
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		waitFile(t, h.path("ready"))
		return cmd
	}

	child := start()
	checkBusy(t, h, child.Process.Pid)
	h.write("release", "")
	if err := child.Wait(); err != nil {
		t.Fatalf("holder: %v", err)
	}
	// The holder ran only a, which its lock entry now records.
	for _, r := range h.mustRun(h.runner()) {
		if want := map[string]Outcome{"a": Fresh, "b": Ran}[r.Stage.Name]; r.Outcome != want {
			t.Errorf("after the holder: %s %s, want %s", r.Stage.Name, r.Outcome, want)
		}
	}

	os.Remove(h.path("release"))
	h.write("data/force", "") // makes the helper force stage a
	child = start()
	child.Process.Kill()
	child.Wait()
	// The holder died inside stage a: its lock is gone, its temporary
	// directory is left for the next run to clean.
	if entries, _ := os.ReadDir(h.path("out/.hw1pipe/tmp")); len(entries) != 1 {
		t.Errorf("killed holder left %v in tmp", entries)
	}
	h.mustRun(h.runner())
	if _, err := os.Stat(h.path("out/.hw1pipe/tmp")); !os.IsNotExist(err) {
		t.Errorf("tmp after the next run: %v", err)
	}
}

// TestRunLockHelper is TestRunLockProcesses's child: it runs the pipeline
// in HW1PIPE_LOCK_HELPER and, inside stage a, writes "ready" and waits for
// "release".
func TestRunLockHelper(t *testing.T) {
	dir := os.Getenv("HW1PIPE_LOCK_HELPER")
	if dir == "" {
		t.Skip("only run by TestRunLockProcesses")
	}
	h := &harness{t: t, dir: dir, hooks: map[string]func(context.Context, *Env) error{},
		starts: map[string]time.Time{}, ends: map[string]time.Time{}, versions: map[string]string{}}
	h.hooks["a"] = func(ctx context.Context, env *Env) error {
		h.write("ready", "")
		waitFile(t, h.path("release"))
		return nil
	}
	r := h.runner()
	r.Force = h.exists("data/force")
	if _, err := r.Run(context.Background(), []string{"a"}); err != nil {
		t.Fatal(err)
	}
}

// TestHold: a reader holding the outdir (hw1pipe submit) keeps a run out,
// and a run keeps the reader out, both with a *BusyError.
func TestHold(t *testing.T) {
	h := newHarness(t, holdYAML, nil)
	p := h.load()
	release, err := p.Hold(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var busy *BusyError
	if _, err := h.runner().Run(context.Background(), nil); !errors.As(err, &busy) || busy.PID != os.Getpid() {
		t.Fatalf("run while held: %v, want a *BusyError for this process", err)
	}
	if _, err := h.load().Hold(context.Background()); !errors.As(err, &busy) {
		t.Fatalf("second hold: %v, want a *BusyError", err)
	}
	release()
	if _, err := h.runner().Run(context.Background(), nil); err != nil {
		t.Fatalf("run after release: %v", err)
	}

	inside, done := make(chan struct{}), make(chan struct{})
	h.hooks["a"] = func(ctx context.Context, env *Env) error {
		close(inside)
		<-done
		return nil
	}
	errc := make(chan error, 1)
	go func() {
		r := h.runner()
		r.Force = true
		_, err := r.Run(context.Background(), nil)
		errc <- err
	}()
	<-inside
	if _, err := h.load().Hold(context.Background()); !errors.As(err, &busy) || busy.PID != os.Getpid() {
		t.Errorf("hold during a run: %v, want a *BusyError", err)
	}
	close(done)
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
}
