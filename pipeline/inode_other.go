//go:build !unix

package pipeline

import "os"

// inode is unknown off Unix; size and mtime still guard the cache.
func inode(os.FileInfo) uint64 { return 0 }

// ctime is unknown off Unix (Windows has no status-change time).
func ctime(os.FileInfo) int64 { return 0 }
