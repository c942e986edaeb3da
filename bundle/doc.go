// Package bundle assembles the submission folder from a pipeline's
// outputs: what `hw1pipe submit` (and so `make submit`) writes.
//
// Write runs no stage. It refuses, with a *StaleError naming them, when
// any stage of the pipeline is stale (`hw1pipe run` must come first). It
// then finds the deliverables as the stage outputs that their kind
// declares as such (pipeline.Kind.Deliverables maps an output key to a
// verify.Deliverables path; the file name pipeline.yaml gives the output
// does not matter) and lays out
//
//	<out>/problem1/grid_search_svm.pkl
//	<out>/problem3/self_NN_*.pkl, pytorch_NN_*.pkl, linear.h5, pytorch_nn_weights.pth
//	<out>/problem1.zip, <out>/problem3.zip   one per Gradescope assignment
//	<out>/report/...                         every output of the report stages
//	<out>/report/report.pdf                  the report page printed (Options.PrintPDF)
//	<out>/report/latex/...                   every output of the latex stages
//	<out>/MANIFEST.json
//
// The zips hold their files at the archive's root in sorted order, with a
// fixed timestamp (1980-01-01 UTC) and mode 0644, so the same files give
// the same bytes. MANIFEST.json lists the sha256 and size of every file
// above (itself excluded), the producing stage and output key, each
// stage's kind, kind version, canonical params, run time and finish time
// from the lock file, and the code version (`git describe --always
// --dirty` in the pipeline's directory, when git can tell). It holds no
// time of its own: a second Write with nothing changed produces identical
// bytes.
//
// The PDF is printed only when the page differs from the one the
// previous manifest lists (or the PDF is missing or altered): a browser
// takes seconds, and the printer should make the same bytes anyway.
//
// Every file is compared with what is on disk and written (temporary file
// and rename in the same directory) only when its bytes differ, so an
// unchanged file keeps its mtime. Write owns <out>/problem1, problem3 and
// report: entries there that it did not produce are removed (Gradescope
// takes exactly the deliverables). Other entries of <out> are left alone.
//
// A deliverable that no stage produces is listed in Result.Missing and in
// the manifest; it is not an error here, so that verify can report the
// whole folder at once.
//
// Write does not print; the caller renders Result. It is not safe to run
// two Writes on one folder at once.
package bundle
