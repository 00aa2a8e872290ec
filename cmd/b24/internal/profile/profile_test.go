package profile

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

func TestStoreRoundTrip(t *testing.T) {
	s := Store{Dir: filepath.Join(t.TempDir(), "b24")}
	f, err := s.Load()
	if err != nil || len(f.Profiles) != 0 {
		t.Fatalf("missing file: %v, %+v", err, f)
	}
	err = s.Update(func(f *File) error {
		f.Profiles["work"] = &Profile{Kind: Webhook, URL: "https://work.bitrix24.ru/rest/1/s3cr3t"}
		f.Profiles["app"] = &Profile{Kind: OAuth, Portal: "https://app.bitrix24.ru", ClientID: "local.1",
			ClientSecret: "cs", AccessToken: "at", RefreshToken: "rt", Expires: 42}
		f.Current = "work"
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	f, err = s.Load()
	if err != nil {
		t.Fatal(err)
	}
	if f.Current != "work" || len(f.Profiles) != 2 || f.Profiles["app"].Expires != 42 || f.Profiles["work"].Host() != "work.bitrix24.ru" {
		t.Errorf("loaded %+v", f)
	}
	if got := strings.Join(f.Names(), ","); got != "app,work" {
		t.Errorf("names %s", got)
	}
	if runtime.GOOS == "windows" {
		return
	}
	for path, want := range map[string]os.FileMode{s.Path(): 0o600, s.Dir: 0o700} {
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != want {
			t.Errorf("%s: mode %04o, want %04o", path, fi.Mode().Perm(), want)
		}
	}
	// No temporary file is left behind.
	entries, _ := os.ReadDir(s.Dir)
	for _, e := range entries {
		if e.Name() != FileName {
			t.Errorf("left in the directory: %s", e.Name())
		}
	}
}

func TestStoreRefusesOpenFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Log("Windows has no group/other permission bits; the check does not apply")
		return
	}
	s := Store{Dir: t.TempDir()}
	if err := s.Update(func(f *File) error {
		f.Profiles["x"] = &Profile{Kind: Webhook, URL: "https://x.bitrix24.ru/rest/1/s3cr3t"}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, mode := range []os.FileMode{0o644, 0o640, 0o606} {
		os.Chmod(s.Path(), mode)
		_, err := s.Load()
		var me *ModeError
		if !errors.As(err, &me) {
			t.Fatalf("mode %04o: err = %v", mode, err)
		}
		msg := err.Error()
		if !strings.Contains(msg, "chmod 600 "+s.Path()) || !strings.Contains(msg, fmt.Sprintf("mode %04o", mode)) || strings.Contains(msg, "s3cr3t") {
			t.Errorf("mode %04o: %s", mode, msg)
		}
		// Nor is it rewritten: an Update fails before changing anything.
		if err := s.Update(func(*File) error { return nil }); !errors.As(err, &me) {
			t.Errorf("update of a %04o file: %v", mode, err)
		}
	}
	os.Chmod(s.Path(), 0o600)
	if _, err := s.Load(); err != nil {
		t.Error(err)
	}
}

func TestStoreBadJSON(t *testing.T) {
	s := Store{Dir: t.TempDir()}
	os.WriteFile(s.Path(), []byte(`{"profiles": {"x": {"url": "https://x/rest/1/s3cr3t"`), 0o600)
	_, err := s.Load()
	if err == nil || !strings.Contains(err.Error(), s.Path()) || strings.Contains(err.Error(), "s3cr3t") {
		t.Errorf("err = %v", err)
	}
}

// TestStoreConcurrentUpdates: updates of different profiles by concurrent writers (a renewal in one
// b24, a login in another) are all kept.
func TestStoreConcurrentUpdates(t *testing.T) {
	s := Store{Dir: t.TempDir()}
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			err := Store{Dir: s.Dir}.Update(func(f *File) error {
				f.Profiles[fmt.Sprintf("p%d", i)] = &Profile{Kind: OAuth, AccessToken: fmt.Sprint(i)}
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	f, err := s.Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Profiles) != 20 {
		t.Errorf("%d profiles kept of 20: %v", len(f.Profiles), f.Names())
	}
}

func TestCheckName(t *testing.T) {
	for _, ok := range []string{"work", "prod-2", "a.b_c", "работа"} {
		if err := CheckName(ok); err != nil {
			t.Errorf("%q: %v", ok, err)
		}
	}
	for _, bad := range []string{"", "-x", ".x", "a b", "a/b", strings.Repeat("a", 65)} {
		if err := CheckName(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestSecrets(t *testing.T) {
	p := &Profile{Kind: Webhook, URL: "https://x.bitrix24.ru/rest/1/s3cr3t/"}
	if got := strings.Join(p.Secrets(), ","); !strings.Contains(got, "s3cr3t") {
		t.Errorf("webhook secrets %q", got)
	}
	p = &Profile{Kind: OAuth, Portal: "x.bitrix24.ru", ClientSecret: "cs", AccessToken: "at", RefreshToken: "rt"}
	if got := strings.Join(p.Secrets(), ","); got != "cs,at,rt" {
		t.Errorf("oauth secrets %q", got)
	}
	if p.Host() != "x.bitrix24.ru" {
		t.Errorf("host %q", p.Host())
	}
}
