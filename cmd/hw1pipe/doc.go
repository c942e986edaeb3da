// Command hw1pipe runs the reproducible pipeline described by
// pipeline.yaml: it brings stages up to date, skipping fresh ones, and
// reports on them.
//
// Usage:
//
//	hw1pipe run [flags] [STAGE...]   bring the stages (default all) and their upstream up to date
//	hw1pipe status [flags]           every stage, fresh or stale, and why
//	hw1pipe dag [--format text|dot|mermaid]
//	hw1pipe kinds                    registered stage kinds: doc, inputs, outputs, params, defaults
//
// Flags of run: --config FILE (default pipeline.yaml), -j N (default the
// number of CPUs), --keep-going, --force, --downstream, --dry-run, --wait
// (if another run is using the outdir, wait for it instead of exiting),
// and --set stage.param=value (repeatable; the value is YAML, type-checked
// and range-checked like the file, and counts in staleness; a nested param
// is named as kinds prints it, grid.C). status takes --config and --set;
// dag takes --config and --format. Flags may follow stage names.
//
// One run uses an outdir at a time (a flock on out/.hw1pipe/run.lock); a
// second run exits 1 naming the first one's pid. status, dag and
// run --dry-run take no lock.
//
// On a terminal, run shows one live line per running stage with a
// progress bar; otherwise (CI logs) it prints timestamped lines, at most
// one progress line per stage every 10 s. Ctrl-C cancels the run: the
// running stages stop, their partial outputs are removed and the lock
// keeps every stage that had finished; a second Ctrl-C kills the process.
//
// Exit codes: 0 success, 1 a stage failed, the run was interrupted or
// another run is using the outdir, 2 bad command line or bad
// pipeline.yaml (including a param value its kind refuses, from the file
// or --set), found before any stage runs.
//
// main only calls Main, which takes the arguments, the output writers and
// the stage kinds, so tests run the whole command in-process with fake
// kinds. Subcommands are listed in the commands table in cli.go.
package main
