//go:build !unix

package pipeline

import "os"

// inode is unknown off Unix; size and mtime still guard the cache.
func inode(os.FileInfo) uint64 { return 0 }
