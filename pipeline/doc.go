// Package pipeline is hw1pipe's DAG runner: it reads pipeline.yaml,
// checks it against the registered stage kinds, decides which stages are
// stale and runs them, in parallel where the graph allows, so that every
// output is reproducible and nothing is recomputed needlessly.
//
// The package knows stages only through Kind and Env (kind.go); it knows
// nothing about SVMs, pickles or MNIST. It never prints: progress goes to
// an Observer, and the command hw1pipe renders it.
//
// # pipeline.yaml
//
//	outdir: out            # relative to pipeline.yaml's directory; default "out"
//	params:                # global params
//	  seed: 0
//	stages:                # mapping order is declaration order
//	  mnist:
//	    kind: mnist
//	    params: {source_dir: ""}
//	    outputs: {train_images: mnist/train_images.npy}
//	  p1_data:
//	    kind: p1data
//	    inputs: {images: mnist.train_images, extra: data/foo.txt}
//	    outputs: {train: p1/train.npy}
//
// A stage has a kind (a name in the Registry), inputs, outputs and params.
// An input is "stage.outputkey" or a file path relative to pipeline.yaml's
// directory (a path that some stage writes counts as that stage's output).
// Outputs map each of the kind's output keys to a path under outdir. A
// stage must declare every input and output key its kind lists; it may
// declare extra inputs (they count in staleness) but no extra outputs.
// A kind with params is made by NewKind from a params type (a pointer to a
// struct with yaml tags and a Validate method, see Validator), a function
// returning its defaults, and a run function that receives the decoded
// params as that type, so no kind asserts types. Params are decoded into a
// fresh defaults struct: first the stage's own values, then every global
// param that names a field of that struct and that the stage does not set,
// then --set overrides (Override, ParseOverride; a nested param is named
// as Kind.ParamDocs prints it, "grid.C"). An integer param takes only a
// whole number (yaml.v3 alone would truncate 2.5 to 2). Load then calls
// Validate, which checks what needs no data (ranges, enumerations), and
// reports each *ParamError where the offending value came from: its node
// in the stage's params or the global, the --set flag, or the stage's
// name for a default. A bad value thus stops status, dag and run before
// anything runs; only checks that need the data (an index beyond the
// rows read) are left to the run function. Stage names use letters,
// digits, _ and -.
//
// Load reports every problem of the file at once, joined with errors.Join,
// each a *ConfigError carrying file, line, column and stage:
//
//	pipeline.yaml:14:7: stage "grid": unknown param "gama" (known: C, kernel, gamma)
//
// It rejects unknown keys at every level (including inside params and
// nested param structs: yaml.v3's Node.Decode ignores KnownFields, so the
// keys are checked against the struct's yaml tags here), unknown kinds,
// inputs that no stage writes and no file provides, two outputs on one
// path, outputs outside outdir, missing or extra input and output keys,
// params of the wrong type, values the kind's Validate refuses, unused
// global params, and cycles, which are printed in data-flow order
// ("cycle: x -> y -> z -> x").
//
// # Staleness
//
// A stage is stale, and runs, when any of these differs from its last
// successful run as recorded in the lock file:
//
//   - the sha256 of an input's content (an added or removed input key
//     counts too);
//   - its params, compared in canonical form: the decoded struct after
//     defaults, globals and --set, encoded as JSON with sorted keys, so
//     that "1.0" and "1" or a reordered mapping do not count as changes;
//   - its kind's Version (or its kind);
//   - an output is missing or its content's sha256 differs from the one
//     recorded (edited by hand, or left mixed by an interrupted rename).
//
// A stage that never ran successfully is stale. Otherwise it is fresh and
// skipped. Downstream stages are compared against what their inputs are
// after the upstream ran, so an upstream rerun that writes identical bytes
// leaves its downstream fresh. Status and Plan, which run nothing, report a
// stage below a stale one as stale with reason "upstream X is stale" (or
// "will run"). An input that cannot be hashed is an error, never a reason
// to run.
//
// # Hash cache
//
// Hashing is done through a HashCache keyed by path and validated by size,
// mtime, ctime (both ns) and inode, persisted in
// <outdir>/.hw1pipe/hashcache.json. A check over an unchanged tree reads
// no file content; a touched file is read once and, if its content is
// unchanged, changes nothing. Like git, the cache trusts that a file whose
// size, mtime, ctime and inode did not change has the same content; the
// ctime, which no system call sets back, catches a same-size edit whose
// mtime was put back.
//
// # Lock file
//
// <outdir>/.hw1pipe/lock.json records, per stage, the kind and its
// version, the input paths and hashes, the canonical params, the output
// paths and hashes, the run's duration and finish time (type Lock). It is
// rewritten atomically (temp file, fsync, rename) with sorted keys after
// each successful stage, so a later failure never loses earlier successes.
// A stage's entry is written only after its outputs are hashed and renamed
// into place.
//
// # Running
//
// Runner.Run selects the target stages (all by default) and everything
// upstream of them; Force reruns the targets even when fresh; Downstream
// adds every stage that depends on the targets (forced too with Force).
// One goroutine is started per stage whose dependencies are done, and a
// semaphore caps the stages running at once at Jobs (default
// runtime.NumCPU()). A stage writes to the temporary paths in Env.Outputs,
// under <outdir>/.hw1pipe/tmp/<stage>-*/ (same file system as outdir); on
// success each output is hashed and renamed into place, then the lock
// entry is written. On failure the temporaries are removed: the old
// outputs of an earlier run stay, with their lock entry still true. The
// stages below a failed one do not run (Blocked). The first failure
// cancels the context of the stages still running unless KeepGoing, which
// lets every branch that does not depend on the failure finish. Cancelling
// Run's context (Ctrl-C) stops the running stages with the same
// guarantees. Stage errors, and panics (with their stack), are wrapped once
// in *StageError. Only one Run at a time uses an outdir: Run holds an
// advisory lock (flock) on <outdir>/.hw1pipe/run.lock throughout, and
// returns a *BusyError naming the holder's pid when another run holds it
// (or waits, with Runner.Wait). Only the holder clears
// <outdir>/.hw1pipe/tmp, when it starts. Status and Plan take no lock.
//
// A stage reports progress with Env.Progress; the Runner turns it, and the
// start, done, skip, fail, cancel and blocked transitions (and a wait for
// another run), into Events for
// its Observer, which is called from several goroutines.
//
// # Concurrency
//
// A loaded Pipeline is read-only and safe for concurrent use. HashCache is
// safe for concurrent use. A Runner runs one Run or Plan at a time.
package pipeline
