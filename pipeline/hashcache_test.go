package pipeline

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestHashCache(t *testing.T) {
	sum := func(s string) string { h := sha256.Sum256([]byte(s)); return hex.EncodeToString(h[:]) }
	past := time.Now().Add(-time.Hour)
	tests := []struct {
		name   string
		change func(path string) error
		want   string
		reads  int // content reads by a cache reopened after the first Sum
	}{
		{name: "unchanged", change: func(string) error { return nil }, want: sum("abc")},
		{name: "touched", change: func(p string) error { return os.Chtimes(p, past, past) }, want: sum("abc"), reads: 1},
		{name: "same size, new mtime", change: func(p string) error {
			if err := os.WriteFile(p, []byte("xyz"), 0o644); err != nil {
				return err
			}
			return os.Chtimes(p, past, past)
		}, want: sum("xyz"), reads: 1},
		{name: "same size, mtime put back", change: func(p string) error {
			// Issue 12, finding 4: only the ctime tells this edit.
			return editKeepTimes(p, "xyz")
		}, want: sum("xyz"), reads: 1},
		{name: "chmod", change: func(p string) error { return os.Chmod(p, 0o600) }, want: sum("abc"), reads: 1},
		{name: "replaced (new inode)", change: func(p string) error {
			fi, _ := os.Stat(p)
			tmp := p + ".new"
			os.WriteFile(tmp, []byte("def"), 0o644)
			os.Chtimes(tmp, fi.ModTime(), fi.ModTime())
			return os.Rename(tmp, p)
		}, want: sum("def"), reads: 1},
		{name: "corrupt cache file", change: func(p string) error {
			return os.WriteFile(filepath.Join(filepath.Dir(p), "cache.json"), []byte("{nope"), 0o644)
		}, want: sum("abc"), reads: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "f")
			os.WriteFile(path, []byte("abc"), 0o644)
			c := OpenHashCache(filepath.Join(dir, "cache.json"))
			if got, err := c.Sum(path); err != nil || got != sum("abc") {
				t.Fatalf("first Sum = %s, %v", got, err)
			}
			if err := c.Save(); err != nil {
				t.Fatal(err)
			}
			if err := tt.change(path); err != nil {
				t.Fatal(err)
			}
			c = OpenHashCache(filepath.Join(dir, "cache.json"))
			reads := 0
			c.SetHashHook(func(string) { reads++ })
			got, err := c.Sum(path)
			if err != nil || got != tt.want {
				t.Errorf("Sum = %s, %v; want %s", got, err, tt.want)
			}
			if reads != tt.reads {
				t.Errorf("%d content reads, want %d", reads, tt.reads)
			}
		})
	}
}

func TestHashCacheMissing(t *testing.T) {
	dir := t.TempDir()
	c := OpenHashCache(filepath.Join(dir, "cache.json"))
	if _, err := c.Sum(filepath.Join(dir, "nope")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("err = %v, want fs.ErrNotExist", err)
	}
	if _, err := c.Sum(dir); err == nil {
		t.Error("hashing a directory: no error")
	}
	// Entries of deleted files are dropped on Save.
	p := filepath.Join(dir, "f")
	os.WriteFile(p, []byte("x"), 0o644)
	c.Sum(p)
	os.Remove(p)
	c.Save()
	if b, _ := os.ReadFile(filepath.Join(dir, "cache.json")); string(b) != "{}\n" {
		t.Errorf("cache file %q, want {}", b)
	}
}

// editKeepTimes rewrites the file at path with content of the same size
// and puts its mtime back, as a user hiding an edit would, then checks
// that size, mtime and inode are indeed unchanged. The kernel stamps the
// ctime from a clock that ticks every few milliseconds, so an edit within
// the tick of the previous change keeps the ctime too; that never happens
// to a human's edit, so editKeepTimes redoes the edit until the ctime
// moves instead of letting the test depend on the tick.
func editKeepTimes(path, content string) error {
	before, err := os.Stat(path)
	if err != nil {
		return err
	}
	if int64(len(content)) != before.Size() {
		return fmt.Errorf("%s: %d bytes, want %d", path, len(content), before.Size())
	}
	for {
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			return err
		}
		if err := os.Chtimes(path, before.ModTime(), before.ModTime()); err != nil {
			return err
		}
		after, err := os.Stat(path)
		if err != nil {
			return err
		}
		if after.Size() != before.Size() || !after.ModTime().Equal(before.ModTime()) || inode(after) != inode(before) {
			return fmt.Errorf("%s: size, mtime or inode changed", path)
		}
		if ctime(after) != ctime(before) {
			return nil
		}
		time.Sleep(time.Millisecond)
	}
}
