package pipeline

import (
	"os"
	"path/filepath"

	"hw1pipe/internal/atomicfile"
)

// writeFileAtomic writes data beside path and renames it over path, so
// readers (and a crash) see the old or the new content, never a mix.
func writeFileAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return atomicfile.WriteBytes(path, data)
}
