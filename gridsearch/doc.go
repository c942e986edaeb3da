// Package gridsearch reproduces scikit-learn 1.2.1's
// GridSearchCV(SVC(), param_grid) with the default cv=5, scoring=accuracy
// and refit=True (docs/numerics.md#stratifiedkfold and docs/numerics.md#gridsearchcv, docs/formats.md#fitted-gridsearchcv).
//
// Candidates follow ParameterGrid: parameter names sorted, the last one
// varying fastest. Folds come from modelsel.StratifiedKFold (scikit-learn's
// fold assignment, no shuffling). Each candidate is fitted on every
// fold's training rows and scored on its test rows; the mean is
// ((((0+s0)+s1)+…)+s4)/5 as numpy computes it, so exact ties between
// candidates (a linear kernel ignores gamma) stay exact; ranks are
// rankdata(−mean, 'min') and the best candidate is the first of rank 1. The
// best candidate is refitted on all the data.
//
// Speed: the n×n dot products of the data are computed once (svm.NewGram)
// and every fold and candidate reads its sub-matrix, and candidate×fold fits
// run concurrently through package svm/parallel, each writing only its own
// slot, so results do not depend on scheduling. Candidates that differ only
// in parameters their kernel ignores (gamma for linear) are fitted once and
// share scores and times (Result.SameFitsAs). Memory is n² float64s
// (512 MB for 8,000 samples) plus the kernel columns of the pairs being
// solved.
//
// The Result is plain data holding what cv_results_, best_index_,
// best_params_, best_score_, refit_time_ and best_estimator_ need; writing
// the pickle is another package's job. Note that scikit-learn's fit also
// draws one number from numpy's global random stream per SVC fit
// (docs/numerics.md#before-libsvm), 5·candidates + 1 in all; this package draws nothing.
//
// Search returns an error for unusable folds (modelsel's errors), an empty
// grid, or when every fit failed; a failed individual fit scores NaN and is
// recorded in Result.FitErrors, as error_score=nan does.
package gridsearch
