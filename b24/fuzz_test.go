package b24

import (
	"net/http"
	"testing"
)

// FuzzDecode: no answer of a portal or a proxy makes the client panic; it gives a response or an error.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{"result":true,"time":{"start":1}}`, `{"error":"X","error_description":"y"}`,
		`{"error":{"code":"A","message":"b"}}`, `<html>`, ``, `{"result":[],"total":"5","next":50}`, `[1,2]`} {
		f.Add(s, 200)
	}
	c, err := NewWebhook("https://portal.example.com/rest/1/secret")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body string, status int) {
		resp, err := c.decode("x.y", status, http.Header{}, []byte(body))
		if (resp == nil) == (err == nil) {
			t.Errorf("decode(%q, %d): response %v and error %v", body, status, resp, err)
		}
	})
}
