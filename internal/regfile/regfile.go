// Package regfile opens files that hw1pipe reads but did not write (a
// submission folder, a file given to `hw1pipe inspect`) so that a hostile
// path cannot block or flood the reader: only regular files are read, and
// never more bytes than they had when opened.
//
// A named pipe opened for reading blocks until a writer appears, and a
// character device such as /dev/zero never ends; a symlink to either looks
// like an ordinary name. Open looks at the target's type before opening,
// opens without blocking (O_NONBLOCK, which a regular file ignores), and
// checks the type of what it actually opened, so a pipe swapped in between
// the two steps is refused too.
package regfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"syscall"
)

// notRegularError reports a path that is not a regular file.
type notRegularError struct {
	Path string
	Mode fs.FileMode
}

func (e *notRegularError) Error() string {
	return fmt.Sprintf("%s is %s, not a regular file", e.Path, Kind(e.Mode))
}

// TooLargeError reports a file over the size its reader accepts.
type TooLargeError struct {
	Path      string
	Size, Max int64
}

func (e *TooLargeError) Error() string {
	return fmt.Sprintf("%s is %d bytes; files of this kind are read up to %d bytes", e.Path, e.Size, e.Max)
}

// Kind names a file type for messages: "a directory", "a named pipe
// (FIFO)", "a character device" ...
func Kind(m fs.FileMode) string {
	switch {
	case m.IsRegular():
		return "a regular file"
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeCharDevice != 0:
		return "a character device"
	case m&fs.ModeDevice != 0:
		return "a block device"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "an irregular file (" + m.Type().String() + ")"
}

// Open opens path for reading if it is (or links to) a regular file and
// returns it with its size at the time of opening. Anything else gives an
// error naming the path, without blocking.
func Open(path string) (*os.File, int64, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, 0, err
	}
	if !st.Mode().IsRegular() {
		return nil, 0, &notRegularError{Path: path, Mode: st.Mode()}
	}
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, 0, err
	}
	st, err = f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	if !st.Mode().IsRegular() {
		f.Close()
		return nil, 0, &notRegularError{Path: path, Mode: st.Mode()}
	}
	return f, st.Size(), nil
}

// OpenMax is Open for a file that must not exceed max bytes; a larger one
// gives a *TooLargeError.
func OpenMax(path string, max int64) (*os.File, int64, error) {
	f, size, err := Open(path)
	if err != nil {
		return nil, 0, err
	}
	if size > max {
		f.Close()
		return nil, 0, &TooLargeError{Path: path, Size: size, Max: max}
	}
	return f, size, nil
}

// ErrChanged is returned when a file grew or shrank while it was read.
var ErrChanged = errors.New("file changed while it was read")

// ReadFile reads the regular file at path, of at most max bytes. It reads
// exactly the size the file had when opened: a file that grows meanwhile
// does not make it read on.
func ReadFile(path string, max int64) ([]byte, error) {
	f, size, err := OpenMax(path, max)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b := make([]byte, size)
	if _, err := io.ReadFull(f, b); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: %w", path, ErrChanged)
		}
		return nil, err
	}
	return b, nil
}
