package main

import (
	"os"
	"syscall"
)

// allocated is the space a file takes on disk: LMDB files are sparse, so their
// length says little.
func allocated(path string) (int64, bool) {
	fi, err := os.Stat(path)
	if err != nil {
		return 0, false
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return st.Blocks * 512, true
	}
	return fi.Size(), true
}
