package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"hw1pipe/pipeline"
)

// syncBuffer is a bytes.Buffer safe for a writer and a reader at once.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestOneRunPerOutdir: while a run is inside a stage, a second run exits
// 1 at once naming the holder, status, dag and --dry-run work, and run
// --wait waits for it (issue 12, finding 7). The holder is a Run in this
// process: flock locks belong to the open file description, so it
// excludes the second run as another process would (pipeline's
// TestRunLockProcesses checks two processes).
func TestOneRunPerOutdir(t *testing.T) {
	dir := sandbox(t)
	cfg := filepath.Join(dir, "pipeline.yaml")
	inside, release := make(chan struct{}), make(chan struct{})
	holder := &fakes{block: func(ctx context.Context, env *pipeline.Env) error {
		if env.Stage == "split" {
			close(inside)
			<-release
		}
		return nil
	}}
	held := make(chan result, 1)
	go func() { held <- holder.main(context.Background(), "run", "--config", cfg, "-j", "1") }()
	<-inside

	outdir := filepath.Join(dir, "out") + string(filepath.Separator)
	r := (&fakes{}).main(context.Background(), "run", "--config", cfg)
	want := fmt.Sprintf("hw1pipe: another hw1pipe run (pid %d) is using %s; wait for it to finish, or run with --wait\n", os.Getpid(), outdir)
	if r.code != 1 || r.stderr != want {
		t.Errorf("second run: exit %d, stderr %q; want exit 1, %q", r.code, r.stderr, want)
	}
	for _, args := range [][]string{{"status"}, {"dag"}, {"run", "--dry-run"}} {
		if r := (&fakes{}).main(context.Background(), append(args, "--config", cfg)...); r.code != 0 {
			t.Errorf("%s during a run: exit %d: %s", args, r.code, r.stderr)
		}
	}
	if entries, _ := os.ReadDir(filepath.Join(dir, "out/.hw1pipe/tmp")); len(entries) != 1 {
		t.Errorf("the holder's tmp holds %v, want its one stage directory", entries)
	}

	// run --wait says it waits, then finds the holder's work done.
	waiter := &fakes{}
	var out syncBuffer
	waited := make(chan int, 1)
	go func() {
		waited <- Main(context.Background(), []string{"run", "--wait", "--config", cfg}, &out, &out, waiter.kinds())
	}()
	for !strings.Contains(out.String(), "waiting: another hw1pipe run") {
		select {
		case code := <-waited:
			t.Fatalf("run --wait exited %d without waiting:\n%s", code, out.String())
		case <-time.After(time.Millisecond):
		}
	}
	close(release)
	if r := <-held; r.code != 0 {
		t.Fatalf("holder: exit %d: %s", r.code, r.stderr)
	}
	if code := <-waited; code != 0 || !strings.Contains(out.String(), "6 fresh") {
		t.Errorf("run --wait: exit %d:\n%s", code, out.String())
	}
	if runs := waiter.ran(); runs != nil {
		t.Errorf("run --wait ran %v after the holder ran everything", runs)
	}
}
