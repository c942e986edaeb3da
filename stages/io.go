package stages

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sync"

	"gonum.org/v1/gonum/mat"

	"hw1pipe/artifacts/npy"
	"hw1pipe/artifacts/pickle"
	"hw1pipe/artifacts/sklearn"
	"hw1pipe/results"
)

// readDense reads a 2-D float64 .npy file (n×d) into a matrix that owns the
// file's data.
func readDense(path string) (*mat.Dense, error) {
	a, err := npy.ReadFile(path)
	if err != nil {
		return nil, err // names the path
	}
	v, err := a.Float64s()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(a.Shape) != 2 || a.Shape[0] == 0 || a.Shape[1] == 0 {
		return nil, fmt.Errorf("read %s: want a non-empty 2-D array, got shape %v", path, a.Shape)
	}
	return mat.NewDense(a.Shape[0], a.Shape[1], v), nil
}

// readLabels reads a 1-D int64 .npy file.
func readLabels(path string) ([]int64, error) {
	a, err := npy.ReadFile(path)
	if err != nil {
		return nil, err
	}
	v, err := a.Int64s()
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(a.Shape) != 1 {
		return nil, fmt.Errorf("read %s: want a 1-D array, got shape %v", path, a.Shape)
	}
	return v, nil
}

// readXY reads a feature matrix and its labels and checks that they match.
func readXY(xPath, yPath string) (*mat.Dense, []int64, error) {
	x, err := readDense(xPath)
	if err != nil {
		return nil, nil, err
	}
	y, err := readLabels(yPath)
	if err != nil {
		return nil, nil, err
	}
	if n, _ := x.Dims(); n != len(y) {
		return nil, nil, fmt.Errorf("%s has %d rows but %s has %d labels", xPath, n, yPath, len(y))
	}
	return x, y, nil
}

// writeOutput writes path, a stage output, through fill. It writes in
// place: every output path a stage gets lies in the runner's temporary
// directory, and the runner renames outputs into place only after Run
// returns nil, so the runner is where outputs become atomic and a second
// temporary file here would only repeat it. The file is synced before it
// is closed, so what the runner renames and records is on disk.
func writeOutput(path string, fill func(w io.Writer) error) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err // names the path
	}
	defer func() {
		if cerr := f.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("write %s: %w", path, cerr)
		}
	}()
	bw := bufio.NewWriterSize(f, 1<<16)
	if err := fill(bw); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// writeNPY writes data of the given shape to path as a .npy array.
func writeNPY(path string, shape []int, data any) error {
	return writeOutput(path, func(w io.Writer) error { return npy.Write(w, shape, data) })
}

// writePickle pickles v with protocol 4 (pickle.dump's default) to path;
// nothing is written if v cannot be pickled.
func writePickle(path string, v any) error {
	b, err := pickle.Marshal(v)
	if err != nil {
		return err
	}
	return writeBytes(path, b)
}

// writeSklearn writes est's scikit-learn pickle to path; nothing is
// written if est is invalid.
func writeSklearn(path string, est sklearn.Estimator, opt *sklearn.Options) error {
	b, err := sklearn.Marshal(est, opt)
	if err != nil {
		return err
	}
	return writeBytes(path, b)
}

// writeResults writes one results document, encoded as results.Marshal
// encodes it.
func writeResults[T results.Doc](path string, v *T) error {
	b, err := results.Marshal(v)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return writeBytes(path, b)
}

// writeBytes writes b to path.
func writeBytes(path string, b []byte) error {
	return writeOutput(path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}

// pngWriter is what every figures value offers.
type pngWriter interface{ WritePNG(w io.Writer) error }

// writePNG renders fig to path.
func writePNG(path string, fig pngWriter) error {
	return writeOutput(path, fig.WritePNG)
}

// pngFile is one figure to render to a path.
type pngFile struct {
	path string
	fig  pngWriter
}

// writePNGs renders the figures concurrently (each is independent, and
// rasterising a 10,000-point curve takes a core for a few hundred
// milliseconds) and returns the first error in argument order.
func writePNGs(files ...pngFile) error {
	errs := make([]error, len(files))
	var wg sync.WaitGroup
	for i, f := range files {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = writePNG(f.path, f.fig)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// writeText writes s to path.
func writeText(path, s string) error {
	return writeOutput(path, func(w io.Writer) error {
		_, err := io.WriteString(w, s)
		return err
	})
}

// readJSON decodes the JSON file at path into v, naming the file on error.
func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("read %s: %w", path, err)
	}
	return nil
}
