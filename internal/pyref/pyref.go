// Package pyref runs the reference Python stack (Debian's python3 with
// numpy, scikit-learn, scikit-image, OpenCV, h5py and torch) from Go tests.
//
// Tests use it to prove hw1pipe's files load in the real libraries and that
// its numbers equal theirs. When the interpreter or a module is missing the
// test is skipped, except under CI=true, where a missing reference stack is
// a failure: CI must never pass by skipping the proof.
//
// The interpreter is $HW1PIPE_PYTHON, else /usr/bin/python3 (Debian's, not
// a pyenv shim that may come first in PATH and lacks the packages).
package pyref

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
)

// DefaultPython is the interpreter used when $HW1PIPE_PYTHON is unset.
const DefaultPython = "/usr/bin/python3"

// Interpreter returns the path of the reference interpreter.
func Interpreter() string {
	if p := os.Getenv("HW1PIPE_PYTHON"); p != "" {
		return p
	}
	return DefaultPython
}

var (
	probeMu sync.Mutex
	probed  = map[string]error{}
)

// Require skips (or, under CI=true, fails) t unless the interpreter can
// import every named module. It returns the interpreter's path.
func Require(t testing.TB, modules ...string) string {
	t.Helper()
	py := Interpreter()
	key := strings.Join(modules, ",")
	probeMu.Lock()
	err, seen := probed[key]
	if !seen {
		src := "import sys\n"
		for _, m := range modules {
			src += "import " + m + "\n"
		}
		cmd := exec.Command(py, "-c", src)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err = cmd.Run(); err != nil {
			err = &missingError{py: py, modules: key, detail: strings.TrimSpace(stderr.String()), err: err}
		}
		probed[key] = err
	}
	probeMu.Unlock()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("reference stack missing under CI (install it with `make deps`): %v", err)
		}
		t.Skipf("reference stack missing: %v", err)
	}
	return py
}

type missingError struct {
	py, modules, detail string
	err                 error
}

func (e *missingError) Error() string {
	return "pyref: " + e.py + " cannot import " + e.modules + ": " + e.err.Error() + ": " + e.detail
}

// Run runs a Python script (source text) with args under the reference
// interpreter after Require(modules...). It fails t on a non-zero exit,
// printing the script's stderr, and returns its stdout.
func Run(t testing.TB, modules []string, script string, args ...string) []byte {
	t.Helper()
	py := Require(t, modules...)
	cmd := exec.Command(py, append([]string{"-c", script}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("python reference failed: %v\n--- stderr ---\n%s", err, stderr.String())
	}
	return stdout.Bytes()
}

// RunFile is Run for a script file, such as one kept under golden/.
func RunFile(t testing.TB, modules []string, path string, args ...string) []byte {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return Run(t, modules, string(src), args...)
}
