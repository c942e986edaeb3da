package pickle

import (
	"os"
	"path/filepath"
)

// WriteFile pickles v with protocol 4 (pickle.dump's default) into path.
// The pickle goes to a temporary file in the same directory that is
// renamed over path only when complete, so a bad value or a failed write
// leaves no file behind.
func WriteFile(path string, v any) error {
	b, err := Marshal(v)
	if err != nil {
		return err
	}
	return writeFileAtomic(path, b)
}

func writeFileAtomic(path string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	if _, err = f.Write(b); err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}
