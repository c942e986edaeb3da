//go:build linux || android || openbsd || dragonfly || solaris || illumos

package pipeline

import "syscall"

func statCtime(st *syscall.Stat_t) int64 { return st.Ctim.Nano() }
