//go:build !unix

package treefs

import "os"

// open opens a file of the tree for reading, after a Stat has shown it is
// a regular file within the size limit (where O_NONBLOCK is not there to
// keep a special file from blocking the open).
func (f *FS) open(rel, shown string) (*os.File, error) {
	fi, err := f.root.Stat(rel)
	if err != nil {
		return nil, f.pathErr("reading", shown, err)
	}
	if err := readable(shown, fi, f.max); err != nil {
		return nil, err
	}
	file, err := f.root.Open(rel)
	if err != nil {
		return nil, f.pathErr("reading", shown, err)
	}
	return file, nil
}
