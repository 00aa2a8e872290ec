//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package profile

import (
	"os"
	"syscall"
)

// lock takes an exclusive flock on the directory (no lock file is left behind); the kernel drops
// it if b24 dies.
func lock(dir string) (unlock func(), err error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, &os.PathError{Op: "lock", Path: dir, Err: err}
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
