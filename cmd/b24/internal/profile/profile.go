// Package profile keeps the portals b24 knows by name: one JSON file, profiles.json, in b24's
// config directory. The file holds webhook secrets, tokens and client secrets, so it is written
// with mode 0600 (its directory 0700) and not read at all when others can read it.
package profile

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"unicode"
)

// FileName is the name of the profiles file in the config directory.
const FileName = "profiles.json"

// Kinds of profile.
const (
	Webhook = "webhook" // an incoming webhook URL, https://<portal>/rest/<user>/<secret>
	OAuth   = "oauth"   // an OAuth application: client ID and secret, an access and a refresh token
)

// Profile is one portal. Every field but Kind, Portal and ClientID is, or holds, a secret.
type Profile struct {
	Kind         string `json:"kind"`
	URL          string `json:"url,omitempty"`    // webhook: the whole URL, secret included
	Portal       string `json:"portal,omitempty"` // oauth: https://<portal>
	ClientID     string `json:"client_id,omitempty"`
	ClientSecret string `json:"client_secret,omitempty"`
	AccessToken  string `json:"access_token,omitempty"`
	RefreshToken string `json:"refresh_token,omitempty"`
	Expires      int64  `json:"expires,omitempty"`      // Unix time the access token expires, 0 if unknown
	OAuthServer  string `json:"oauth_server,omitempty"` // "" is https://oauth.bitrix.info
}

// Host is the portal's host name, the one part of a profile that is safe to print.
func (p *Profile) Host() string {
	raw := p.Portal
	if p.Kind == Webhook {
		raw = p.URL
	}
	raw = strings.TrimSpace(raw)
	if !strings.Contains(raw, "://") {
		raw = "https://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "?"
	}
	return u.Host
}

// Secrets are the values of the profile that must never be printed.
func (p *Profile) Secrets() []string {
	out := []string{p.ClientSecret, p.AccessToken, p.RefreshToken}
	if p.Kind == Webhook {
		// .../rest/<user>/<secret>: the last segment is the secret.
		segs := strings.Split(strings.Trim(strings.TrimSpace(p.URL), "/"), "/")
		for i := 0; i+2 < len(segs); i++ {
			if segs[i] == "rest" {
				out = append(out, segs[i+2])
			}
		}
	}
	return out
}

// File is the content of profiles.json.
type File struct {
	Current  string              `json:"current,omitempty"`
	Profiles map[string]*Profile `json:"profiles"`
}

// Names are the profile names in order.
func (f *File) Names() []string {
	names := make([]string, 0, len(f.Profiles))
	for n := range f.Profiles {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Default is the profile used when none is named: the current one, or the only one.
func (f *File) Default() string {
	if f.Current != "" {
		return f.Current
	}
	if len(f.Profiles) == 1 {
		return f.Names()[0]
	}
	return ""
}

// CheckName accepts letters, digits, '.', '_' and '-', not first: a name is typed in shells and
// completed by them.
func CheckName(name string) error {
	if name == "" {
		return errors.New("empty profile name")
	}
	if len(name) > 64 {
		return fmt.Errorf("profile name %q is longer than 64 bytes", name)
	}
	for i, c := range name {
		if unicode.IsLetter(c) || unicode.IsDigit(c) || i > 0 && strings.ContainsRune("._-", c) {
			continue
		}
		return fmt.Errorf("profile name %q: use letters, digits and . _ - (not first)", name)
	}
	return nil
}

// Store is the profiles file of one directory.
type Store struct{ Dir string }

// Path is the profiles file.
func (s Store) Path() string { return filepath.Join(s.Dir, FileName) }

// ModeError refuses a profiles file that group or others may read or write.
type ModeError struct {
	Path string
	Mode fs.FileMode
}

func (e *ModeError) Error() string {
	return fmt.Sprintf("%s holds secrets but others can access it (mode %04o); refused until you run: chmod 600 %s",
		e.Path, e.Mode.Perm(), e.Path)
}

// Load reads the profiles file; a missing one is an empty File.
func (s Store) Load() (*File, error) {
	f := &File{Profiles: map[string]*Profile{}}
	path := s.Path()
	fh, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return f, nil
	}
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	fi, err := fh.Stat()
	if err != nil {
		return nil, err
	}
	// Windows has no such permission bits; its ACLs keep a profile directory private.
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		return nil, &ModeError{Path: path, Mode: fi.Mode()}
	}
	dec := json.NewDecoder(fh)
	if err := dec.Decode(f); err != nil {
		// A JSON error names a position, not the text: the text holds secrets.
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("%s: not valid JSON (at byte %d); fix it or remove it and log in again", path, se.Offset)
		}
		return nil, fmt.Errorf("%s: not a profiles file; fix it or remove it and log in again", path)
	}
	if f.Profiles == nil {
		f.Profiles = map[string]*Profile{}
	}
	for name, p := range f.Profiles {
		if p == nil {
			delete(f.Profiles, name)
		}
	}
	return f, nil
}

// Update changes the file under a lock: it reads it again, applies change and writes it back, so
// that two b24 processes (a renewed token, a login) do not lose each other's profiles. change's
// error is returned as it is and nothing is written.
func (s Store) Update(change func(*File) error) error {
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return err
	}
	unlock, err := lock(s.Dir)
	if err != nil {
		return err
	}
	defer unlock()
	f, err := s.Load()
	if err != nil {
		return err
	}
	if err := change(f); err != nil {
		return err
	}
	return s.write(f)
}

// write replaces the file atomically: a temporary file of mode 0600 in the same directory, renamed.
func (s Store) write(f *File) error {
	data, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(s.Dir, ".profiles-*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails once renamed, as it should
	if err := tmp.Chmod(0o600); err != nil && runtime.GOOS != "windows" {
		tmp.Close()
		return err
	}
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), s.Path())
}
