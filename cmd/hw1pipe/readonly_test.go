package main

import (
	"bytes"
	"context"
	"errors"
	"testing"
)

// A read-only command returns as soon as its context is cancelled (Ctrl-C,
// SIGTERM), even while its work is stuck.
func TestReadOnlyInterrupted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	a := &app{ctx: ctx, stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}}
	stuck := make(chan struct{})
	defer close(stuck)
	cancel()
	err := a.readOnly(func() error { <-stuck; return nil })
	if !errors.Is(err, errInterrupted) || exitCode(err) != exitFailed {
		t.Fatalf("readOnly = %v (exit %d), want interrupted (exit 1)", err, exitCode(err))
	}
	if err := a.readOnly(func() error { return nil }); err != nil && !errors.Is(err, errInterrupted) {
		t.Fatalf("readOnly of a finished command = %v", err)
	}
}
