//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package profile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// lock creates a lock file in dir exclusively, waiting up to lockWait for another b24 to remove it. A lock
// older than staleLock was left by a b24 that died, and is taken over.
func lock(dir string) (unlock func(), err error) {
	path := filepath.Join(dir, FileName+".lock")
	deadline := time.Now().Add(lockWait)
	for {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
		if err == nil {
			f.Close()
			return func() { os.Remove(path) }, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, err
		}
		if fi, serr := os.Stat(path); serr == nil && time.Since(fi.ModTime()) > staleLock {
			os.Remove(path)
			continue
		}
		if time.Now().After(deadline) {
			return nil, fmt.Errorf("%s: another b24 holds the lock; remove the file if no b24 runs", path)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

const (
	lockWait  = 10 * time.Second
	staleLock = 30 * time.Second
)
