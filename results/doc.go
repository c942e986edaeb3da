// Package results holds the typed content of every results JSON file the
// stages write and the report, the LaTeX pack and `hw1pipe submit` read:
// the baseline SVC's metrics and confusion matrix, the grid search's
// summary, the Gabor + PCA + SVC numbers, the gradient check, and one
// curves type for both Problem 3 networks.
//
// Write encodes a value as indented JSON with a final newline; struct
// field order is the file's key order, so a value always gives the same
// bytes (the regression goldens hash them). Read decodes strictly: a key
// the type does not know is an error naming the file, so a stage and its
// readers cannot drift apart silently.
package results
