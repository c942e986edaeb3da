package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"sync"
)

// HashCache maps a file's (path, size, mtime, ctime, inode) to its sha256
// so that status checks do not re-read unchanged files. It is persisted
// as JSON in <outdir>/.hw1pipe/hashcache.json. It is safe for concurrent
// use.
//
// Like git, it trusts that a file whose size, mtime, ctime (both in
// nanoseconds) and inode are unchanged has unchanged content. The ctime
// is what makes that trust safe: anyone can put an mtime back (touch -d,
// os.Chtimes) after a same-size edit, but the kernel sets the ctime to
// the current time on every write, chmod or rename, and no system call
// sets it back.
type HashCache struct {
	path string

	mu      sync.Mutex
	entries map[string]cacheEntry
	dirty   bool
	onHash  func(path string)
}

type cacheEntry struct {
	CtimeNS int64  `json:"ctime_ns"`
	Inode   uint64 `json:"inode"`
	MtimeNS int64  `json:"mtime_ns"`
	SHA256  string `json:"sha256"`
	Size    int64  `json:"size"`
}

func (e cacheEntry) matches(fi fs.FileInfo) bool {
	return e.Size == fi.Size() && e.MtimeNS == fi.ModTime().UnixNano() && e.CtimeNS == ctime(fi) && e.Inode == inode(fi)
}

// OpenHashCache loads the cache persisted at path. A missing or unreadable
// cache file gives an empty cache: it only costs re-hashing.
func OpenHashCache(path string) *HashCache {
	c := &HashCache{path: path, entries: map[string]cacheEntry{}}
	if b, err := os.ReadFile(path); err == nil {
		if json.Unmarshal(b, &c.entries) != nil {
			c.entries = map[string]cacheEntry{}
		}
	}
	return c
}

// SetHashHook sets a function called with each path whose content is
// actually read and hashed (a cache miss). Tests use it to count reads.
func (c *HashCache) SetHashHook(fn func(path string)) {
	c.mu.Lock()
	c.onHash = fn
	c.mu.Unlock()
}

// Sum returns the hex sha256 of the file at path (absolute), reading it
// only when the cache has no entry matching its size, mtime, ctime and
// inode.
// A missing file gives an error satisfying errors.Is(err, fs.ErrNotExist).
func (c *HashCache) Sum(path string) (string, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return "", err
	}
	if !fi.Mode().IsRegular() {
		return "", fmt.Errorf("%s: not a regular file", path)
	}
	c.mu.Lock()
	e, ok := c.entries[path]
	hook := c.onHash
	c.mu.Unlock()
	if ok && e.matches(fi) {
		return e.SHA256, nil
	}
	if hook != nil {
		hook(path)
	}
	sum, err := hashFile(path)
	if err != nil {
		return "", err
	}
	// Record the stat taken before reading: if the file changed while
	// being read, the next check sees a different ctime and re-hashes.
	c.put(path, fi, sum)
	return sum, nil
}

// record stores sum for the file now at path without reading it; the
// runner calls it after renaming an output it has already hashed.
func (c *HashCache) record(path, sum string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	c.put(path, fi, sum)
	return nil
}

func (c *HashCache) put(path string, fi fs.FileInfo, sum string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[path] = cacheEntry{CtimeNS: ctime(fi), Inode: inode(fi), MtimeNS: fi.ModTime().UnixNano(), SHA256: sum, Size: fi.Size()}
	c.dirty = true
}

// Save writes the cache back atomically if it changed, dropping entries
// for files that no longer exist.
func (c *HashCache) Save() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.dirty {
		return nil
	}
	for p := range c.entries {
		if _, err := os.Stat(p); errors.Is(err, fs.ErrNotExist) {
			delete(c.entries, p)
		}
	}
	b, err := json.MarshalIndent(c.entries, "", "  ")
	if err != nil {
		return err
	}
	if err := writeFileAtomic(c.path, append(b, '\n')); err != nil {
		return fmt.Errorf("pipeline: save hash cache: %w", err)
	}
	c.dirty = false
	return nil
}

func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("read %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
