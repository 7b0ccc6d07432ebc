//go:build unix

package treefs

import (
	"os"
	"syscall"
)

// open opens a file of the tree for reading, without blocking: opening a
// FIFO waits for a writer unless O_NONBLOCK is given (which a regular
// file ignores). readBounded then refuses what is not a regular file.
// One open walks the path once, where a Stat before it would walk it
// twice.
func (f *FS) open(rel, shown string) (*os.File, error) {
	file, err := f.root.OpenFile(rel, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, f.pathErr("reading", shown, err)
	}
	return file, nil
}
