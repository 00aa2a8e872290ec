// Package recipes holds the Go code of the README's recipes. Its test runs each one against b24test
// and checks that every Go block of the README's recipes is a piece of this file, so that the README
// shows code that compiles and works.
package recipes

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"

	"github.com/b24gen/b24gen/b24"
	"github.com/b24gen/b24gen/b24event"
	"github.com/b24gen/b24gen/generated/crm"
	"github.com/b24gen/b24gen/generated/disk"
	"github.com/b24gen/b24gen/generated/eventdata"
	"github.com/b24gen/b24gen/generated/note"
)

// FirstCall reads one deal.
func FirstCall(ctx context.Context) error {
	client, err := b24.New(os.Getenv("B24_URL"), "") // an incoming webhook: https://<portal>/rest/1/<secret>
	if err != nil {
		return err
	}
	deal, err := crm.New(client).DealGet(ctx, &crm.DealGetParams{ID: 5})
	var apiErr *b24.APIError
	if errors.As(err, &apiErr) {
		return fmt.Errorf("the portal refused: %s", apiErr.Code) // ERROR_NOT_FOUND, ACCESS_DENIED, …
	}
	if err != nil {
		return err
	}
	fmt.Println(deal.Result.Title, deal.Result.StageID)
	return nil
}

// Export prints every won deal: one walk by ID, 2,500 rows a request, none repeated or skipped.
func Export(ctx context.Context, client *b24.Client, w io.Writer) error {
	deals := crm.New(client).DealListAll(ctx, &crm.DealListParams{
		Filter: map[string]any{"STAGE_ID": "WON"},
		Select: []string{"ID", "TITLE", "OPPORTUNITY"},
	})
	for deal, err := range deals {
		var stop *b24.ExportError
		if errors.As(err, &stop) { // every row up to stop.After came whole
			return fmt.Errorf("stopped; b24.After(%d) goes on from there: %w", stop.After, stop.Err)
		}
		if err != nil {
			return err
		}
		fmt.Fprintln(w, deal.ID, deal.Title)
	}
	return nil
}

// Files uploads a report to Drive, downloads it back, and sends a picture inline.
func Files(ctx context.Context, client *b24.Client, folderID int) error {
	f, err := os.Open("report.pdf")
	if err != nil {
		return err
	}
	defer f.Close()
	file, err := disk.New(client).FolderUploadFileFrom(ctx, folderID, "report.pdf", f) // streamed, no base64
	if err != nil {
		return err
	}
	// file.Result is the new file's record: ID, NAME, SIZE, DOWNLOAD_URL, …
	out, err := os.Create("copy.pdf")
	if err != nil {
		return err
	}
	defer out.Close()
	if _, err := client.Download(ctx, string(file.Result.DownloadURL), out); err != nil { // the signed link is never logged
		return err
	}

	photo, err := b24.ReadFile("ann.png") // inline: sent in the form the method takes
	if err != nil {
		return err
	}
	ph := b24.FileData(photo) // CRM records take {"fileData": ["ann.png", "<base64>"]}
	_, err = crm.New(client).ContactAdd(ctx, &crm.ContactAddParams{Fields: &crm.ContactAddFields{Name: b24.Ptr("Ann"), Photo: &ph}})
	if err != nil {
		return err
	}
	p := &note.FileAddParams{DocumentID: 7}
	p.SetFileContent(photo) // fileContent and fileName, from one file
	_, err = note.New(client).FileAdd(ctx, p)
	return err
}

// Events hands each new deal's title, read back, to titles.
func Events(client *b24.Client, applicationToken string, titles chan<- string) http.Handler {
	h := b24event.NewHandler(b24event.Token(applicationToken)) // another token gets 401
	b24event.On(h, func(ctx context.Context, ev *b24event.Event, d *eventdata.OnCrmDealAdd) error {
		deal, err := crm.New(client).DealGet(ctx, &crm.DealGetParams{ID: int(d.Fields.ID)})
		if err != nil {
			return err
		}
		titles <- string(deal.Result.Title)
		return nil
	})
	return h // http.Handle("/events", h): the URL event.bind names
}
