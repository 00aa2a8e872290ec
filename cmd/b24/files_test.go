package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/b24test"
	"github.com/b24gen/b24gen/cmd/b24/internal/command"
	"github.com/b24gen/b24gen/generated/crm"
	"github.com/b24gen/b24gen/generated/disk"
	"github.com/b24gen/b24gen/generated/documentgenerator"
	"github.com/b24gen/b24gen/generated/entity"
	"github.com/b24gen/b24gen/generated/im"
	"github.com/b24gen/b24gen/generated/note"
	"github.com/b24gen/b24gen/generated/telephony"
)

// TestInlineFileForms sends a file in each of the docs' five inline forms, through the generated Go
// function and through the CLI (a file named @path, in a flag or inside a JSON option), and checks
// that it arrives as the docs show it: bare base64 (documentgenerator.template.add's file), a
// ["name", base64] pair (entity.section.add's PICTURE), a list of pairs (crm.timeline.comment.add's
// FILES), {"fileData": pair} (crm.contact.add's PHOTO), and content and name apart (note.file.add's
// fileContent and fileName; im.v2.File.upload's fields.content and fields.name).
func TestInlineFileForms(t *testing.T) {
	dir := t.TempDir()
	file := func(name, content string) (b24.File, string) {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		f, err := b24.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return f, path
	}
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	tpl, tplPath := file("template.docx", "DOCX")
	pic, picPath := file("section.jpg", "JPEG")
	a, aPath := file("a.txt", "first")
	bf, bPath := file("b.txt", "second")
	photo, photoPath := file("ann.png", "PNG")
	md, mdPath := file("notes.md", "# notes")
	pdf, pdfPath := file("report.pdf", "%PDF")

	s := b24test.New()
	defer s.Close()
	c, err := b24.NewWebhook(s.WebhookURL())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, tc := range []struct {
		form   string
		method string
		goCall func() error
		cli    []string
		want   string // the arrived params, as JSON
	}{
		{
			"bare base64", "documentgenerator.template.add",
			func() error {
				_, err := documentgenerator.New(c).TemplateAdd(ctx, &documentgenerator.TemplateAddParams{
					Fields: documentgenerator.TemplateAddFields{Name: b24.Ptr("T"), File: tpl.Content}})
				return err
			},
			[]string{"--fields", `{"name": "T", "file": "@` + tplPath + `"}`},
			`{"fields": {"name": "T", "file": "` + b64("DOCX") + `"}}`,
		},
		{
			"a [name, base64] pair", "entity.section.add",
			func() error {
				_, err := entity.New(c).SectionAdd(ctx, &entity.SectionAddParams{Entity: b24.Ptr("dish"), Name: b24.Ptr("S"), Picture: &pic})
				return err
			},
			[]string{"--entity", "dish", "--name", "S", "--picture", "@" + picPath},
			`{"ENTITY": "dish", "NAME": "S", "PICTURE": ["section.jpg", "` + b64("JPEG") + `"]}`,
		},
		{
			"a list of pairs", "crm.timeline.comment.add",
			func() error {
				_, err := crm.New(c).TimelineCommentAdd(ctx, &crm.TimelineCommentAddParams{Fields: crm.TimelineCommentAddFields{
					EntityID: b24.Ptr(5), EntityType: b24.Ptr("deal"), Comment: b24.Ptr("c"), Files: []b24.File{a, bf}}})
				return err
			},
			[]string{"--fields", `{"ENTITY_ID": 5, "ENTITY_TYPE": "deal", "COMMENT": "c", "FILES": ["@` + aPath + `", "@` + bPath + `"]}`},
			`{"fields": {"ENTITY_ID": 5, "ENTITY_TYPE": "deal", "COMMENT": "c", "FILES": [["a.txt", "` + b64("first") + `"], ["b.txt", "` + b64("second") + `"]]}}`,
		},
		{
			"{fileData: pair}", "crm.contact.add",
			func() error {
				ph := b24.FileData(photo)
				_, err := crm.New(c).ContactAdd(ctx, &crm.ContactAddParams{Fields: &crm.ContactAddFields{Name: b24.Ptr("Ann"), Photo: &ph}})
				return err
			},
			[]string{"--fields", `{"NAME": "Ann", "PHOTO": "@` + photoPath + `"}`},
			`{"fields": {"NAME": "Ann", "PHOTO": {"fileData": ["ann.png", "` + b64("PNG") + `"]}}}`,
		},
		{
			"content and name apart", "note.file.add",
			func() error {
				p := &note.FileAddParams{DocumentID: 7}
				p.SetFileContent(md)
				_, err := note.New(c).FileAdd(ctx, p)
				return err
			},
			[]string{"--document-id", "7", "--file-content", "@" + mdPath},
			`{"documentId": 7, "fileName": "notes.md", "fileContent": "` + b64("# notes") + `"}`,
		},
		{
			"content and name apart, inside an object", "im.v2.File.upload",
			func() error {
				f := im.V2FileUploadFields{}
				f.SetContent(pdf)
				_, err := im.New(c).V2FileUpload(ctx, &im.V2FileUploadParams{DialogID: "chat1", Fields: f})
				return err
			},
			[]string{"--dialog-id", "chat1", "--fields", `{"content": "@` + pdfPath + `"}`},
			`{"dialogId": "chat1", "fields": {"name": "report.pdf", "content": "` + b64("%PDF") + `"}}`,
		},
	} {
		var want any
		if err := json.Unmarshal([]byte(tc.want), &want); err != nil {
			t.Fatal(err)
		}
		check := func(how string) {
			t.Helper()
			calls := s.Calls()
			got := calls[len(calls)-1]
			var params any
			raw, _ := json.Marshal(got.Params)
			_ = json.Unmarshal(raw, &params)
			if got.Method != tc.method {
				t.Errorf("%s via %s: %s arrived", tc.form, how, got.Method)
			} else if d := cmp.Diff(want, params); d != "" {
				t.Errorf("%s via %s (%s): arrived (-want +got):\n%s", tc.form, how, tc.method, d)
			}
		}
		if err := tc.goCall(); err != nil {
			t.Errorf("%s via Go: %v", tc.form, err)
		}
		check("Go")
		var out, errOut bytes.Buffer
		code := command.Run(ctx, append([]string{"--url", s.WebhookURL(), tc.method}, tc.cli...),
			command.Env{Stdout: &out, Stderr: &errOut, Catalog: catalog()})
		if code != 0 {
			t.Errorf("%s via the CLI: exit %d: %s", tc.form, code, errOut.String())
			continue
		}
		check("the CLI")
	}
}

// TestUploadByMethod: b24 upload --method streams a file by the uploadUrl of any method whose spec
// says it uploads so (telephony.externalCall.attachRecord answers its form field as fieldName), and
// refuses, before sending anything, a method that does not and params that are not its first step's.
func TestUploadByMethod(t *testing.T) {
	path := filepath.Join(t.TempDir(), "call.mp3")
	content := bytes.Repeat([]byte("ID3"), 100000)
	if err := os.WriteFile(path, content, 0o600); err != nil {
		t.Fatal(err)
	}
	s := b24test.New()
	defer s.Close()
	run := func(args ...string) (int, string, string) {
		var out, errOut bytes.Buffer
		code := command.Run(context.Background(), append([]string{"--url", s.WebhookURL(), "upload", path}, args...),
			command.Env{Stdout: &out, Stderr: &errOut, Catalog: catalog()})
		return code, out.String(), errOut.String()
	}
	code, out, errOut := run("--method", "telephony.externalCall.attachRecord", "--params", "{'CALL_ID':'externalCall.1','FILENAME':'call.mp3'}")
	var answer struct{ Result struct{ FILE_ID int } }
	if err := json.Unmarshal([]byte(out), &answer); code != 0 || err != nil {
		t.Fatalf("exit %d (%v): %s%s", code, err, out, errOut)
	}
	if name, got, _ := s.DriveFile(answer.Result.FILE_ID); name != "call.mp3" || !bytes.Equal(got, content) {
		t.Fatalf("stored %q, %d bytes", name, len(got))
	}
	first := s.Calls()[0]
	if d := cmp.Diff(map[string]any{"CALL_ID": "externalCall.1", "FILENAME": "call.mp3"}, first.Params); first.Method != "telephony.externalCall.attachRecord" || d != "" {
		t.Errorf("first step %s: %s", first.Method, d)
	}

	s.ResetCalls()
	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--method", "crm.deal.add", "--params", "{}"}, "b24: upload: crm.deal.add takes no upload by uploadUrl; these do: disk.folder.uploadFile, disk.storage.uploadFile, telephony.externalCall.attachRecord\n"},
		{[]string{"--method", "telephony.externalCall.attachRecord", "--params", "{'CALL_ID':'1','FILENAME':'a','FILE_CONTENT':'x'}"}, "b24: --params: FILE_CONTENT is not a param of telephony.externalCall.attachRecord's first step (CALL_ID, FILENAME)\n"},
		{[]string{"--method", "telephony.externalCall.attachRecord", "--params", "{'CALL_ID':'1'}"}, "b24: --params: telephony.externalCall.attachRecord's first step needs CALL_ID, FILENAME\n"},
		{[]string{"--folder", "1", "--method", "disk.folder.uploadFile"}, "b24: upload: give one of --folder, --storage and --method\n"},
		{[]string{"--folder", "1", "--params", "{'id':2}"}, "b24: upload: --params goes with --method (--folder and --storage take no more)\n"},
	} {
		if code, _, errOut := run(c.args...); code != command.ExitUsage || errOut != c.msg {
			t.Errorf("%v: exit %d, %q; want 2, %q", c.args, code, errOut, c.msg)
		}
	}
	if n := len(s.Calls()); n != 0 {
		t.Errorf("%d calls sent by refused uploads", n)
	}
}

// TestTypedUploads: the generated function of each two-step upload streams the file and decodes
// the answer into the method's own result; attachRecord's FILENAME is the file's name.
func TestTypedUploads(t *testing.T) {
	s := b24test.New()
	defer s.Close()
	c, err := b24.NewWebhook(s.WebhookURL())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	content := bytes.Repeat([]byte("%PDF "), 30000)
	doc, err := disk.New(c).FolderUploadFileFrom(ctx, 8930, "report.pdf", bytes.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	if name, got, _ := s.DriveFile(int(doc.Result.ID)); doc.Result.Name != "report.pdf" || name != "report.pdf" || !bytes.Equal(got, content) {
		t.Errorf("folder upload: result %+v; stored %q, %d bytes", doc.Result, name, len(got))
	}
	root, err := disk.New(c).StorageUploadFileFrom(ctx, 1, "root.pdf", bytes.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	if name, got, _ := s.DriveFile(int(root.Result.ID)); name != "root.pdf" || !bytes.Equal(got, content) {
		t.Errorf("storage upload: stored %q, %d bytes", name, len(got))
	}
	s.ResetCalls()
	rec, err := telephony.New(c).ExternalCallAttachRecordFrom(ctx, "externalCall.1d4", "call.mp3", bytes.NewReader(content))
	if err != nil {
		t.Fatal(err)
	}
	if name, got, _ := s.DriveFile(int(rec.Result.FileID)); name != "call.mp3" || !bytes.Equal(got, content) {
		t.Errorf("attachRecord: stored %q, %d bytes", name, len(got))
	}
	if first := s.Calls()[0]; !cmp.Equal(first.Params, map[string]any{"CALL_ID": "externalCall.1d4", "FILENAME": "call.mp3"}) {
		t.Errorf("attachRecord's first step sent %v", first.Params)
	}
}
