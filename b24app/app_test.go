package b24app_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/b24app"
	"github.com/b24gen/b24gen/b24event"
	"github.com/b24gen/b24gen/b24test"
	"github.com/b24gen/b24gen/generated/eventdata"
)

// TestInstallRenewUninstall: ONAPPINSTALL stores the portal's credentials (in a file only its owner
// reads); the portal's events are then checked against its application token; an expired token is
// renewed once for concurrent calls and the new pair is in the file, read again from disk; an
// install for the same portal with another token is refused; ONAPPUNINSTALL forgets the portal,
// whose events are refused from then on.
func TestInstallRenewUninstall(t *testing.T) {
	s := b24test.New(b24test.WithOAuthApp("app.1", "secret-1"))
	defer s.Close()
	s.Handle("x.add", func(b24test.Call) (any, *b24.APIError) { return 1, nil })
	path := filepath.Join(t.TempDir(), "portals.json")
	store, err := b24app.NewFileStore(path)
	if err != nil {
		t.Fatal(err)
	}
	app := &b24app.App{ClientID: "app.1", ClientSecret: "secret-1", Store: store, OAuthServer: s.URL()}
	deals := make(chan int64, 1)
	b24event.On(app.Events(), func(_ context.Context, _ *b24event.Event, d *eventdata.OnCrmDealAdd) error {
		deals <- int64(d.Fields.ID)
		return nil
	})
	srv := httptest.NewServer(app.Handler())
	defer srv.Close()

	if code, err := s.SendEvent(srv.URL, "ONAPPINSTALL", map[string]any{"VERSION": "1", "LANGUAGE_ID": "en"}); err != nil || code != http.StatusOK {
		t.Fatalf("install: HTTP %d, %v", code, err)
	}
	p, err := store.Load(t.Context(), "b24test")
	if err != nil || p.RefreshToken != s.RefreshToken() || p.ApplicationToken != s.ApplicationToken() || p.AccessToken != s.Token() {
		t.Fatalf("stored %+v, %v", p, err)
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("the store file: %v, %v", st.Mode(), err)
	}
	if code, _ := s.SendEvent(srv.URL, "ONCRMDEALADD", map[string]any{"FIELDS": map[string]any{"ID": "77"}}); code != http.StatusOK {
		t.Errorf("an event of the installed portal: HTTP %d", code)
	}
	select {
	case id := <-deals:
		if id != 77 {
			t.Errorf("deal %d", id)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the deal event did not reach its function")
	}

	// concurrent calls after the token expired: one renewal, saved to the file
	c, err := app.Client(t.Context(), "b24test")
	if err != nil {
		t.Fatal(err)
	}
	old := p.RefreshToken
	s.ExpireToken()
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := c.Do(context.Background(), "x.add", nil); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	reopened, err := b24app.NewFileStore(path)
	if err != nil {
		t.Fatal(err)
	}
	p, err = reopened.Load(t.Context(), "b24test")
	if err != nil || p.RefreshToken == old || p.RefreshToken != s.RefreshToken() || p.AccessToken != s.Token() || s.Renewals() != 1 {
		t.Errorf("after the renewal: stored %q (was %q, portal's %q), %d renewals, %v", p.RefreshToken, old, s.RefreshToken(), s.Renewals(), err)
	}

	// a second install of the portal with another token: refused, the stored one stays
	forged := b24test.New(b24test.WithOAuthApp("app.1", "secret-1"))
	defer forged.Close()
	if code, _ := forged.SendEvent(srv.URL, "ONAPPINSTALL", map[string]any{}); code != http.StatusUnauthorized {
		t.Errorf("an install with another token: HTTP %d, want 401", code)
	}
	if q, _ := store.Load(t.Context(), "b24test"); q.ApplicationToken != s.ApplicationToken() {
		t.Error("the stored application token was replaced")
	}

	if code, _ := s.SendEvent(srv.URL, "ONAPPUNINSTALL", map[string]any{"LANGUAGE_ID": "en", "CLEAN": "1"}); code != http.StatusOK {
		t.Errorf("uninstall: HTTP %d", code)
	}
	app.Events().Close() // the queued uninstall is handled
	if _, err := store.Load(t.Context(), "b24test"); err != b24app.ErrUnknownPortal {
		t.Errorf("after the uninstall: %v", err)
	}
	if _, err := app.Client(t.Context(), "b24test"); err != b24app.ErrUnknownPortal {
		t.Errorf("a client after the uninstall: %v", err)
	}
	if code, _ := s.SendEvent(srv.URL, "ONCRMDEALADD", map[string]any{"FIELDS": map[string]any{"ID": "78"}}); code != http.StatusUnauthorized {
		t.Errorf("an event after the uninstall: HTTP %d, want 401", code)
	}
}
