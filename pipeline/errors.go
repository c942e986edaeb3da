package pipeline

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"gopkg.in/yaml.v3"
)

// ConfigError is one problem found in pipeline.yaml (or in a --set
// override). Load reports every problem at once, joined with errors.Join;
// use errors.As to pick one out.
type ConfigError struct {
	// File is the config path as the caller gave it, or "--set".
	File string
	// Line and Column are 1-based; zero when unknown.
	Line, Column int
	// Stage is the stage the problem belongs to; empty for top-level ones.
	Stage string
	// Err says what is wrong.
	Err error
}

// Error formats the problem as `file:line:col: stage "name": message`.
func (e *ConfigError) Error() string {
	s := e.File
	if e.Line > 0 {
		s += ":" + strconv.Itoa(e.Line)
		if e.Column > 0 {
			s += ":" + strconv.Itoa(e.Column)
		}
	}
	s += ": "
	if e.Stage != "" {
		s += fmt.Sprintf("stage %q: ", e.Stage)
	}
	return s + e.Err.Error()
}

// Unwrap returns the underlying problem.
func (e *ConfigError) Unwrap() error { return e.Err }

// StageError is a stage's failure, wrapped once by the runner.
type StageError struct {
	Stage string
	Err   error
}

// Error formats the failure as `stage "name": cause`.
func (e *StageError) Error() string { return fmt.Sprintf("stage %q: %v", e.Stage, e.Err) }

// Unwrap returns the stage's own error.
func (e *StageError) Unwrap() error { return e.Err }

// panicError is what a panicking stage returns: the panic value and the
// goroutine's stack at the point of the panic.
type panicError struct {
	Value any
	Stack []byte
}

// Error reports the panic value; the stack is in Stack.
func (e *panicError) Error() string { return fmt.Sprintf("panic: %v", e.Value) }

// errorList collects ConfigErrors for one file.
type errorList struct {
	file string
	errs []error
}

func (l *errorList) add(n *yaml.Node, stage string, format string, args ...any) {
	e := &ConfigError{File: l.file, Stage: stage, Err: fmt.Errorf(format, args...)}
	if n != nil {
		e.Line, e.Column = n.Line, n.Column
	}
	l.errs = append(l.errs, e)
}

// err joins the problems, those in the file first in file order, then the
// others (--set) in the order found.
func (l *errorList) err() error {
	key := func(e error) (int, int, int) {
		var ce *ConfigError
		if errors.As(e, &ce) && ce.File == l.file {
			return 0, ce.Line, ce.Column
		}
		return 1, 0, 0
	}
	slices.SortStableFunc(l.errs, func(a, b error) int {
		a0, a1, a2 := key(a)
		b0, b1, b2 := key(b)
		return cmp.Or(cmp.Compare(a0, b0), cmp.Compare(a1, b1), cmp.Compare(a2, b2))
	})
	return errors.Join(l.errs...)
}
