// Package regress records what a finished pipeline run wrote, as a
// golden file, and compares a later run with it: the regression goldens
// of golden/regression (`make test`, `make e2e`, `make goldens`).
//
// # What is recorded
//
// Extract reads every declared output of every stage of a loaded
// pipeline and records, per stage and output key (type File):
//
//   - the sha256 of the file's content after masking (below);
//   - Values: named scalars taken from the file by its format: the shape
//     and dtype of a .npy and the sum, min and max of its elements; the
//     length, first, last, min, max and mean of a pickled list of floats,
//     or the class and the scalar and array attributes of a pickled
//     object (a fitted scikit-learn SVC); each tensor's shape, dtype and
//     sum in a torch.save archive; each attribute's shape, sum, min and
//     max in an HDF5 file; a PNG's width and height; every scalar leaf of
//     a JSON document, keyed by its path (best_params.C, fits[1].
//     val_accuracy), with arrays longer than MaxArray summarised (.len,
//     .first, .last, .min, .max, .mean, or .len and the first and last
//     elements for arrays of objects); every cell of a CSV file.
//
// # Masking
//
// A few outputs hold wall-clock times, which no two runs share: JSON keys
// ending in _seconds, CSV columns ending in _time, the "fit s" column of
// Markdown and HTML tables and the "Search time ... s (refit ... s)"
// sentence. Mask replaces each such number with a fixed token before
// hashing and extraction skips them, so the hash of every output is
// deterministic. File.Masked counts the values masked.
//
// # Comparing
//
// Compare returns one Mismatch per difference between a run and its
// golden: a stage, output or value that appeared or disappeared, a string
// that differs, a number outside its tolerance (Tolerances: the first
// rule whose pattern matches "stage.output:value" gives the absolute and
// relative bounds), and a changed sha256. A changed sha256 is a mismatch
// even when every number is within tolerance; its Mismatch lists the
// numbers that moved, so the reader can tell noise from a regression.
//
// Golden files are written by Encode with sorted keys and one value per
// line, so that a regenerated golden's diff shows what changed.
package regress
