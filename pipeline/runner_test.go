package pipeline

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestStaleness(t *testing.T) {
	all := []string{"a", "b", "c", "d", "e"}
	tests := []struct {
		name string
		// change edits the world after a first full run; it may return
		// --set overrides for the second run.
		change func(h *harness) []string
		// version overrides kind versions for the second run.
		version map[string]string
		runs    []string
		// hashed lists the only files whose content the second run's
		// fingerprinting reads (outputs just written are not re-read).
		hashed []string
		// reasons are the status reasons after the change, by stage.
		reasons map[string]string
	}{
		{
			name:   "nothing changed",
			change: func(h *harness) []string { return nil },
		},
		{
			name:    "input content changed",
			change:  func(h *harness) []string { h.write("data/raw.txt", "new raw\n"); return nil },
			runs:    []string{"a", "b", "c", "d"},
			hashed:  []string{"data/raw.txt"},
			reasons: map[string]string{"a": "input raw changed", "b": "upstream a is stale", "d": "upstream b is stale; upstream c is stale"},
		},
		{
			name:    "input rewritten with the same content",
			change:  func(h *harness) []string { h.write("data/raw.txt", "raw\n"); return nil },
			hashed:  []string{"data/raw.txt"},
			reasons: map[string]string{},
		},
		{
			name:   "touched input",
			change: func(h *harness) []string { h.touch("data/raw.txt"); return nil },
			// Its mtime changed, so it is read once to learn that its
			// content did not; nothing else is read.
			hashed: []string{"data/raw.txt"},
		},
		{
			name:    "param of one stage",
			change:  func(h *harness) []string { return []string{"c.value=C"} },
			runs:    []string{"c", "d"},
			reasons: map[string]string{"c": `param value changed ("c" -> "C")`, "d": "upstream c is stale"},
		},
		{
			name:    "param default overridden",
			change:  func(h *harness) []string { return []string{"b.rate=0.25"} },
			runs:    []string{"b", "d"},
			reasons: map[string]string{"b": "param rate changed (0.5 -> 0.25)"},
		},
		{
			name:    "global param",
			change:  func(h *harness) []string { return []string{"e.seed=2"} },
			runs:    []string{"e"},
			reasons: map[string]string{"e": "param seed changed (1 -> 2)"},
		},
		{
			name:    "kind version",
			version: map[string]string{"cat": "2"},
			change:  func(h *harness) []string { return nil },
			runs:    []string{"b", "c", "d"},
			reasons: map[string]string{"b": "kind version changed (1 -> 2)", "d": "kind version changed (1 -> 2); upstream b is stale; upstream c is stale"},
		},
		{
			name: "deleted output",
			change: func(h *harness) []string {
				if err := os.Remove(h.path("out/b.txt")); err != nil {
					h.t.Fatal(err)
				}
				return nil
			},
			// b writes the same bytes again, so d stays fresh.
			runs:    []string{"b"},
			reasons: map[string]string{"b": "output out missing", "d": "upstream b is stale"},
		},
		{
			// Issue 12, finding 4: only the ctime tells these edits.
			name: "input edited, same size, mtime put back",
			change: func(h *harness) []string {
				if err := editKeepTimes(h.path("data/raw.txt"), "RAW\n"); err != nil {
					h.t.Fatal(err)
				}
				return nil
			},
			runs:    []string{"a", "b", "c", "d"},
			hashed:  []string{"data/raw.txt"},
			reasons: map[string]string{"a": "input raw changed"},
		},
		{
			name: "output edited, same size, mtime put back",
			change: func(h *harness) []string {
				if err := editKeepTimes(h.path("out/c.txt"), strings.ToUpper(h.read("out/c.txt"))); err != nil {
					h.t.Fatal(err)
				}
				return nil
			},
			runs:    []string{"c"},
			hashed:  []string{"out/c.txt"},
			reasons: map[string]string{"c": "output out modified"},
		},
		{
			name:    "edited output",
			change:  func(h *harness) []string { h.write("out/c.txt", "edited"); return nil },
			runs:    []string{"c"},
			hashed:  []string{"out/c.txt"},
			reasons: map[string]string{"c": "output out modified"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, diamondYAML, diamondFiles)
			h.mustRun(h.runner())
			if runs, _ := h.took(); !reflect.DeepEqual(runs, all) {
				t.Fatalf("first run ran %v, want %v", runs, all)
			}
			sets := tt.change(h)
			h.versions = tt.version

			p := h.load(sets...)
			st, err := p.Status(h.cache(p))
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range st {
				want, ok := tt.reasons[s.Stage.Name]
				if got := strings.Join(s.Reasons, "; "); ok && got != want {
					t.Errorf("status %s: reasons %q, want %q", s.Stage.Name, got, want)
				}
			}
			_, _ = h.took()

			h.mustRun(h.runner(sets...))
			runs, hashed := h.took()
			if !reflect.DeepEqual(runs, tt.runs) {
				t.Errorf("second run ran %v, want %v", runs, tt.runs)
			}
			if !reflect.DeepEqual(hashed, tt.hashed) {
				t.Errorf("second run hashed %v, want %v", hashed, tt.hashed)
			}

			// Whatever happened, everything is fresh now and a status
			// reads no file.
			p = h.load(sets...)
			st, err = p.Status(h.cache(p))
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range st {
				if !s.Fresh {
					t.Errorf("after rerun %s is stale: %v", s.Stage.Name, s.Reasons)
				}
			}
			if _, hashed := h.took(); hashed != nil {
				t.Errorf("no-op status hashed %v", hashed)
			}
		})
	}
}

func TestStatusNeverRun(t *testing.T) {
	h := newHarness(t, diamondYAML, diamondFiles)
	p := h.load()
	st, err := p.Status(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range st {
		if s.Fresh || s.Reasons[0] != "never run" {
			t.Errorf("%s: fresh=%v reasons=%v, want stale because never run", s.Stage.Name, s.Fresh, s.Reasons)
		}
	}
	if h.exists("out/a/out.txt") {
		t.Error("status wrote an output")
	}
}

func TestUnreadableInputIsAnError(t *testing.T) {
	h := newHarness(t, diamondYAML, diamondFiles)
	r := h.runner()
	h.mustRun(r)
	// Replace the input with a directory: it exists but cannot be hashed.
	os.Remove(h.path("data/raw.txt"))
	os.Mkdir(h.path("data/raw.txt"), 0o755)
	_, err := r.Run(context.Background(), nil)
	var se *StageError
	if !errors.As(err, &se) || se.Stage != "a" || !strings.Contains(err.Error(), `hash input "raw"`) {
		t.Fatalf("err = %v, want a StageError for a about hashing raw", err)
	}
	if _, err := r.Plan(nil); err == nil {
		t.Error("Plan: no error for an unhashable input")
	}
}

func TestTargetsForceDownstream(t *testing.T) {
	tests := []struct {
		name       string
		targets    []string
		force      bool
		downstream bool
		sets       []string
		runs       []string
		plan       string
	}{
		{name: "fresh target", targets: []string{"d"}, plan: "a skip; b skip; c skip; d skip"},
		{name: "force one", targets: []string{"b"}, force: true, runs: []string{"b"}, plan: "a skip; b run (forced)"},
		{
			name: "force downstream", targets: []string{"b"}, force: true, downstream: true,
			runs: []string{"b", "d"}, plan: "a skip; b run (forced); c skip; d run (forced, upstream b will run)",
		},
		{
			name: "downstream without force", targets: []string{"c"}, downstream: true, sets: []string{"c.value=x"},
			runs: []string{"c", "d"}, plan: `a skip; b skip; c run (param value changed ("c" -> "x")); d run (upstream c will run)`,
		},
		{
			name: "target only pulls upstream", targets: []string{"c"}, sets: []string{"a.value=x"},
			runs: []string{"a", "c"}, plan: `a run (param value changed ("a" -> "x")); c run (upstream a will run)`,
		},
		{name: "force all", force: true, runs: []string{"a", "b", "c", "d", "e"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, diamondYAML, diamondFiles)
			h.mustRun(h.runner())
			h.took()
			r := h.runner(tt.sets...)
			r.Force, r.Downstream = tt.force, tt.downstream
			steps, err := r.Plan(tt.targets)
			if err != nil {
				t.Fatal(err)
			}
			if tt.plan != "" {
				var parts []string
				for _, s := range steps {
					p := s.Stage.Name + " skip"
					if s.Run {
						p = fmt.Sprintf("%s run (%s)", s.Stage.Name, strings.Join(s.Reasons, ", "))
					}
					parts = append(parts, p)
				}
				if got := strings.Join(parts, "; "); got != tt.plan {
					t.Errorf("plan:\n got %s\nwant %s", got, tt.plan)
				}
			}
			if runs, _ := h.took(); runs != nil {
				t.Fatalf("Plan ran %v", runs)
			}
			h.mustRun(r, tt.targets...)
			if runs, _ := h.took(); !reflect.DeepEqual(runs, tt.runs) {
				t.Errorf("ran %v, want %v", runs, tt.runs)
			}
		})
	}
}

func TestUnknownTarget(t *testing.T) {
	h := newHarness(t, diamondYAML, diamondFiles)
	if _, err := h.runner().Run(context.Background(), []string{"zz"}); err == nil || !strings.Contains(err.Error(), `no stage "zz"`) {
		t.Errorf("err = %v", err)
	}
}

func TestLockFile(t *testing.T) {
	h := newHarness(t, diamondYAML, diamondFiles)
	h.mustRun(h.runner())
	p := h.load()
	lock, err := p.ReadLock()
	if err != nil {
		t.Fatal(err)
	}
	e := lock.Stages["d"]
	if e == nil || e.Kind != "cat" || e.KindVersion != "1" || e.Inputs["in"].Path != "b.out" ||
		e.Outputs["out"].Path != "d.txt" || string(e.Params["seed"]) != "1" || e.Finished.IsZero() {
		t.Fatalf("lock entry for d = %+v", e)
	}
	sum, err := hashFile(h.path("out/d.txt"))
	if err != nil || sum != e.Outputs["out"].SHA256 {
		t.Errorf("lock output hash %s, file hash %s (%v)", e.Outputs["out"].SHA256, sum, err)
	}
	// Keys are sorted at every level.
	raw := h.read("out/.hw1pipe/lock.json")
	if strings.Index(raw, `"stages"`) > strings.Index(raw, `"version"`) ||
		strings.Index(raw, `"duration_ms"`) > strings.Index(raw, `"finished"`) ||
		strings.Index(raw, `"a"`) > strings.Index(raw, `"b"`) {
		t.Errorf("lock keys not sorted:\n%s", raw)
	}
	if entries, _ := os.ReadDir(h.path("out/.hw1pipe")); len(entries) != 3 {
		t.Errorf(".hw1pipe holds %v, want hashcache.json, lock.json and run.lock only", entries)
	}
	if b := h.read("out/.hw1pipe/run.lock"); b != "" {
		t.Errorf("run.lock holds %q after the run, want it empty", b)
	}
}

// TestParallel checks that two independent stages run at the same time:
// each waits at a barrier until the other has started.
func TestParallel(t *testing.T) {
	tests := []struct {
		jobs    int
		overlap bool
	}{{jobs: 2, overlap: true}, {jobs: 1, overlap: false}}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("j%d", tt.jobs), func(t *testing.T) {
			h := newHarness(t, diamondYAML, diamondFiles)
			var arrived sync.WaitGroup
			arrived.Add(2)
			both := make(chan struct{})
			go func() { arrived.Wait(); close(both) }()
			var mu sync.Mutex
			running, maxRunning := 0, 0
			hook := func(ctx context.Context, env *Env) error {
				mu.Lock()
				running++
				maxRunning = max(maxRunning, running)
				mu.Unlock()
				defer func() { mu.Lock(); running--; mu.Unlock() }()
				arrived.Done()
				if tt.overlap {
					select {
					case <-both:
					case <-time.After(time.Minute):
						return errors.New("the other stage never started: not parallel")
					}
				}
				return nil
			}
			h.hooks["a"], h.hooks["e"] = hook, hook
			r := h.runner()
			r.Jobs = tt.jobs
			h.mustRun(r, "a", "e")
			if tt.overlap {
				if !(h.starts["a"].Before(h.ends["e"]) && h.starts["e"].Before(h.ends["a"])) {
					t.Errorf("a [%v, %v] and e [%v, %v] do not overlap", h.starts["a"], h.ends["a"], h.starts["e"], h.ends["e"])
				}
			}
			if want := tt.jobs; maxRunning != want {
				t.Errorf("at most %d stages ran at once, want %d", maxRunning, want)
			}
		})
	}
}

// failingYAML: a feeds b feeds c; e is independent.
const failingYAML = `outdir: out
stages:
  a:
    kind: src
    outputs: {out: a.txt}
  b:
    kind: pair
    inputs: {in: a.out}
    outputs: {a: b/a.txt, b: b/b.txt}
  c:
    kind: cat
    inputs: {in: b.a}
    outputs: {out: c.txt}
  e:
    kind: src
    outputs: {out: e.txt}
`

// partialFailure writes one of b's outputs, then fails.
func partialFailure(ctx context.Context, env *Env) error {
	os.WriteFile(env.Output("a"), []byte("partial"), 0o644)
	return errors.New("boom")
}

func TestFailure(t *testing.T) {
	failed := make(chan struct{})
	tests := []struct {
		name      string
		keepGoing bool
		prior     bool // a successful run before the failing one
		hookB     func(ctx context.Context, env *Env) error
		hookE     func(ctx context.Context, env *Env) error
		outcomes  map[string]Outcome
		errText   string
	}{
		{
			name:  "first failure cancels the rest",
			hookB: partialFailure,
			hookE: func(ctx context.Context, env *Env) error {
				<-ctx.Done()
				return ctx.Err()
			},
			outcomes: map[string]Outcome{"a": Ran, "b": Failed, "c": NotRun, "e": Canceled},
			errText:  `stage "b": boom`,
		},
		{
			name:      "keep going finishes independent branches",
			keepGoing: true,
			hookB:     partialFailure,
			hookE: func(ctx context.Context, env *Env) error {
				select {
				case <-failed:
					return nil
				case <-ctx.Done():
					return ctx.Err()
				}
			},
			outcomes: map[string]Outcome{"a": Ran, "b": Failed, "c": Blocked, "e": Ran},
			errText:  `stage "b": boom`,
		},
		{
			name:      "old outputs stay, lock entry stays true",
			keepGoing: true,
			prior:     true,
			hookB:     partialFailure,
			outcomes:  map[string]Outcome{"a": Fresh, "b": Failed, "c": Blocked, "e": Fresh},
			errText:   `stage "b": boom`,
		},
		{
			name:      "panic",
			keepGoing: true,
			hookB:     func(ctx context.Context, env *Env) error { panic("kaboom") },
			outcomes:  map[string]Outcome{"a": Ran, "b": Failed, "c": Blocked, "e": Ran},
			errText:   `stage "b": panic: kaboom`,
		},
		{
			name:      "missing output",
			keepGoing: true,
			hookB: func(ctx context.Context, env *Env) error {
				delete(env.Outputs, "b") // the fake writes what is left
				return nil
			},
			outcomes: map[string]Outcome{"a": Ran, "b": Failed, "c": Blocked, "e": Ran},
			errText:  `stage "b": did not write output "b"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			failed = make(chan struct{})
			h := newHarness(t, failingYAML, nil)
			var before string
			if tt.prior {
				h.mustRun(h.runner(), "b")
				before = h.read("out/b/a.txt")
				h.mustRun(h.runner())
				h.hooks["b"] = tt.hookB
				h.took()
			}
			h.hooks["b"], h.hooks["e"] = tt.hookB, tt.hookE
			r := h.runner()
			if tt.prior {
				r.Force = true // b must run again, e and a need not
			}
			r.KeepGoing = tt.keepGoing
			r.Observer = ObserverFunc(func(e Event) {
				if e.Type == EventFail {
					close(failed)
				}
			})
			targets := []string(nil)
			if tt.prior {
				targets = []string{"b"}
				tt.outcomes = map[string]Outcome{"a": Fresh, "b": Failed}
			}
			res, err := r.Run(context.Background(), targets)
			var se *StageError
			if !errors.As(err, &se) || se.Stage != "b" || err.Error() != tt.errText {
				t.Fatalf("err = %v, want %s", err, tt.errText)
			}
			got := map[string]Outcome{}
			for _, r := range res {
				got[r.Stage.Name] = r.Outcome
			}
			if !reflect.DeepEqual(got, tt.outcomes) {
				t.Errorf("outcomes %v, want %v", got, tt.outcomes)
			}
			lock, err := h.load().ReadLock()
			if err != nil {
				t.Fatal(err)
			}
			for name, o := range tt.outcomes {
				if _, has := lock.Stages[name]; has != (o == Ran || o == Fresh || tt.prior) {
					t.Errorf("lock has %s: %v, outcome %v", name, has, o)
				}
			}
			if tt.prior {
				if got := h.read("out/b/a.txt"); got != before {
					t.Errorf("old output replaced by %q", got)
				}
				st, _ := h.load().Status(nil)
				for _, s := range st {
					if s.Stage.Name == "b" && !s.Fresh {
						t.Errorf("b stale after failed forced rerun: %v", s.Reasons)
					}
				}
			} else if h.exists("out/b/a.txt") || h.exists("out/b/b.txt") || h.exists("out/c.txt") {
				t.Error("a failed stage left outputs behind")
			}
			if h.exists("out/.hw1pipe/tmp") {
				t.Error("temporary directory left behind")
			}
		})
	}
}

// TestInterrupt cancels the run's context while a stage is mid-way, as
// Ctrl-C does.
func TestInterrupt(t *testing.T) {
	h := newHarness(t, failingYAML, nil)
	started := make(chan struct{})
	h.hooks["b"] = func(ctx context.Context, env *Env) error {
		os.WriteFile(env.Output("a"), []byte("partial"), 0o644)
		close(started)
		<-ctx.Done()
		return fmt.Errorf("training: %w", ctx.Err())
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { <-started; cancel() }()
	r := h.runner()
	r.Jobs = 1
	res, err := r.Run(ctx, []string{"c"})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	outcome := map[string]Outcome{}
	for _, r := range res {
		outcome[r.Stage.Name] = r.Outcome
	}
	if want := map[string]Outcome{"a": Ran, "b": Canceled, "c": NotRun}; !reflect.DeepEqual(outcome, want) {
		t.Errorf("outcomes %v, want %v", outcome, want)
	}
	if h.exists("out/b/a.txt") || h.exists("out/.hw1pipe/tmp") {
		t.Error("partial output left behind")
	}
	lock, _ := h.load().ReadLock()
	if lock.Stages["a"] == nil || lock.Stages["b"] != nil {
		t.Errorf("lock stages = %v, want a only", lock.Stages)
	}
}

func TestProgressEvents(t *testing.T) {
	h := newHarness(t, failingYAML, nil)
	var mu sync.Mutex
	var got []string
	r := h.runner()
	r.Observer = ObserverFunc(func(e Event) {
		mu.Lock()
		defer mu.Unlock()
		if e.Stage == "a" {
			got = append(got, fmt.Sprintf("%v %g %s", e.Type, e.Frac, e.Msg))
		}
	})
	h.mustRun(r, "a")
	h.mustRun(r, "a")
	want := []string{"start 0 ", "progress 0 start", "progress 1 done", "done 0 ", "skip 0 "}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("events %q, want %q", got, want)
	}
}

func TestOutputsUnderTempDir(t *testing.T) {
	h := newHarness(t, failingYAML, nil)
	h.hooks["b"] = func(ctx context.Context, env *Env) error {
		tmp := filepath.Join(h.dir, "out", ".hw1pipe", "tmp") + string(filepath.Separator)
		for k, p := range env.Outputs {
			if !strings.HasPrefix(p, tmp) || filepath.Base(p) != k+".txt" {
				return fmt.Errorf("output %s at %s", k, p)
			}
		}
		return nil
	}
	h.mustRun(h.runner(), "b")
}
