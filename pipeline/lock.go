package pipeline

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// lockVersion is the lock file's format version.
const lockVersion = 1

// Lock is the content of <outdir>/.hw1pipe/lock.json: what each stage's
// last successful run saw and wrote. Struct fields are declared in
// alphabetical order of their JSON names and maps are written sorted, so
// the file's keys are sorted throughout.
type Lock struct {
	Stages  map[string]*LockEntry `json:"stages"`
	Version int                   `json:"version"`
}

// LockEntry records one successful run of a stage.
type LockEntry struct {
	// DurationMS is how long the run took, in milliseconds.
	DurationMS int64 `json:"duration_ms"`
	// Finished is when the run's outputs were renamed into place.
	Finished time.Time `json:"finished"`
	// Inputs maps input keys to what was read.
	Inputs map[string]FileHash `json:"inputs"`
	// Kind and KindVersion name the code that ran.
	Kind        string `json:"kind"`
	KindVersion string `json:"kind_version"`
	// Outputs maps output keys to what was written.
	Outputs map[string]FileHash `json:"outputs"`
	// Params are the canonical params the run used.
	Params Params `json:"params"`
}

// FileHash names a file and its content's sha256 (hex). Path is as
// written in pipeline.yaml and only informative: staleness compares
// hashes.
type FileHash struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
}

// lockFile is the lock file on disk; set rewrites it atomically after each
// successful stage. It is safe for concurrent use.
type lockFile struct {
	path string
	mu   sync.Mutex
	lock Lock
}

// readLock loads the lock file at path; a missing file is an empty lock.
func readLock(path string) (*lockFile, error) {
	lf := &lockFile{path: path, lock: Lock{Stages: map[string]*LockEntry{}, Version: lockVersion}}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return lf, nil
	}
	if err != nil {
		return nil, fmt.Errorf("pipeline: read lock: %w", err)
	}
	var l Lock
	if err := json.Unmarshal(b, &l); err != nil {
		return nil, fmt.Errorf("pipeline: lock file %s is corrupt (delete it to rerun everything): %w", path, err)
	}
	if l.Version != lockVersion {
		return nil, fmt.Errorf("pipeline: lock file %s has version %d, want %d (delete it to rerun everything)", path, l.Version, lockVersion)
	}
	if l.Stages == nil {
		l.Stages = map[string]*LockEntry{}
	}
	lf.lock = l
	return lf, nil
}

// entry returns the stage's entry, or nil when it never ran successfully.
func (lf *lockFile) entry(stage string) *LockEntry {
	lf.mu.Lock()
	defer lf.mu.Unlock()
	return lf.lock.Stages[stage]
}

// set records a successful run and rewrites the file atomically.
func (lf *lockFile) set(stage string, e *LockEntry) error {
	lf.mu.Lock()
	defer lf.mu.Unlock()
	old, had := lf.lock.Stages[stage]
	lf.lock.Stages[stage] = e
	b, err := json.MarshalIndent(&lf.lock, "", "  ")
	if err == nil {
		err = writeFileAtomic(lf.path, append(b, '\n'))
	}
	if err != nil {
		if had {
			lf.lock.Stages[stage] = old
		} else {
			delete(lf.lock.Stages, stage)
		}
		return fmt.Errorf("pipeline: write lock: %w", err)
	}
	return nil
}

// ReadLock returns the lock of p's last runs; stages that never ran
// successfully have no entry.
func (p *Pipeline) ReadLock() (*Lock, error) {
	lf, err := readLock(p.lockPath())
	if err != nil {
		return nil, err
	}
	return &lf.lock, nil
}

func (p *Pipeline) lockPath() string { return filepath.Join(p.StateDir(), "lock.json") }

// OpenHashCache opens p's hash cache, <outdir>/.hw1pipe/hashcache.json.
func (p *Pipeline) OpenHashCache() *HashCache {
	return OpenHashCache(filepath.Join(p.StateDir(), "hashcache.json"))
}
