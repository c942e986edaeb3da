// Package atomicfile writes files so that a reader sees the old content or
// the new, never a part. It is the one helper for files hw1pipe writes
// outside the pipeline runner (the runner's lock file and hash cache,
// submit/, the formats' WriteFile conveniences). Stage outputs do not need
// it: a stage writes into the runner's temporary directory, and the runner
// renames its outputs into place only when the stage succeeds.
//
// The data goes to a temporary file in the destination's directory (so the
// final rename stays on one file system), is synced and closed, gets mode
// 0644, and only then is renamed over the destination. On any error the
// temporary file is removed and the destination is untouched. Errors name
// the destination path.
package atomicfile

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// WritePath calls fill with the name of a fresh, empty temporary file
// beside path and renames that file over path when fill returns nil. It is
// for writers that need a file name rather than an io.Writer (libhdf5).
func WritePath(path string, fill func(tmp string) error) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	tmp := f.Name()
	f.Close()
	defer func() {
		if err != nil {
			os.Remove(tmp)
			err = fmt.Errorf("write %s: %w", path, err)
		}
	}()
	if err = fill(tmp); err != nil {
		return err
	}
	if err = os.Chmod(tmp, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// Write streams fill's output, buffered, into path.
func Write(path string, fill func(w io.Writer) error) error {
	return WritePath(path, func(tmp string) error {
		f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_TRUNC, 0o644)
		if err != nil {
			return err
		}
		bw := bufio.NewWriterSize(f, 1<<16)
		err = fill(bw)
		if err == nil {
			err = bw.Flush()
		}
		if err == nil {
			err = f.Sync()
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		return err
	})
}

// WriteBytes writes b into path.
func WriteBytes(path string, b []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(b)
		return err
	})
}
