// Package b24app serves a Bitrix24 application installed on many portals: it keeps each portal's
// credentials from its ONAPPINSTALL, checks its events against the token stored for it, and makes a
// client per portal whose renewed tokens are saved.
package b24app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// Portal is what an app keeps of one portal it is installed on.
type Portal struct {
	MemberID         string `json:"member_id"`       // the portal's stable ID
	ClientEndpoint   string `json:"client_endpoint"` // https://<portal>/rest/
	ServerEndpoint   string `json:"server_endpoint,omitempty"`
	AccessToken      string `json:"access_token"`
	RefreshToken     string `json:"refresh_token"`
	Expires          int64  `json:"expires,omitempty"` // Unix time of the access token's end; 0 unknown
	ApplicationToken string `json:"application_token"` // what the portal's events carry
	Scope            string `json:"scope,omitempty"`
}

// ErrUnknownPortal is the error of a portal the app is not installed on (or no longer is).
var ErrUnknownPortal = errors.New("b24app: the app is not installed on this portal")

// Store keeps the portals' credentials. An app on thousands of portals implements it on its own
// database; FileStore is the embedded default. Save must be atomic: a renewal's new refresh token
// replaces the old one, which stops working.
type Store interface {
	Load(ctx context.Context, memberID string) (Portal, error) // ErrUnknownPortal when none
	Save(ctx context.Context, p Portal) error
	Delete(ctx context.Context, memberID string) error
}

// FileStore keeps the portals in one JSON file, readable by its owner only; every change writes a
// new file beside it and renames it over the old, so a crash leaves the old or the new, never half.
// It suits an app on one server with up to some thousand portals; past that, or on several
// servers, put Store on a database.
type FileStore struct {
	path string
	mu   sync.Mutex
}

// NewFileStore opens (or starts) the store in the file at path.
func NewFileStore(path string) (*FileStore, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("b24app: %w", err)
	}
	s := &FileStore{path: path}
	if _, err := s.read(); err != nil {
		return nil, err
	}
	return s, nil
}

// Load returns the portal's credentials.
func (s *FileStore) Load(_ context.Context, memberID string) (Portal, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	all, err := s.read()
	if err != nil {
		return Portal{}, err
	}
	p, ok := all[memberID]
	if !ok {
		return Portal{}, ErrUnknownPortal
	}
	return p, nil
}

// Save stores the portal's credentials, replacing what was stored for it.
func (s *FileStore) Save(_ context.Context, p Portal) error {
	if p.MemberID == "" {
		return errors.New("b24app: a portal without member_id")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	all, err := s.read()
	if err != nil {
		return err
	}
	all[p.MemberID] = p
	return s.write(all)
}

// Delete forgets the portal.
func (s *FileStore) Delete(_ context.Context, memberID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	all, err := s.read()
	if err != nil {
		return err
	}
	delete(all, memberID)
	return s.write(all)
}

func (s *FileStore) read() (map[string]Portal, error) {
	all := map[string]Portal{}
	b, err := os.ReadFile(s.path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return all, nil
	case err != nil:
		return nil, fmt.Errorf("b24app: %w", err)
	}
	if err := json.Unmarshal(b, &all); err != nil {
		return nil, fmt.Errorf("b24app: %s is not a store of portals: %w", s.path, err)
	}
	return all, nil
}

// write replaces the file atomically: a temporary file in the same folder, synced, then renamed.
func (s *FileStore) write(all map[string]Portal) (err error) {
	b, err := json.MarshalIndent(all, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.path), ".portals-*")
	if err != nil {
		return fmt.Errorf("b24app: %w", err)
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
			err = fmt.Errorf("b24app: saving %s: %w", s.path, err)
		}
	}()
	if err = tmp.Chmod(0o600); err == nil {
		_, err = tmp.Write(b)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), s.path)
	}
	return err
}
