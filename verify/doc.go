// Package verify checks a submission folder the way the Gradescope
// autograder will read it, before it is uploaded.
//
// A submission folder holds problem1/ and problem3/, each with exactly the
// files the autograder takes (Files lists them; Problem 3 in
// docs/homework.md#problem-3-neural-networks). Dir checks every one of them:
//
//   - present, with the exact name, and nothing else in problem1/ or
//     problem3/ (Gradescope takes exactly these files, so an extra file is
//     a failure);
//   - loadable by Go readers: pickles with github.com/nlpodyssey/gopickle
//     through hw1pipe/artifacts/inspect (whose class finder stands in for
//     the numpy and scikit-learn globals), the .pth archive with gopickle's
//     pytorch loader, linear.h5 with hw1pipe/artifacts/h5 (only when built
//     with the hdf5 tag; otherwise that check reports NotBuilt, never
//     Pass);
//   - of the right type and shape: float lists are Python lists of Python
//     floats with 10,000 (training) or 11 (validation) finite values;
//     grid_search_svm.pkl is a fitted sklearn SVC, or a GridSearchCV whose
//     best_estimator_ is one, with consistent fitted attributes and the
//     dtypes libsvm requires (docs/formats.md#fitted-svc and docs/formats.md#fitted-gridsearchcv); linear.h5 holds group
//     "instance" with w 10x784 and b 10x1 stored as IEEE float64
//     little-endian exactly; pytorch_nn_weights.pth holds
//     exactly fc1.weight float32 [10,784] and fc1.bias float32 [10]; all
//     values finite.
//
// When the reference Python ($HW1PIPE_PYTHON, else /usr/bin/python3) can
// import the library a file needs, Dir also runs the embedded check.py,
// which loads each file the way the autograder does, but without running
// anything the file names: pickles through a restricted unpickler (an
// allowlist of the numpy and scikit-learn globals a deliverable needs,
// tabled at the top of check.py; anything else fails as "refused global
// NAME"), the .pth through a screen of its data.pkl and then
// torch.load(weights_only=True) and load_state_dict into
// Net(fc1=Linear(784,10)), linear.h5 with h5py. An SVC's arrays are
// checked for consistency before predict hands them to libsvm. The script
// is compiled into the binary, so verify works outside the repository. A
// missing interpreter or module makes those checks Skipped, not failed.
//
// Dir returns a Report; Report.Err is an error naming the failed files
// when any check failed. Nothing is printed and no file is written. Dir is safe for
// concurrent use on different folders.
package verify
