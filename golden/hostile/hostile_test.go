package hostile

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"syscall"
	"testing"
	"time"

	"hw1pipe/artifacts/h5"
)

// Bounds every run of the binary must keep on one hostile file.
const (
	maxRSSKB = 256 << 10 // peak resident memory
	asLimit  = 2 << 30   // address space (ulimit -v), a backstop for the RSS check
	timeout  = 10 * time.Second
)

// buildBinary builds cmd/hw1pipe with the tags this test was built with,
// or returns $HW1PIPE_HOSTILE_BIN (to measure another build).
func buildBinary(t *testing.T) string {
	if b := os.Getenv("HW1PIPE_HOSTILE_BIN"); b != "" {
		return b
	}
	bin := filepath.Join(t.TempDir(), "hw1pipe")
	args := []string{"build", "-o", bin}
	if h5.Built {
		args = append(args, "-tags", "hdf5")
	}
	cmd := exec.Command("go", append(args, "hw1pipe/cmd/hw1pipe")...)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("go build: %v", err)
	}
	return bin
}

type outcome struct {
	code   int
	rssKB  int64
	wall   time.Duration
	out    string
	killed bool
}

// run runs bin with args in dir under the memory limit and the timeout.
func run(t *testing.T, dir, bin string, args ...string) outcome {
	// The child's peak RSS starts from this process's: os/exec starts it
	// with vfork, sharing this memory until exec. Return what can be
	// returned and reset the peak (Linux 4.0+) so it measures the child.
	debug.FreeOSMemory()
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	// ulimit -v takes KiB; exec keeps the limit for the binary itself.
	sh := fmt.Sprintf(`ulimit -v %d && exec "$@"`, asLimit>>10)
	cmd := exec.CommandContext(ctx, "/bin/sh", append([]string{"-c", sh, "sh", bin}, args...)...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	o := outcome{wall: time.Since(start), out: out.String(), killed: ctx.Err() != nil}
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("%v: %v", args, err)
	}
	o.code = cmd.ProcessState.ExitCode()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		o.rssKB = ru.Maxrss
	}
	return o
}

// snapshot lists every path under dir with its type, size and mtime.
func snapshot(t *testing.T, dir string) string {
	var b strings.Builder
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s %v %d %d\n", p, info.Mode(), info.Size(), info.ModTime().UnixNano())
		return nil
	})
	return b.String()
}

// TestHostileFiles runs `hw1pipe inspect FILE` and `hw1pipe verify
// --no-python DIR` on every hostile file: each run must end within the
// timeout and memory bounds with a clean error (exit 1 or 2, a message,
// no Go panic or runtime crash) and change nothing.
//
// HW1PIPE_HOSTILE_REPORT=1 logs exit code, peak RSS, time and message of
// every run; with HW1PIPE_HOSTILE_BIN=path it measures that binary
// instead (e.g. an older build) and asserts nothing.
func TestHostileFiles(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("needs Linux (rusage, FIFOs, /dev/zero)")
	}
	if testing.Short() {
		t.Skip("builds the binary and makes 2 GiB of zip bombs' worth of work")
	}
	bin := buildBinary(t)
	measureOnly := os.Getenv("HW1PIPE_HOSTILE_BIN") != ""
	report := measureOnly || os.Getenv("HW1PIPE_HOSTILE_REPORT") != ""
	root := t.TempDir()
	cases, err := Write(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		c.Data = nil // let the big contents go before measuring
	}
	for _, c := range cases {
		dir := filepath.Join(root, c.Name)
		file := filepath.Join(dir, filepath.FromSlash(c.Path))
		cmds := [][]string{{"inspect", file}}
		if !strings.HasSuffix(c.Path, ".npy") {
			cmds = append(cmds, []string{"verify", "--no-python", dir})
		}
		for _, args := range cmds {
			t.Run(c.Name+"/"+args[0], func(t *testing.T) {
				cwd := t.TempDir()
				before := snapshot(t, dir)
				o := run(t, cwd, bin, args...)
				msg := firstLine(o.out, c.Path)
				if report {
					t.Logf("exit %d, peak RSS %d MB, %.2fs: %s", o.code, o.rssKB>>10, o.wall.Seconds(), msg)
				}
				if measureOnly {
					return
				}
				switch {
				case o.killed:
					t.Errorf("still running after %v", timeout)
				case o.code == 0 && c.Describable && args[0] == "inspect":
				case o.code != 1 && o.code != 2:
					t.Errorf("exit code %d, want 1 or 2; output:\n%s", o.code, clip(o.out))
				case o.rssKB > maxRSSKB:
					t.Errorf("peak RSS %d MB > %d MB", o.rssKB>>10, maxRSSKB>>20)
				}
				for _, bad := range []string{"panic:", "fatal error:", "goroutine "} {
					if strings.Contains(o.out, bad) {
						t.Errorf("output has %q:\n%s", bad, clip(o.out))
					}
				}
				if o.code != 0 && !strings.Contains(o.out, "hw1pipe:") && !strings.Contains(o.out, "FAIL") {
					t.Errorf("no error message:\n%s", clip(o.out))
				}
				if after := snapshot(t, dir); after != before {
					t.Errorf("the case's folder changed:\nbefore:\n%s\nafter:\n%s", before, after)
				}
				if ents, _ := os.ReadDir(cwd); len(ents) > 0 {
					t.Errorf("created %s in the working directory", ents[0].Name())
				}
			})
		}
	}
}

// firstLine picks the line of output that names the hostile file (verify
// prints one per file), else the first.
func firstLine(out, path string) string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	for _, l := range lines {
		if strings.Contains(l, path) && (strings.HasPrefix(l, "FAIL") || strings.HasPrefix(l, "hw1pipe:")) {
			return clip(l)
		}
	}
	for _, l := range lines {
		if strings.Contains(l, filepath.Base(path)) {
			return clip(l)
		}
	}
	return clip(lines[0])
}

func clip(s string) string {
	if len(s) > 400 {
		return s[:400] + "..."
	}
	return s
}

// TestSignalEndsVerify sends one SIGTERM to `hw1pipe verify` while its
// Python checker hangs: verify must exit at once, and take the checker
// with it.
func TestSignalEndsVerify(t *testing.T) {
	if runtime.GOOS != "linux" || testing.Short() {
		t.Skip("needs Linux and the built binary")
	}
	bin := buildBinary(t)
	dir := t.TempDir()
	sub := filepath.Join(dir, "submit")
	os.MkdirAll(filepath.Join(sub, "problem3"), 0o755)
	os.WriteFile(filepath.Join(sub, filepath.FromSlash(curve)), floatList(10000), 0o644)
	pidFile := filepath.Join(dir, "py.pid")
	py := filepath.Join(dir, "python")
	os.WriteFile(py, []byte("#!/bin/sh\necho $$ > "+pidFile+"\nexec sleep 600\n"), 0o755)
	cmd := exec.Command(bin, "verify", "--python", py, sub)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 300; i++ { // the checker started: verify is waiting on it
		if b, _ := os.ReadFile(pidFile); len(b) > 0 {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(timeout):
		cmd.Process.Kill()
		t.Fatalf("verify still running %v after SIGTERM; output:\n%s", timeout, out.String())
	}
	if code := cmd.ProcessState.ExitCode(); code != 1 || !strings.Contains(out.String(), "interrupted") {
		t.Errorf("exit %d, want 1 with \"interrupted\"; output:\n%s", code, out.String())
	}
	b, _ := os.ReadFile(pidFile)
	var pid int
	fmt.Sscan(string(b), &pid)
	if pid > 0 && alive(pid) {
		syscall.Kill(pid, syscall.SIGKILL)
		t.Errorf("the Python checker (pid %d) outlived verify", pid)
	}
}

// alive reports whether pid runs (a zombie waiting to be reaped does not).
func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	return i < 0 || i+2 >= len(s) || (s[i+2] != 'Z' && s[i+2] != 'X')
}
