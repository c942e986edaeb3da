// Package results holds the typed content of every results JSON file the
// stages write and the report, the LaTeX pack and `hw1pipe submit` read:
// Problem 1's split, the baseline SVC's metrics and confusion matrix, the
// grid search's summary, the Gabor features' report and the Gabor + PCA +
// SVC numbers; Problem 3's subsets, the gradient check, and one curves
// type for both networks.
//
// Marshal encodes a value as indented JSON with a final newline; struct
// field order is the file's key order, so a value always gives the same
// bytes (the regression goldens hash them). Read decodes strictly: a key
// the type does not know is an error naming the file, so a stage and its
// readers cannot drift apart silently.
package results
