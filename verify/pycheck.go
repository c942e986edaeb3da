package verify

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// checkPy is the Python checker; it is compiled in so that verify works
// outside the repository.
//
//go:embed check.py
var checkPy string

// DefaultPythonTimeout bounds one run of the Python checker over a whole
// submission when Options.PythonTimeout is zero.
const DefaultPythonTimeout = 5 * time.Minute

// CheckScript returns the embedded Python checker's source.
func CheckScript() string { return checkPy }

func interpreter(o *Options) string {
	if o.Python != "" {
		return o.Python
	}
	if p := os.Getenv("HW1PIPE_PYTHON"); p != "" {
		return p
	}
	return DefaultPython
}

// checkPython runs check.py once over the present deliverables and returns
// a Result per path.
func checkPython(ctx context.Context, dir string, present []Deliverable, o *Options) map[string]Result {
	out := map[string]Result{}
	skipAll := func(why string) map[string]Result {
		for _, d := range present {
			out[d.Path()] = Result{Path: d.Path(), Checker: "python", Status: Skipped, Detail: why}
		}
		return out
	}
	if len(present) == 0 {
		return out
	}
	if o.NoPython {
		return skipAll("python checks turned off")
	}
	py := interpreter(o)
	if _, err := exec.LookPath(py); err != nil {
		return skipAll(fmt.Sprintf("no reference python (%s); set HW1PIPE_PYTHON", py))
	}
	args := []string{"-I", "-", dir}
	for _, d := range present {
		args = append(args, d.Path())
	}
	// The files may be hostile: check.py bounds each one and caps its own
	// heap; the deadline bounds the whole run (a legitimate submission
	// takes seconds, most of it importing torch and scikit-learn).
	limit := o.PythonTimeout
	if limit <= 0 {
		limit = DefaultPythonTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, py, args...)
	cmd.Env = append(os.Environ(), "OPENBLAS_NUM_THREADS=1", "OMP_NUM_THREADS=1", "MKL_NUM_THREADS=1")
	cmd.Stdin = strings.NewReader(checkPy)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(make([]byte, 64*1024), 1<<20)
	for sc.Scan() {
		var line struct{ Path, Status, Detail string }
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			continue
		}
		r := Result{Path: line.Path, Checker: "python", Detail: line.Detail}
		switch line.Status {
		case "pass":
			r.Status = Pass
		case "skip":
			r.Status = Skipped
		default:
			r.Status = Fail
		}
		out[line.Path] = r
	}
	if runErr != nil {
		// A crash (e.g. a segfaulting library) leaves later files
		// unreported: fail them with the interpreter's last words.
		why := strings.TrimSpace(stderr.String())
		if i := strings.LastIndexByte(why, '\n'); i >= 0 {
			why = why[i+1:]
		}
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			why = fmt.Sprintf("took longer than %v", limit)
		}
		for _, d := range present {
			if _, ok := out[d.Path()]; !ok {
				out[d.Path()] = Result{Path: d.Path(), Checker: "python", Status: Fail,
					Detail: fmt.Sprintf("python checker stopped (%v): %s", runErr, why)}
			}
		}
	}
	return out
}
