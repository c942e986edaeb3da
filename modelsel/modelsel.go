package modelsel

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"hw1pipe/numpyrand"
)

// splitError reports input that scikit-learn rejects with ValueError.
type splitError struct {
	Func   string // the scikit-learn entry point, e.g. "train_test_split"
	Reason string
}

func (e *splitError) Error() string { return "modelsel: " + e.Func + ": " + e.Reason }

// FewMembersWarning is StratifiedKFold's UserWarning: some class has fewer
// members than folds. The folds are still valid.
type FewMembersWarning struct {
	MinMembers int // size of the least populated class
	K          int // number of folds
}

func (w *FewMembersWarning) Error() string {
	return fmt.Sprintf("modelsel: the least populated class in y has only %d members, which is less than n_splits=%d", w.MinMembers, w.K)
}

// classIndex groups samples by label: classes ascending, each class's
// sample indices ascending (np.unique + stable argsort).
func classIndex(y []int64) (classes []int64, members [][]int) {
	byLabel := map[int64][]int{}
	for i, v := range y {
		byLabel[v] = append(byLabel[v], i)
	}
	for c := range byLabel {
		classes = append(classes, c)
	}
	slices.Sort(classes)
	members = make([][]int, len(classes))
	for k, c := range classes {
		members[k] = byLabel[c]
	}
	return classes, members
}

// testCount is _validate_shuffle_split for a float test_size with
// train_size=None.
func testCount(fn string, n int, testSize float64) (nTrain, nTest int, err error) {
	if !(testSize > 0 && testSize < 1) {
		return 0, 0, &splitError{fn, fmt.Sprintf("test_size=%v should be a float in the (0, 1) range", testSize)}
	}
	nTest = int(math.Ceil(testSize * float64(n)))
	nTrain = n - nTest
	if nTrain <= 0 {
		return 0, 0, &splitError{fn, fmt.Sprintf("with n_samples=%d, test_size=%v the resulting train set will be empty", n, testSize)}
	}
	return nTrain, nTest, nil
}

// ApproxMode is sklearn.utils._approximate_mode: split nDraws among
// classes in proportion to counts, floors first, then +1 for the largest
// remainders; within a group of equal remainders the classes that get the
// extra draw are chosen by rs.choice(group, add, replace=False), which
// consumes a permutation of the whole group.
func ApproxMode(counts []int, nDraws int, rs *numpyrand.RandomState) []int {
	total := 0
	for _, c := range counts {
		total += c
	}
	cont := make([]float64, len(counts))
	out := make([]int, len(counts))
	floorSum := 0
	for i, c := range counts {
		cont[i] = float64(c) / float64(total) * float64(nDraws)
		out[i] = int(math.Floor(cont[i]))
		floorSum += out[i]
	}
	need := nDraws - floorSum
	if need <= 0 {
		return out
	}
	rem := make([]float64, len(counts))
	for i := range cont {
		rem[i] = cont[i] - math.Floor(cont[i])
	}
	values := slices.Clone(rem)
	slices.Sort(values)
	values = slices.Compact(values)
	for v := len(values) - 1; v >= 0 && need > 0; v-- {
		var inds []int
		for i, r := range rem {
			if r == values[v] {
				inds = append(inds, i)
			}
		}
		add := min(len(inds), need)
		for _, p := range rs.Choice(len(inds), add) {
			out[inds[p]]++
		}
		need -= add
	}
	return out
}

// TrainTestSplitStratified returns the indices of
// train_test_split(X, y, test_size=testSize, random_state=seed,
// shuffle=True, stratify=y) in scikit-learn 1.2.1: X_train = X[train],
// X_test = X[test]. testSize is a fraction in (0, 1).
func TrainTestSplitStratified(y []int64, testSize float64, seed uint32) (train, test []int, err error) {
	nTrain, nTest, err := testCount("train_test_split", len(y), testSize)
	if err != nil {
		return nil, nil, err
	}
	return StratifiedShuffleSplit(y, nTrain, nTest, numpyrand.New(seed))
}

// StratifiedShuffleSplit is one split of sklearn's StratifiedShuffleSplit
// with integer sizes, drawing from rs (a later call continues the stream,
// as n_splits > 1 does).
func StratifiedShuffleSplit(y []int64, nTrain, nTest int, rs *numpyrand.RandomState) (train, test []int, err error) {
	const fn = "StratifiedShuffleSplit"
	if nTrain <= 0 || nTest <= 0 || nTrain+nTest > len(y) {
		return nil, nil, &splitError{fn, fmt.Sprintf("train size %d and test size %d do not fit %d samples", nTrain, nTest, len(y))}
	}
	_, members := classIndex(y)
	counts := make([]int, len(members))
	for k, m := range members {
		counts[k] = len(m)
		if len(m) < 2 {
			return nil, nil, &splitError{fn, "the least populated class in y has only 1 member, which is too few; the minimum number of groups for any class cannot be less than 2"}
		}
	}
	if nTrain < len(counts) {
		return nil, nil, &splitError{fn, fmt.Sprintf("the train_size = %d should be greater or equal to the number of classes = %d", nTrain, len(counts))}
	}
	if nTest < len(counts) {
		return nil, nil, &splitError{fn, fmt.Sprintf("the test_size = %d should be greater or equal to the number of classes = %d", nTest, len(counts))}
	}
	nI := ApproxMode(counts, nTrain, rs)
	remaining := make([]int, len(counts))
	for k := range counts {
		remaining[k] = counts[k] - nI[k]
	}
	tI := ApproxMode(remaining, nTest, rs)
	train = make([]int, 0, nTrain)
	test = make([]int, 0, nTest)
	for k, m := range members {
		p := rs.Permutation(len(m))
		for j := 0; j < nI[k]; j++ {
			train = append(train, m[p[j]])
		}
		for j := nI[k]; j < nI[k]+tI[k]; j++ {
			test = append(test, m[p[j]])
		}
	}
	rs.Shuffle(train)
	rs.Shuffle(test)
	return train, test, nil
}

// ShuffleSplit returns the indices of the unstratified
// train_test_split(X, test_size=testSize, random_state=seed,
// shuffle=True): perm = permutation(n), test = perm[:n_test],
// train = perm[n_test:].
func ShuffleSplit(n int, testSize float64, seed uint32) (train, test []int, err error) {
	nTrain, nTest, err := testCount("train_test_split", n, testSize)
	if err != nil {
		return nil, nil, err
	}
	p := numpyrand.New(seed).Permutation(n)
	return p[nTest : nTest+nTrain], p[:nTest], nil
}

// Fold is one cross-validation split; both index lists are ascending.
type Fold struct{ Train, Test []int }

// StratifiedKFoldLabels returns, for every sample, the test fold it
// belongs to under StratifiedKFold(n_splits=k, shuffle=False)
// (_make_test_folds).
func StratifiedKFoldLabels(y []int64, k int) ([]int, error) {
	const fn = "StratifiedKFold"
	if k < 2 {
		return nil, &splitError{fn, fmt.Sprintf("k-fold cross-validation requires at least one train/test split by setting n_splits=2 or more, got n_splits=%d", k)}
	}
	if k > len(y) {
		return nil, &splitError{fn, fmt.Sprintf("cannot have number of splits n_splits=%d greater than the number of samples: n_samples=%d", k, len(y))}
	}
	// Codes by order of first appearance.
	code := map[int64]int{}
	enc := make([]int, len(y))
	var counts []int
	for i, v := range y {
		c, ok := code[v]
		if !ok {
			c = len(counts)
			code[v] = c
			counts = append(counts, 0)
		}
		enc[i] = c
		counts[c]++
	}
	if len(counts) > 0 && slices.Max(counts) < k {
		return nil, &splitError{fn, fmt.Sprintf("n_splits=%d cannot be greater than the number of members in each class", k)}
	}
	order := slices.Clone(enc)
	sort.Ints(order)
	// alloc[f][c] = occurrences of c in order[f::k].
	alloc := make([][]int, k)
	for f := range alloc {
		alloc[f] = make([]int, len(counts))
		for i := f; i < len(order); i += k {
			alloc[f][order[i]]++
		}
	}
	// Each class's samples, in index order, get consecutive fold blocks.
	fold := make([]int, len(y))
	next := make([]int, len(counts)) // current fold per class
	used := make([]int, len(counts)) // samples already placed in that fold
	for i, c := range enc {
		for used[c] == alloc[next[c]][c] {
			next[c]++
			used[c] = 0
		}
		fold[i] = next[c]
		used[c]++
	}
	return fold, nil
}

// StratifiedKFold returns the k splits of StratifiedKFold(n_splits=k,
// shuffle=False).split(X, y), in fold order, each with ascending Train and
// Test. A class with fewer than k members is allowed (scikit-learn only
// warns); see StratifiedKFoldCheck.
func StratifiedKFold(y []int64, k int) ([]Fold, error) {
	labels, err := StratifiedKFoldLabels(y, k)
	if err != nil {
		return nil, err
	}
	folds := make([]Fold, k)
	for i, f := range labels {
		for j := range folds {
			if j == f {
				folds[j].Test = append(folds[j].Test, i)
			} else {
				folds[j].Train = append(folds[j].Train, i)
			}
		}
	}
	return folds, nil
}

// StratifiedKFoldCheck returns a *FewMembersWarning when scikit-learn's
// StratifiedKFold(n_splits=k) would warn that the least populated class
// has fewer than k members, and nil otherwise.
func StratifiedKFoldCheck(y []int64, k int) error {
	_, members := classIndex(y)
	if len(members) == 0 {
		return nil
	}
	m := len(members[0])
	for _, ms := range members {
		m = min(m, len(ms))
	}
	if k > m {
		return &FewMembersWarning{MinMembers: m, K: k}
	}
	return nil
}

// PerClassSubsample draws perClass samples of every class without
// replacement. Definition (the natural numpy code for "num/10 random
// images per digit"):
//
//	out = []
//	for c in np.unique(y):                      # ascending
//	    idx_c = np.where(y == c)[0]             # ascending indices
//	    pick = rs.choice(len(idx_c), perClass, replace=False)
//	    out.extend(idx_c[pick])
//
// so each class consumes a full permutation of its members from rs, and
// the result lists class 0's picks (in draw order), then class 1's, and so
// on. A class with fewer than perClass members is an error.
func PerClassSubsample(y []int64, perClass int, rs *numpyrand.RandomState) ([]int, error) {
	if perClass < 0 {
		return nil, &splitError{"PerClassSubsample", "negative sample size"}
	}
	classes, members := classIndex(y)
	out := make([]int, 0, perClass*len(classes))
	for k, m := range members {
		if perClass > len(m) {
			return nil, &splitError{"PerClassSubsample", fmt.Sprintf("class %d has %d members, cannot take %d without replacement", classes[k], len(m), perClass)}
		}
		for _, p := range rs.Choice(len(m), perClass) {
			out = append(out, m[p])
		}
	}
	return out, nil
}
