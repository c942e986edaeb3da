package verify

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"hw1pipe/internal/regfile"
)

// Status is the outcome of one check.
type Status int

const (
	// Pass: the check ran and the file is right.
	Pass Status = iota
	// Fail: the file is missing, extra, unreadable or wrong.
	Fail
	// NotBuilt: this binary lacks the reader (linear.h5 without the hdf5
	// build tag). Not a failure, and never a pass.
	NotBuilt
	// Skipped: the check could not run here (no reference Python, or it
	// lacks the module the file needs). Not a failure.
	Skipped
)

func (s Status) String() string {
	switch s {
	case Pass:
		return "PASS"
	case Fail:
		return "FAIL"
	case NotBuilt:
		return "NOT BUILT"
	case Skipped:
		return "SKIP"
	}
	return fmt.Sprintf("Status(%d)", int(s))
}

// Format says what a deliverable holds, and so how it is checked.
type Format int

const (
	// FloatList is a pickled Python list of Len Python floats.
	FloatList Format = iota
	// SklearnSVM is a pickled fitted SVC or GridSearchCV.
	SklearnSVM
	// TorchStateDict is a torch.save state_dict of Net(fc1=Linear(784,10)).
	TorchStateDict
	// LinearH5 is an HDF5 file with group instance, attributes w and b.
	LinearH5
)

// Deliverable is one file the autograder takes.
type Deliverable struct {
	// Assignment is the Gradescope assignment and the folder holding the
	// file: "problem1" or "problem3".
	Assignment string
	// Name is the exact file name.
	Name   string
	Format Format
	// Len is the number of floats of a FloatList; zero otherwise.
	Len int
}

// Path is the deliverable's slash-separated path in a submission folder.
func (d Deliverable) Path() string { return d.Assignment + "/" + d.Name }

// Training and validation curve lengths (Problem 3 f, g, docs/homework.md#problem-3-training-and-validation).
const (
	TrainingLen   = 10000
	ValidationLen = 11
)

// Deliverables returns every file the autograder takes, problem1's first,
// in a fixed order. The slice is new on each call.
func Deliverables() []Deliverable {
	d := []Deliverable{{Assignment: "problem1", Name: "grid_search_svm.pkl", Format: SklearnSVM}}
	for _, net := range []string{"self_NN", "pytorch_NN"} {
		for _, split := range []string{"training", "validation"} {
			n := TrainingLen
			if split == "validation" {
				n = ValidationLen
			}
			for _, what := range []string{"loss", "error"} {
				d = append(d, Deliverable{Assignment: "problem3", Name: net + "_" + split + "_" + what + ".pkl", Format: FloatList, Len: n})
			}
		}
	}
	return append(d,
		Deliverable{Assignment: "problem3", Name: "linear.h5", Format: LinearH5},
		Deliverable{Assignment: "problem3", Name: "pytorch_nn_weights.pth", Format: TorchStateDict},
	)
}

// Assignments returns the Gradescope assignments in order: "problem1",
// "problem3".
func Assignments() []string { return []string{"problem1", "problem3"} }

// Result is the outcome of one check of one file.
type Result struct {
	// Path is slash-separated, relative to the submission folder.
	Path string
	// Checker is "file" (presence, extra files), "go", "python" or "zip".
	Checker string
	Status  Status
	// Detail says what was found (Pass) or what is wrong (Fail), or why
	// the check did not run.
	Detail string
}

// Report is what Dir found, in a stable order: each deliverable's checks
// in Deliverables order, then unexpected files, then the zips.
type Report struct {
	Dir     string
	Results []Result
}

// Failed returns the failed checks.
func (r *Report) Failed() []Result {
	var out []Result
	for _, x := range r.Results {
		if x.Status == Fail {
			out = append(out, x)
		}
	}
	return out
}

// Err returns an error naming the failed files, or nil.
func (r *Report) Err() error {
	f := r.Failed()
	if len(f) == 0 {
		return nil
	}
	e := &failedError{Dir: r.Dir}
	for _, x := range f {
		if !slices.Contains(e.Paths, x.Path) {
			e.Paths = append(e.Paths, x.Path)
		}
	}
	return e
}

// failedError reports a submission folder that would not pass the
// autograder.
type failedError struct {
	Dir string
	// Paths are the failing files, slash-separated, relative to Dir.
	Paths []string
}

func (e *failedError) Error() string {
	return fmt.Sprintf("verify: %s: %d file(s) failed: %s", e.Dir, len(e.Paths), strings.Join(e.Paths, ", "))
}

// Options tune Dir. A nil *Options means the zero value.
type Options struct {
	// Python is the reference interpreter. Empty means $HW1PIPE_PYTHON,
	// else /usr/bin/python3.
	Python string
	// NoPython skips the Python checks (reported as Skipped).
	NoPython bool
	// PythonTimeout bounds the Python checker's run over the whole
	// folder. Zero means DefaultPythonTimeout.
	PythonTimeout time.Duration
	// Classes is the number of classes grid_search_svm.pkl must know.
	// Zero means 10 (the digits).
	Classes int
}

// DefaultPython is the interpreter used when neither Options.Python nor
// $HW1PIPE_PYTHON is set: Debian's, not a pyenv shim earlier in PATH.
const DefaultPython = "/usr/bin/python3"

// Dir checks the submission folder dir. It returns an error only when dir
// itself cannot be read; everything wrong inside it is a failed Result
// (see Report.Err).
func Dir(ctx context.Context, dir string, opt *Options) (*Report, error) {
	var o Options
	if opt != nil {
		o = *opt
	}
	if o.Classes == 0 {
		o.Classes = 10
	}
	st, err := os.Stat(dir)
	if err != nil {
		return nil, fmt.Errorf("verify: %w", err)
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("verify: %s is not a folder", dir)
	}
	rep := &Report{Dir: dir}
	var present []Deliverable
	for _, d := range Deliverables() {
		p := filepath.Join(dir, filepath.FromSlash(d.Path()))
		fi, err := os.Stat(p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			rep.add(d.Path(), "file", Fail, "missing")
			continue
		case err != nil:
			rep.add(d.Path(), "file", Fail, err.Error())
			continue
		case !fi.Mode().IsRegular():
			rep.add(d.Path(), "file", Fail, "not a regular file")
			continue
		}
		present = append(present, d)
	}
	goRes := map[string]Result{}
	for _, d := range present {
		goRes[d.Path()] = checkGo(dir, d, &o)
	}
	pyRes := checkPython(ctx, dir, present, &o)
	for _, d := range present {
		rep.Results = append(rep.Results, goRes[d.Path()])
		if r, ok := pyRes[d.Path()]; ok {
			rep.Results = append(rep.Results, r)
		} else {
			rep.add(d.Path(), "python", Fail, "check.py reported nothing for this file")
		}
	}
	rep.extras(dir)
	rep.zips(dir)
	return rep, nil
}

func (r *Report) add(p, checker string, s Status, detail string) {
	r.Results = append(r.Results, Result{Path: p, Checker: checker, Status: s, Detail: detail})
}

// extras fails every entry of the assignment folders that the autograder
// does not take.
func (r *Report) extras(dir string) {
	want := map[string]bool{}
	for _, d := range Deliverables() {
		want[d.Path()] = true
	}
	for _, a := range Assignments() {
		ents, err := os.ReadDir(filepath.Join(dir, a))
		if err != nil {
			continue // a missing folder already failed its files
		}
		for _, e := range ents {
			p := a + "/" + e.Name()
			if want[p] {
				continue
			}
			what := "unexpected file"
			if e.IsDir() {
				what = "unexpected folder"
			}
			r.add(p, "file", Fail, what+": Gradescope takes exactly the "+a+" deliverables")
		}
	}
}

// zips checks problemN.zip, when present, against problemN/: the same
// files at the archive's root with the same bytes.
func (r *Report) zips(dir string) {
	for _, a := range Assignments() {
		zp := filepath.Join(dir, a+".zip")
		if _, err := os.Stat(zp); err != nil {
			continue
		}
		if detail, err := checkZip(zp, filepath.Join(dir, a), a); err != nil {
			r.add(a+".zip", "zip", Fail, err.Error())
		} else {
			r.add(a+".zip", "zip", Pass, detail)
		}
	}
}

// maxZipSize bounds problemN.zip: its entries are the deliverables,
// each compared with its counterpart in problemN/.
const maxZipSize = 128 << 20

func checkZip(zp, folder, assignment string) (string, error) {
	// The zip must be a regular file: a FIFO would block the reader.
	zf, size, err := regfile.OpenMax(zp, maxZipSize)
	if err != nil {
		return "", err
	}
	defer zf.Close()
	zr, err := zip.NewReader(zf, size)
	if err != nil {
		return "", fmt.Errorf("not a readable zip: %v", err)
	}
	var want []string
	for _, d := range Deliverables() {
		if d.Assignment == assignment {
			want = append(want, d.Name)
		}
	}
	var got []string
	for _, f := range zr.File {
		if slices.Contains(got, f.Name) {
			return "", fmt.Errorf("entry %q appears twice", f.Name)
		}
		got = append(got, f.Name)
		if path.Base(f.Name) != f.Name {
			return "", fmt.Errorf("entry %q is not at the archive's root", f.Name)
		}
		if !slices.Contains(want, f.Name) {
			return "", fmt.Errorf("unexpected entry %q", f.Name)
		}
		disk, err := regfile.ReadFile(filepath.Join(folder, f.Name), maxZipSize)
		if err != nil {
			return "", fmt.Errorf("entry %s has no readable counterpart in %s/: %v", f.Name, assignment, err)
		}
		if f.UncompressedSize64 != uint64(len(disk)) {
			return "", fmt.Errorf("entry %s holds %d bytes, %s/%s %d", f.Name, f.UncompressedSize64, assignment, f.Name, len(disk))
		}
		rc, err := f.Open()
		if err != nil {
			return "", fmt.Errorf("entry %s: %v", f.Name, err)
		}
		// Decompress at most one byte more than the counterpart holds: a
		// zip bomb stops there, whatever its header claims.
		b, err := io.ReadAll(io.LimitReader(rc, int64(len(disk))+1))
		rc.Close()
		if err != nil {
			return "", fmt.Errorf("entry %s: %v", f.Name, err)
		}
		if !bytes.Equal(b, disk) {
			return "", fmt.Errorf("entry %s differs from %s/%s", f.Name, assignment, f.Name)
		}
	}
	for _, w := range want {
		if !slices.Contains(got, w) {
			return "", fmt.Errorf("entry %s missing", w)
		}
	}
	return fmt.Sprintf("entries at the root equal %s/ (%d)", assignment, len(got)), nil
}
