package b24_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/b24test"
)

// cloudPortals starts one fake portal per cloud name, each serving https under its name, and an
// HTTP client that trusts them and reaches each name at its server: the real names without DNS.
func cloudPortals(t *testing.T, names ...string) ([]*b24test.Server, *http.Client) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "b24test"}, DNSNames: names,
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}, BasicConstraintsValid: true, IsCA: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	leaf, _ := x509.ParseCertificate(der)
	pool := x509.NewCertPool()
	pool.AddCert(leaf)
	cert := tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key, Leaf: leaf}
	addr := map[string]string{}
	var servers []*b24test.Server
	for _, n := range names {
		s := b24test.New(b24test.WithTLS(cert), b24test.WithSecret(secret))
		t.Cleanup(s.Close)
		servers = append(servers, s)
		addr[n] = strings.TrimPrefix(s.URL(), "https://")
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: pool}
	tr.DialContext = func(ctx context.Context, network, a string) (net.Conn, error) {
		host, _, _ := net.SplitHostPort(a)
		to, ok := addr[host]
		if !ok {
			return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
		}
		return (&net.Dialer{}).DialContext(ctx, network, to)
	}
	return servers, &http.Client{Transport: tr}
}

// TestRenamedCloudPortal: a cloud portal renamed answers 302 to its new name; the call is POSTed
// there whole, with its credentials, and the next calls go straight to the new name.
func TestRenamedCloudPortal(t *testing.T) {
	ps, hc := cloudPortals(t, "b24-x1y2z3.bitrix24.by", "acme.bitrix24.by")
	old, renamed := ps[0], ps[1]
	old.Redirect(http.StatusFound, "https://acme.bitrix24.by")
	for _, mode := range []string{"webhook", "oauth"} {
		old.ResetCalls()
		renamed.ResetCalls()
		before := old.Requests()
		c, err := b24.NewWebhook("https://b24-x1y2z3.bitrix24.by/rest/1/"+secret, b24.WithHTTPClient(hc))
		if mode == "oauth" {
			c, err = b24.NewOAuth("https://b24-x1y2z3.bitrix24.by", renamed.Token(), b24.WithHTTPClient(hc))
		}
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if _, err := c.Do(context.Background(), "im.dialog.unread", unreadParams); err != nil {
				t.Fatalf("%s: %v", mode, err)
			}
		}
		calls := renamed.Calls()
		if len(calls) != 2 || calls[0].Params["DIALOG_ID"] != "chat5" || calls[0].Auth == "" || old.Requests()-before != 1 {
			t.Errorf("%s: %d calls at the new name (%+v), %d requests at the old one; want 2 and 1", mode, len(calls), calls, old.Requests()-before)
		}
	}
}

// TestRedirectElsewhereRefused: a redirect to another host, to plain http, or from a public portal
// to a private address is an error that names where the portal pointed; nothing is sent there, and
// the next call still goes to the portal the user named.
func TestRedirectElsewhereRefused(t *testing.T) {
	ps, hc := cloudPortals(t, "acme.bitrix24.by", "portal.example.com", "acme.bitrix24.site")
	portal, foreign, site := ps[0], ps[1], ps[2]
	for _, tc := range []struct{ to, want string }{
		{"https://portal.example.com", "redirected to https://portal.example.com, another host; refusing to send credentials there"},
		{"https://acme.bitrix24.site", "redirected to https://acme.bitrix24.site, another host"},
		{"http://acme.bitrix24.by", "redirected to http://acme.bitrix24.by, which is not https"},
		{"https://10.0.0.7", "redirected to the private address https://10.0.0.7"},
		{"https://127.0.0.1:1", "redirected to the private address https://127.0.0.1:1"},
	} {
		portal.Redirect(http.StatusTemporaryRedirect, tc.to)
		for _, mode := range []string{"webhook", "oauth"} {
			c, _ := b24.NewWebhook("https://acme.bitrix24.by/rest/1/"+secret, b24.WithHTTPClient(hc))
			if mode == "oauth" {
				c, _ = b24.NewOAuth("https://acme.bitrix24.by", portal.Token(), b24.WithHTTPClient(hc))
			}
			_, err := c.Do(context.Background(), "im.dialog.unread", unreadParams)
			if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), secret) || errors.Is(err, b24.ErrMaybeRan) {
				t.Errorf("%s to %s: %v; want %q", mode, tc.to, err, tc.want)
			}
			portal.Redirect(0, "")
			if _, err := c.Do(context.Background(), "im.dialog.unread", unreadParams); err != nil {
				t.Errorf("%s: the next call: %v (the client must keep the portal the user named)", mode, err)
			}
			portal.Redirect(http.StatusTemporaryRedirect, tc.to)
		}
	}
	if foreign.Requests()+site.Requests() != 0 {
		t.Errorf("%d requests reached the other hosts", foreign.Requests()+site.Requests())
	}
}

// TestRedirectToOtherLoopbackHost: b24test on loopback pointing at another name is refused too.
func TestRedirectToOtherLoopbackHost(t *testing.T) {
	s, other := newPortal(t), newPortal(t)
	s.Redirect(http.StatusFound, strings.Replace(other.URL(), "127.0.0.1", "localhost", 1))
	_, err := webhook(t, s).Do(context.Background(), "im.dialog.unread", unreadParams)
	if err == nil || !strings.Contains(err.Error(), "another host") || other.Requests() != 0 {
		t.Errorf("err %v, %d requests at the other host", err, other.Requests())
	}
}
