// Package e2e holds the full-size fidelity checks of a finished pipeline
// run against scikit-learn (`make e2e`). It has no library code: its test
// recomputes hw1pipe's side of Problem 1 with package svm on the run's own
// .npy files and hands it to check_p1.py, which refits scikit-learn on the
// same files and applies the bars. The test runs only when
// HW1PIPE_E2E=1; see README.md for the variables and the bars.
package e2e
