package b24test

import (
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"

	"github.com/b24gen/b24gen/b24"
)

// The portal's Drive, as far as files go up and down: inline uploads (fileContent as a
// ["name", base64] pair), the two-step upload (the method without fileContent answers an uploadUrl,
// which takes one multipart POST; telephony.externalCall.attachRecord with FILENAME and without
// FILE_CONTENT the same, under the form field its fieldName names), and signed download links
// (DOWNLOAD_URL, and a CRM file field's urlMachine) that answer nginx's 404 page to a request
// without a real User-Agent, as the portal does.

// MaxUpload is the largest file the fake takes by uploadUrl: the cloud's request limit.
const MaxUpload = 2 << 30

type drive struct {
	files   map[int]*driveFile
	uploads map[string]pending // by upload token, each taken once
	links   map[string]int     // download token → file ID
	nextID  int
}

// pending is an upload link given out: where the file goes, under which form field, and what the
// upload answers.
type pending struct {
	folder int
	field  string
	answer func(*driveFile) any
}

// recordField is the form field attachRecord's uploadUrl takes the recording in: named apart from
// Drive's "file", so that a client reading only Drive's answer fails here.
const recordField = "RECORD"

type driveFile struct {
	id, folder int
	name       string
	content    []byte
	token      string // its download token
}

func (s *Server) driveMethods() map[string]Handler {
	return map[string]Handler{
		"disk.folder.uploadfile":              s.uploadFile,
		"disk.storage.uploadfile":             s.uploadFile,
		"disk.file.get":                       s.driveFileGet,
		"telephony.externalcall.attachrecord": s.attachRecord,
	}
}

// AddFile puts a file on the fake Drive (in folder 1) and returns its ID.
func (s *Server) AddFile(name string, content []byte) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addFileLocked(1, name, content).id
}

// DriveFile is a file the fake Drive holds: its name and content; ok is false for an unknown ID.
func (s *Server) DriveFile(id int) (name string, content []byte, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.drive.files[id]
	if !ok {
		return "", nil, false
	}
	return f.name, f.content, true
}

// FileLink is a CRM file field's urlMachine for a Drive file: a path with its own signed auth.
func (s *Server) FileLink(id int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	f, ok := s.drive.files[id]
	if !ok {
		return ""
	}
	return "/rest/crm.controller.item.getFile.json?auth=" + url.QueryEscape(f.token) + "&fileId=" + strconv.Itoa(id)
}

func newDrive() drive {
	return drive{files: map[int]*driveFile{}, uploads: map[string]pending{}, links: map[string]int{}, nextID: 9010}
}

func (s *Server) addFileLocked(folder int, name string, content []byte) *driveFile {
	s.drive.nextID++
	f := &driveFile{id: s.drive.nextID, folder: folder, name: name, content: content, token: "disk|" + randomHex(16)}
	s.drive.files[f.id] = f
	s.drive.links[f.token] = f.id
	return f
}

// record is the file as disk.*.uploadfile and disk.file.get answer it.
func (s *Server) fileRecord(f *driveFile) map[string]any {
	return map[string]any{
		"ID": f.id, "NAME": f.name, "CODE": nil, "STORAGE_ID": "1", "TYPE": "file", "PARENT_ID": strconv.Itoa(f.folder),
		"DELETED_TYPE": 0, "GLOBAL_CONTENT_VERSION": 1, "FILE_ID": f.id + 20000, "SIZE": strconv.Itoa(len(f.content)),
		"CREATE_TIME": "2026-01-27T13:06:55+03:00", "UPDATE_TIME": "2026-01-27T13:06:55+03:00",
		"DOWNLOAD_URL": s.URL() + "/rest/download.json?auth=" + randomHex(20) + "&token=" + url.QueryEscape(f.token),
		"DETAIL_URL":   s.URL() + "/company/personal/user/1/disk/file/" + url.PathEscape(f.name),
	}
}

func (s *Server) uploadFile(c Call) (any, *b24.APIError) {
	folder, err := strconv.Atoi(fmt.Sprint(c.Params["id"]))
	if err != nil || folder <= 0 {
		return nil, &b24.APIError{Code: "ERROR_ARGUMENT", Description: "Could not find folder/storage id", Status: http.StatusBadRequest}
	}
	content, ok := c.Params["fileContent"]
	if !ok {
		s.mu.Lock()
		defer s.mu.Unlock()
		return map[string]any{"field": "file", "uploadUrl": s.uploadLinkLocked(pending{folder: folder, field: "file", answer: func(f *driveFile) any { return s.fileRecord(f) }})}, nil
	}
	pair, ok := content.([]any)
	if !ok || len(pair) != 2 {
		return nil, &b24.APIError{Code: "ERROR_ARGUMENT", Description: "fileContent: want [\"name\", \"<base64>\"]", Status: http.StatusBadRequest}
	}
	name, _ := pair[0].(string)
	data, err := base64.StdEncoding.DecodeString(fmt.Sprint(pair[1]))
	if err != nil {
		return nil, &b24.APIError{Code: "ERROR_ARGUMENT", Description: "fileContent: the content is not base64", Status: http.StatusBadRequest}
	}
	if d, ok := c.Params["data"].(map[string]any); ok && d["NAME"] != nil {
		name = fmt.Sprint(d["NAME"])
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fileRecord(s.addFileLocked(folder, name, data)), nil
}

// example answers a call the state does not model as any method is answered: by its example.
func (s *Server) example(c Call) (any, *b24.APIError) {
	fx, _ := s.fixtureOf(c.Method)
	o := fixtureOutcome(fx, c.Params)
	return o.result, o.err
}

// uploadLinkLocked gives out an upload link for one file.
func (s *Server) uploadLinkLocked(p pending) string {
	tok := "disk|" + randomHex(16)
	s.drive.uploads[tok] = p
	return s.URL() + "/rest/upload.json?auth=" + randomHex(20) + "&token=" + url.QueryEscape(tok)
}

// attachRecord keeps a call's recording on Drive (folder 2): inline as FILE_CONTENT (base64, named
// by FILENAME), or, with FILENAME alone, by an upload link. RECORD_URL is taken as given; without
// CALL_ID or FILENAME it answers its example.
func (s *Server) attachRecord(c Call) (any, *b24.APIError) {
	name, _ := c.Params["FILENAME"].(string)
	content, inline := c.Params["FILE_CONTENT"]
	if name == "" || c.Params["CALL_ID"] == nil { // a call the docs say nothing of
		return s.example(c)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	answer := func(f *driveFile) any { return map[string]any{"FILE_ID": f.id} }
	switch {
	case c.Params["RECORD_URL"] != nil:
		return map[string]any{"FILE_ID": s.addFileLocked(2, name, nil).id}, nil
	case !inline:
		return map[string]any{"fieldName": recordField, "uploadUrl": s.uploadLinkLocked(pending{folder: 2, field: recordField, answer: answer})}, nil
	}
	data, err := base64.StdEncoding.DecodeString(fmt.Sprint(content))
	if err != nil {
		return nil, &b24.APIError{Code: "ERROR_ARGUMENT", Description: "FILE_CONTENT is not base64", Status: http.StatusBadRequest}
	}
	return answer(s.addFileLocked(2, name, data)), nil
}

func (s *Server) driveFileGet(c Call) (any, *b24.APIError) {
	id, _ := strconv.Atoi(fmt.Sprint(c.Params["id"]))
	s.mu.Lock()
	f, ok := s.drive.files[id]
	s.mu.Unlock()
	if !ok {
		return s.example(c) // a file the fake did not take
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fileRecord(f), nil
}

// fileEndpoint reports the upload and download endpoints, which serveFile answers.
func fileEndpoint(path string) bool {
	switch strings.ToLower(path) {
	case "/rest/upload.json", "/rest/download.json", "/rest/crm.controller.item.getfile.json":
		return true
	}
	return false
}

// serveFile answers an upload or a download, behind the same proxy faults as a call.
func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	fault := s.drawFault()
	switch fault {
	case fault500:
		writeHTML500(w)
		return
	case faultDrop:
		closeConn(w)
		return
	}
	out := w
	if fault == faultLost {
		out = httptest.NewRecorder() // done in full, the answer lost
	}
	if strings.EqualFold(r.URL.Path, "/rest/upload.json") {
		s.serveUpload(out, r)
	} else {
		s.serveDownload(out, r)
	}
	if fault == faultLost {
		closeConn(w)
	}
}

func (s *Server) serveUpload(w http.ResponseWriter, r *http.Request) {
	tok := r.URL.Query().Get("token")
	s.mu.Lock()
	up, ok := s.drive.uploads[tok]
	delete(s.drive.uploads, tok)
	s.mu.Unlock()
	call := Call{Method: "upload", HTTPMethod: r.Method, Path: r.URL.Path, ContentType: r.Header.Get("Content-Type"), Params: map[string]any{}}
	defer func() { s.record(call) }()
	if r.Method != http.MethodPost || !ok {
		writeError(w, http.StatusBadRequest, "ERROR_UPLOAD", "The upload link is unknown or was used", nil)
		return
	}
	mr, err := r.MultipartReader()
	if err != nil {
		writeError(w, http.StatusBadRequest, "ERROR_UPLOAD", "Want a multipart/form-data body", nil)
		return
	}
	for {
		part, err := mr.NextPart()
		if err != nil {
			writeError(w, http.StatusBadRequest, "ERROR_UPLOAD", "No file in the form field \""+up.field+"\"", nil)
			return
		}
		if part.FormName() != up.field || part.FileName() == "" {
			continue
		}
		data, err := io.ReadAll(io.LimitReader(part, MaxUpload+1))
		if err != nil || len(data) > MaxUpload {
			writeError(w, http.StatusBadRequest, "ERROR_UPLOAD", "The file did not arrive whole", nil)
			return
		}
		call.Params["name"], call.Params["size"] = part.FileName(), len(data)
		s.mu.Lock()
		rec := up.answer(s.addFileLocked(up.folder, part.FileName(), data))
		s.mu.Unlock()
		writeJSON(w, http.StatusOK, envelope{Result: rec, Time: s.timeObject("upload", s.now(), 0)})
		return
	}
}

// technicalAgent is a User-Agent the portal's nginx answers with its 404 page for a download.
func technicalAgent(ua string) bool {
	return ua == "" || strings.HasPrefix(ua, "Go-http-client/") || strings.HasPrefix(ua, "curl/") || strings.HasPrefix(ua, "python-requests/")
}

func (s *Server) serveDownload(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.mu.Lock()
	var f *driveFile
	if id, ok := s.drive.links[q.Get("token")]; ok && q.Get("auth") != "" {
		f = s.drive.files[id]
	} else if id, ok := s.drive.links[q.Get("auth")]; ok && q.Get("fileId") == strconv.Itoa(id) {
		f = s.drive.files[id]
	}
	s.mu.Unlock()
	s.record(Call{Method: "download", HTTPMethod: r.Method, Path: r.URL.Path, Params: map[string]any{"User-Agent": r.UserAgent(), "Referer": r.Referer()}})
	if f != nil {
		w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": f.name}))
	}
	if r.Method != http.MethodGet || f == nil || technicalAgent(r.UserAgent()) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.Itoa(len(f.content)))
	_, _ = w.Write(f.content)
}
