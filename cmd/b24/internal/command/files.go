package command

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/clikit"
)

const uploadLong = `Uploads a file by the portal's two-step upload: the method, called without the
file's content, answers an upload link and the file is streamed to it, so a file of any size up to
the portal's limit (2 GB in the cloud) goes up without base64 and without being held in memory.
Prints the method's answer: for Drive, the new file's record.

--folder and --storage upload to Drive; --method names any method that uploads so (its page
says so: telephony.externalCall.attachRecord too), with the first step's params in --params.

  b24 upload report.pdf --folder 8930
  b24 upload photo.jpg --storage 1 --name "Team photo.jpg"
  pg_dump shop | b24 upload - --folder 8930 --name shop.sql
  b24 upload call.mp3 --method telephony.externalCall.attachRecord --params "{'CALL_ID':'externalCall.1d4','FILENAME':'call.mp3'}"`

const downloadLong = `Downloads a file by a link the portal gave: a Drive file's DOWNLOAD_URL, a CRM file field's
urlMachine, a product picture's urlMachine. The link is signed: b24 never prints it, and sends it
only to the portal's own host. Saves under the name the portal gives, in the current folder unless
--to names a file or a folder (- for stdout), and prints what it saved.

  b24 download --disk-file 9011
  b24 disk.file.get --id 9011 --jq .result.DOWNLOAD_URL | xargs b24 download --to ~/Downloads/`

func (r *runner) uploadCommand() *cobra.Command {
	var folder, storage int
	var name, method, params string
	cmd := &cobra.Command{
		Use:   "upload <file|-> (--folder ID | --storage ID | --method M --params JSON)",
		Short: "upload a file to Drive or by any method's uploadUrl, streamed (any size up to the portal's limit)",
		Long:  uploadLong,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("upload: expected one file (or - for stdin)")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			first, err := r.uploadStep(folder, storage, method, params)
			if err != nil {
				return err
			}
			var in io.Reader = r.env.Stdin
			if src := args[0]; src == "-" {
				if name == "" {
					return usagef("upload: a file from stdin needs --name")
				}
				if in == nil {
					return usagef("upload: no stdin")
				}
			} else {
				own, rc, err := r.openSource(src)
				if err != nil {
					return usagef("upload: %v", err)
				}
				defer rc.Close()
				in, name = rc, cmp.Or(name, own)
			}
			return r.streamUpload(first, name, in)
		},
	}
	cmd.Flags().IntVar(&folder, "folder", 0, "the Drive folder's ID")
	cmd.Flags().IntVar(&storage, "storage", 0, "the storage's ID: the file goes to its root")
	cmd.Flags().StringVar(&method, "method", "", "a method that uploads by uploadUrl (telephony.externalCall.attachRecord)")
	cmd.Flags().StringVar(&params, "params", "", "with --method: the first step's params as a JSON object")
	cmd.Flags().StringVar(&name, "name", "", "the file's name on the portal (default: the file's own)")
	return cmd
}

// openSource opens a file to upload: a path (@path too) or an http(s) URL, streamed; the error is
// the file option's own words (nothing was sent).
func (r *runner) openSource(src string) (name string, rc io.ReadCloser, err error) {
	p, err := r.parser()
	if err != nil {
		return "", nil, err
	}
	name, rc, err = p.Open(src, false)
	var ve *clikit.ValueError
	if errors.As(err, &ve) {
		return "", nil, errors.New(ve.Msg)
	}
	return name, rc, err
}

// streamUpload asks for the upload link and streams the file there under name, with a progress line
// on a terminal, and prints the answer.
func (r *runner) streamUpload(first *firstStep, name string, in io.Reader) error {
	p, err := r.printer()
	if err != nil {
		return &runError{err}
	}
	client, done, err := r.client()
	if err != nil {
		return &runError{err}
	}
	defer done()
	if r.env.Terminal {
		total := int64(-1)
		if f, ok := in.(*os.File); ok {
			total = sizeOf(f)
		}
		in = &progress{r: in, total: total, label: "upload " + name, out: r.env.Stderr}
		defer fmt.Fprintln(r.env.Stderr)
	}
	resp, err := client.UploadTo(r.ctx, first.method, first.params, name, in)
	if err != nil {
		return &runError{err}
	}
	return wrap(r.printAnswer(p, first.method, resp.Body, true, nil))
}

// opiUpload runs an OPI function that uploads as OPI does (UploadFileToFolder): its other options
// make the first step's params, and the file goes to the upload URL under its name option (default:
// the file's own).
func (r *runner) opiUpload(f *clikit.OPIFunc, given map[string]string) error {
	p, err := r.parser()
	if err != nil {
		return err
	}
	params, err := p.OPIParams(f, given) // the file's options fill nothing; a missing file is said here
	if err != nil {
		return err
	}
	var name string
	var content *clikit.Option
	for i, o := range f.Options {
		switch o.Upload {
		case "name":
			name = given[o.Flag]
		case "content":
			content = &f.Options[i]
		}
	}
	own, rc, err := r.openSource(given[content.Flag])
	if err != nil {
		return &clikit.ValueError{Flag: content.Flag, Msg: err.Error()}
	}
	defer rc.Close()
	return r.streamUpload(&firstStep{f.Method, params}, cmp.Or(name, own), rc)
}

// firstStep is the call that asks for an upload link.
type firstStep struct {
	method string
	params map[string]any
}

// uploadStep is the first step --folder, --storage or --method and --params give: a method whose
// spec says it uploads by uploadUrl, with exactly the params of that step (the file's content
// would make it store the file inline instead).
func (r *runner) uploadStep(folder, storage int, method, params string) (*firstStep, error) {
	given := 0
	for _, g := range []bool{folder != 0, storage != 0, method != ""} {
		if g {
			given++
		}
	}
	switch {
	case given != 1:
		return nil, usagef("upload: give one of --folder, --storage and --method")
	case params != "" && method == "":
		return nil, usagef("upload: --params goes with --method (--folder and --storage take no more)")
	case folder != 0:
		return &firstStep{"disk.folder.uploadFile", map[string]any{"id": folder}}, nil
	case storage != 0:
		return &firstStep{"disk.storage.uploadFile", map[string]any{"id": storage}}, nil
	}
	stub, ok := r.env.Catalog.findStub(method)
	m, described := r.env.Catalog.method(stub)
	if !ok || !described || len(m.Upload) == 0 {
		return nil, usagef("upload: %s takes no upload by uploadUrl; these do: %s", method, strings.Join(r.env.Catalog.uploads(), ", "))
	}
	parser, err := r.parser()
	if err != nil {
		return nil, err
	}
	obj, err := parser.Object(params)
	if err != nil {
		return nil, usagef("--params: %v", err)
	}
	for k := range obj {
		if !slices.Contains(m.Upload, k) {
			return nil, usagef("--params: %s is not a param of %s's first step (%s)", k, m.Name, strings.Join(m.Upload, ", "))
		}
	}
	for _, k := range m.Upload {
		if _, ok := obj[k]; !ok {
			return nil, usagef("--params: %s's first step needs %s", m.Name, strings.Join(m.Upload, ", "))
		}
	}
	return &firstStep{cmp.Or(m.Wire, m.Name), obj}, nil
}

func (r *runner) downloadCommand() *cobra.Command {
	var to string
	var diskFile int
	var force bool
	cmd := &cobra.Command{
		Use:   "download (<link> | --disk-file ID) [--to file|folder|-]",
		Short: "download a file by its DOWNLOAD_URL or urlMachine (the link is never printed)",
		Long:  downloadLong,
		Args: func(cmd *cobra.Command, args []string) error {
			if len(args) > 1 || (len(args) == 1) == (diskFile != 0) {
				return usagef("download: give one link or --disk-file")
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			p, err := r.printer()
			if err != nil {
				return &runError{err}
			}
			client, done, err := r.client()
			if err != nil {
				return &runError{err}
			}
			defer done()
			var link string
			if diskFile != 0 {
				resp, err := client.Do(r.ctx, "disk.file.get", map[string]any{"id": diskFile}, r.limited(nil)...)
				if err != nil {
					return &runError{err}
				}
				var rec struct{ DOWNLOAD_URL string }
				if json.Unmarshal(resp.Result, &rec) != nil || rec.DOWNLOAD_URL == "" {
					return &runError{fmt.Errorf("download: disk.file.get %d answered no DOWNLOAD_URL", diskFile)}
				}
				link = rec.DOWNLOAD_URL
			} else {
				link = args[0]
			}
			if to == "-" {
				_, err := client.Download(r.ctx, link, r.env.Stdout)
				return wrap(err)
			}
			saved, err := r.saveDownload(client, link, to, force)
			if err != nil {
				return &runError{err}
			}
			body, _ := json.MarshalIndent(saved, "", "  ")
			return wrap(r.printAnswer(p, "download", body, false, nil))
		},
	}
	cmd.Flags().StringVar(&to, "to", "", "where to save: a file, a folder (the portal's name for the file), or - for stdout (default: the current folder)")
	cmd.Flags().IntVar(&diskFile, "disk-file", 0, "a Drive file's ID: its DOWNLOAD_URL is asked for by disk.file.get")
	cmd.Flags().BoolVar(&force, "force", false, "replace a file that exists")
	return cmd
}

// saved is what download prints.
type saved struct {
	Path        string `json:"path"`
	Name        string `json:"name"`
	Size        int64  `json:"size"`
	ContentType string `json:"contentType,omitempty"`
}

// saveDownload writes the file to a temporary file beside its target and renames it once whole, so
// that a download that breaks off leaves nothing behind and never half-replaces a file.
func (r *runner) saveDownload(client *b24.Client, link, to string, force bool) (*saved, error) {
	dir, target := ".", ""
	if to != "" {
		if st, err := os.Stat(to); err == nil && st.IsDir() || strings.HasSuffix(to, string(os.PathSeparator)) {
			dir = to
		} else {
			dir, target = filepath.Dir(to), to
		}
	}
	if err := keep(target, force); err != nil { // before fetching anything (no target yet: nothing to keep)
		return nil, err
	}
	tmp, err := os.CreateTemp(dir, ".b24-download-*")
	if err != nil {
		return nil, fmt.Errorf("download: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	var w io.Writer = tmp
	if r.env.Terminal {
		w = &progress{w: tmp, total: -1, label: "download", out: r.env.Stderr}
		defer fmt.Fprintln(r.env.Stderr)
	}
	d, err := client.Download(r.ctx, link, w)
	if cerr := tmp.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("download: %w", cerr)
	}
	if err != nil {
		return nil, err
	}
	if target == "" {
		name := d.Name
		if name == "" {
			name = "download"
		}
		target = filepath.Join(dir, name)
	}
	if err := keep(target, force); err != nil {
		return nil, err
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		return nil, fmt.Errorf("download: %w", err)
	}
	return &saved{Path: target, Name: filepath.Base(target), Size: d.Size, ContentType: d.ContentType}, nil
}

// keep refuses to replace a file that exists, unless forced.
func keep(target string, force bool) error {
	if _, err := os.Lstat(target); err == nil && !force {
		return fmt.Errorf("download: %s exists; --force replaces it", target)
	}
	return nil
}

// progress counts the bytes through it and shows them on a terminal, with the share when the total
// is known.
type progress struct {
	r     io.Reader
	w     io.Writer
	n     int64
	total int64 // -1: unknown
	shown int64
	label string
	out   io.Writer
}

func (p *progress) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	p.count(n)
	return n, err
}

func (p *progress) Write(b []byte) (int, error) {
	n, err := p.w.Write(b)
	p.count(n)
	return n, err
}

// Len is what is left to read when the total is known (-1 otherwise), so that an upload through a
// progress still goes with its Content-Length.
func (p *progress) Len() int {
	if p.total < 0 {
		return -1
	}
	return int(p.total - p.n)
}

func (p *progress) count(n int) {
	p.n += int64(n)
	if p.n-p.shown < 1<<20 && p.n != p.total {
		return
	}
	p.shown = p.n
	if p.total > 0 {
		fmt.Fprintf(p.out, "\r%s: %.1f of %.1f MiB (%d%%)", p.label, float64(p.n)/(1<<20), float64(p.total)/(1<<20), p.n*100/p.total)
	} else {
		fmt.Fprintf(p.out, "\r%s: %.1f MiB", p.label, float64(p.n)/(1<<20))
	}
}

// sizeOf is the size of a regular file, -1 for anything else (a pipe).
func sizeOf(f *os.File) int64 {
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		return st.Size()
	}
	return -1
}
