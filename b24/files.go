package b24

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
)

// ReadFile reads a file from disk as a File named by its base name, for a parameter that takes a file
// inline (as base64 in the request).
func ReadFile(path string) (File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return File{}, err
	}
	return File{Name: filepath.Base(path), Content: data}, nil
}

// uploadTarget is the answer of the first step of a two-step upload: where the file goes.
type uploadTarget struct {
	Field     string `json:"field"`     // disk.*.uploadfile
	FieldName string `json:"fieldName"` // telephony.externalCall.attachRecord
	UploadURL string `json:"uploadUrl"`
}

// UploadFile uploads a file to a Drive folder by the portal's two-step upload (UploadTo with
// disk.folder.uploadFile and the folder's id) and returns the new file's record (ID, NAME, SIZE,
// DOWNLOAD_URL, ...) as the method answers it; disk.Service.FolderUploadFileFrom is the same,
// decoded into its typed result.
func (c *Client) UploadFile(ctx context.Context, folderID int, name string, r io.Reader) (*RawResponse, error) {
	return c.UploadTo(ctx, "disk.folder.uploadFile", map[string]any{"id": folderID}, name, r)
}

// UploadTo uploads a file by the portal's two-step upload: method, called without the file's content
// (disk.folder.uploadFile with the folder's id, disk.storage.uploadFile with the storage's,
// telephony.externalCall.attachRecord with FILENAME only), answers an upload URL, and the file is
// then streamed to it as one multipart form, so its size is bounded by the portal's request limit
// (2 GB in the cloud), not by memory, and nothing is base64-encoded. params are sent as they are;
// the file goes under the form field the portal names. The generated functions of these methods
// (disk.Service.FolderUploadFileFrom, …) call it through Upload with typed arguments and result. The upload itself is a write: it is not repeated, and
// an answer lost after sending it fails with ErrMaybeRan. The upload URL is signed; it is never
// logged or put in an error, and it must point at the client's portal.
func (c *Client) UploadTo(ctx context.Context, method string, params any, name string, r io.Reader, opts ...CallOption) (*RawResponse, error) {
	if strings.TrimSpace(name) == "" {
		return nil, fmt.Errorf("%s: upload: the file needs a name", method)
	}
	// Asking for the upload URL changes nothing on the portal, so it may be repeated like a read.
	first, err := c.Do(ctx, method, params, append(opts, Read())...)
	if err != nil {
		return nil, err
	}
	var t uploadTarget
	if json.Unmarshal(first.Result, &t) != nil || t.UploadURL == "" {
		return nil, fmt.Errorf("%s: upload: the portal answered no uploadUrl (were the file's contents sent in the params?)", method)
	}
	field := t.Field
	if field == "" {
		field = t.FieldName
	}
	if field == "" {
		field = "file"
	}
	target, err := c.onPortal(t.UploadURL)
	if err != nil {
		return nil, fmt.Errorf("%s: upload: %w; nothing was sent", method, err)
	}
	body, size, contentType := multipartBody(field, name, r)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target.String(), body)
	if err != nil {
		return nil, fmt.Errorf("%s: upload: %v", method, c.scrub(err.Error()))
	}
	req.ContentLength = size // -1: unknown, sent chunked
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.cfg.userAgent)
	resp, err := c.transferClient().Do(req)
	if err != nil {
		var opErr *net.OpError
		if errors.As(err, &opErr) && opErr.Op == "dial" {
			return nil, fmt.Errorf("%s: upload: %w; nothing was sent", method, withoutURL(err))
		}
		return nil, &MaybeRanError{Method: method, Reason: "upload: " + causeOf(err), Err: withoutURL(err)}
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, int64(maxBody)+1))
	if err != nil {
		return nil, &MaybeRanError{Method: method, Reason: "upload: the answer broke off: " + causeOf(err), Err: withoutURL(err)}
	}
	out, err := c.decode(method, resp.StatusCode, resp.Header, data)
	if resp.StatusCode >= 500 { // the file reached the portal, which may have stored it
		return nil, &MaybeRanError{Method: method, Reason: fmt.Sprintf("upload: HTTP %d", resp.StatusCode), Err: err}
	}
	return out, err
}

// multipartBody streams r as the one file of a multipart form; size is the body's length when r's is
// known (a file, a bytes or strings reader), -1 otherwise.
func multipartBody(field, name string, r io.Reader) (io.Reader, int64, string) {
	var head, tail bytes.Buffer
	w := multipart.NewWriter(&head)
	_, _ = w.CreateFormFile(field, name)
	n := head.Len()
	_ = w.Close()
	tail.Write(head.Bytes()[n:])
	head.Truncate(n)
	size := int64(-1)
	if l := lengthOf(r); l >= 0 {
		size = int64(head.Len()) + l + int64(tail.Len())
	}
	return io.MultiReader(&head, r, &tail), size, w.FormDataContentType()
}

// lengthOf is what is left to read of r, -1 when r does not tell.
func lengthOf(r io.Reader) int64 {
	switch x := r.(type) {
	case interface{ Len() int }:
		return int64(x.Len())
	case interface {
		Stat() (fs.FileInfo, error)
		io.Seeker
	}:
		st, err := x.Stat()
		if err != nil || !st.Mode().IsRegular() {
			return -1
		}
		at, err := x.Seek(0, io.SeekCurrent)
		if err != nil {
			return -1
		}
		return st.Size() - at
	}
	return -1
}

// transferClient is the client's HTTP client without its per-exchange timeout: a large file takes
// as long as it takes, bounded by the caller's context.
func (c *Client) transferClient() *http.Client {
	hc := *c.hc
	hc.Timeout = 0
	return &hc
}

// onPortal resolves a link the portal gave (absolute, or a path like /rest/…) against the client's
// portal, and refuses one on another host: a signed link is a credential.
func (c *Client) onPortal(link string) (*url.URL, error) {
	base, err := url.Parse(c.baseURL())
	if err != nil {
		return nil, err
	}
	u, err := base.Parse(strings.TrimSpace(link))
	if err != nil || u.Host == "" {
		return nil, errors.New("the link is not a URL")
	}
	if !strings.EqualFold(u.Hostname(), base.Hostname()) || u.Port() != base.Port() {
		return nil, fmt.Errorf("the link points at %s, not at the portal %s", u.Host, base.Host)
	}
	if u.Scheme != base.Scheme && !(u.Scheme == "https" && base.Scheme == "http") {
		return nil, fmt.Errorf("the link is %s://, the portal %s://", u.Scheme, base.Scheme)
	}
	return u, nil
}

// withoutURL is a transport error without the *url.Error that carries the URL (the signed link).
func withoutURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

func causeOf(err error) string { return withoutURL(err).Error() }

// Download is what a download wrote.
type Download struct {
	Name        string // from Content-Disposition; "" when the portal sent none
	ContentType string
	Size        int64 // bytes written
}

// ErrDownloadRefused matches a download the portal answered with an error page: an expired or
// altered link, or one fetched without the headers it wants.
var ErrDownloadRefused = errors.New("the portal refused the download")

// Download fetches a file by a link the portal gave: a Drive file's DOWNLOAD_URL, a CRM file field's
// urlMachine (/rest/crm.controller.item.getFile.json?auth=…), a product picture's urlMachine, and
// writes it to w as it arrives. A path is taken on the client's portal; a link that does not carry
// its own auth gets the client's credential (the webhook path, or auth for OAuth). It sends the
// headers the portal wants of an integration (its User-Agent, Accept, Accept-Language, Referer:
// without them it may answer an nginx 404), and never logs the link or puts it in an error: its
// query is a credential.
func (c *Client) Download(ctx context.Context, link string, w io.Writer) (*Download, error) {
	u, err := c.onPortal(link)
	if err != nil {
		return nil, fmt.Errorf("download: %w; nothing was fetched", err)
	}
	u = c.signed(u)
	shown := u.Path
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("download %s: %v", shown, causeOf(err))
	}
	req.Header.Set("User-Agent", c.cfg.userAgent)
	req.Header.Set("Accept", "*/*")
	req.Header.Set("Accept-Language", "en, ru;q=0.9")
	req.Header.Set("Referer", u.Scheme+"://"+u.Host+"/")
	hc := c.transferClient()
	// A download may be redirected to where the file is kept; GET redirects are safe to follow and the
	// link's credential is in its query, which a new location does not inherit.
	hc.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= 5 {
			return errors.New("too many redirects")
		}
		return nil
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, fmt.Errorf("download %s: %s", shown, c.scrub(causeOf(err)))
	}
	defer resp.Body.Close()
	ct := resp.Header.Get("Content-Type")
	if resp.StatusCode/100 != 2 {
		data, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		if _, err := c.decode("download", resp.StatusCode, resp.Header, data); err != nil {
			var ae *APIError
			if errors.As(err, &ae) {
				return nil, fmt.Errorf("download %s: %w", shown, err)
			}
		}
		return nil, fmt.Errorf("download %s: HTTP %d: %w (an expired or altered link?)", shown, resp.StatusCode, ErrDownloadRefused)
	}
	d := &Download{ContentType: ct}
	if _, p, err := mime.ParseMediaType(resp.Header.Get("Content-Disposition")); err == nil {
		d.Name = filepath.Base(filepath.Clean("/" + strings.ReplaceAll(p["filename"], `\`, "/")))
		if d.Name == "/" || d.Name == "." {
			d.Name = ""
		}
	}
	d.Size, err = io.Copy(w, resp.Body)
	if err != nil {
		return d, fmt.Errorf("download %s: after %d bytes: %s", shown, d.Size, c.scrub(causeOf(err)))
	}
	return d, nil
}

// signed adds the client's credential to a link on the portal's REST path that carries none: a
// webhook's secret path before the method, or auth for an OAuth token.
func (c *Client) signed(u *url.URL) *url.URL {
	q := u.Query()
	if q.Get("auth") != "" || !strings.HasPrefix(u.Path, "/rest/") {
		return u
	}
	out := *u
	if tok := c.accessToken(); tok != "" {
		q.Set("auth", tok)
		out.RawQuery = q.Encode()
		return &out
	}
	base, _ := url.Parse(c.baseURL())
	out.Path = strings.TrimSuffix(base.Path, "/") + "/" + strings.TrimPrefix(u.Path, "/rest/")
	out.RawPath = ""
	return &out
}
