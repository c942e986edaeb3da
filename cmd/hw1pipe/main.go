package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"hw1pipe/stages"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// After the first Ctrl-C, restore the default handling so that a
	// second one kills a stage that ignores its context.
	go func() { <-ctx.Done(); stop() }()
	code := Main(ctx, os.Args[1:], os.Stdout, os.Stderr, stages.Kinds())
	stop()
	os.Exit(code)
}
