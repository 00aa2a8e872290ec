package spec

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func ptr[T any](v T) *T { return &v }

func TestLoadValid(t *testing.T) {
	dir := filepath.Join("testdata", "valid")
	got, err := Load(dir)
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	im := filepath.Join(dir, "im")
	unread := filepath.Join(im, "im.dialog.unread.yaml")
	types := filepath.Join(im, "_types.yaml")
	helpers := filepath.Join(im, "_helpers.yaml")
	deal := filepath.Join(dir, "crm", "crm.deal.add.yaml")
	comment := filepath.Join(dir, "task", "task.commentitem.add.yaml")
	want := &Spec{Namespaces: []*Namespace{
		{
			Name: "crm",
			Methods: []*Method{{
				Pos:   Pos{File: deal, Line: 2, Col: 9},
				File:  "crm/crm.deal.add.yaml",
				Name:  "crm.deal.add",
				Scope: "crm",
				Kind:  "write",
				Drop: []*Drop{
					{Pos: Pos{File: deal, Line: 6, Col: 5}, Name: "fields.COMPANY_ID", Fix: "The schema repeats a key of fields as a parameter."},
					{Pos: Pos{File: deal, Line: 8, Col: 5}, Name: "result", Fix: "The schema lists the response keys as parameters by mistake."},
				},
				Params: []*Param{
					{Pos: Pos{File: deal, Line: 11, Col: 5}, Name: "fields", Type: "object", Required: true, CLI: "fields", Free: "uf",
						Fields: []*Param{
							{Pos: Pos{File: deal, Line: 16, Col: 9}, Name: "TITLE", Type: "string", GoName: "Title"},
							{Pos: Pos{File: deal, Line: 19, Col: 9}, Name: "CONTACTS", Type: "[]object", Free: "any",
								Fields: []*Param{
									{Pos: Pos{File: deal, Line: 23, Col: 13}, Name: "ID", Type: "id", Required: true},
									{Pos: Pos{File: deal, Line: 26, Col: 13}, Name: "IS_PRIMARY", Type: "boolean", Bool: "YN"},
								}},
							{Pos: Pos{File: deal, Line: 29, Col: 9}, Name: "OPTIONS", Type: "map[string][]map[string]string"},
						}},
					{Pos: Pos{File: deal, Line: 31, Col: 5}, Name: "order", Type: "map[string]string", CLI: "order"},
					{Pos: Pos{File: deal, Line: 33, Col: 5}, Name: "0", Type: "integer", CLI: "first"},
					{Pos: Pos{File: deal, Line: 36, Col: 5}, Name: "_raw", Type: "object", CLI: "raw", Free: "any"},
				},
				Result: &Result{Type: "object",
					Fields: []*Param{
						{Pos: Pos{File: deal, Line: 42, Col: 7}, Name: "ID", Type: "id"},
						{Pos: Pos{File: deal, Line: 44, Col: 7}, Name: "ITEMS", Type: "[]object",
							Fields: []*Param{{Pos: Pos{File: deal, Line: 47, Col: 11}, Name: "NAME", Type: "string"}}},
					},
					Fix: "The schema says array; the portal answers an object."},
			}},
		},
		{
			Name: "im",
			Methods: []*Method{
				{
					Pos:     Pos{File: filepath.Join(im, "im.chat.add.yaml"), Line: 2, Col: 9},
					File:    "im/im.chat.add.yaml",
					Name:    "im.chat.add",
					Scope:   "im",
					Kind:    "write",
					Summary: Text{EN: "Creates a chat.", RU: "Создаёт чат."},
					Params: []*Param{
						{Pos: Pos{File: filepath.Join(im, "im.chat.add.yaml"), Line: 7, Col: 5}, Name: "ATTACH", Type: "[]AttachBlock", CLI: "attach"},
					},
				},
				{
					Pos:        Pos{File: unread, Line: 2, Col: 9},
					File:       "im/im.dialog.unread.yaml",
					Name:       "im.dialog.unread",
					Scope:      "im",
					Kind:       "write",
					Summary:    Text{EN: "Marks the messages of a dialog as unread.", RU: "Отмечает сообщения диалога непрочитанными."},
					Docs:       "https://apidocs.bitrix24.ru/api-reference/chats/messages/im-dialog-unread.html",
					GoName:     "DialogUnread",
					Deprecated: &Deprecation{Successor: "im.v2.Chat.Message.unread"},
					Params: []*Param{
						{Pos: Pos{File: unread, Line: 13, Col: 5}, Name: "DIALOG_ID", Type: "dialog_id", Required: true, CLI: "chat", GoName: "DialogID",
							Summary: Text{EN: "Dialog.", RU: "Диалог."}},
						{Pos: Pos{File: unread, Line: 21, Col: 5}, Name: "MESSAGE_ID", Type: "id", CLI: "message-id"},
						{Pos: Pos{File: unread, Line: 23, Col: 5}, Name: "HIDE_HISTORY", Type: "boolean", CLI: "hide-history", Bool: "YN",
							Default: "N", Enum: []string{"Y", "N"}, Fix: "The schema says required."},
						{Pos: Pos{File: unread, Line: 29, Col: 5}, Name: "MUTE", Type: "boolean", CLI: "mute", Bool: "json"},
						{Pos: Pos{File: unread, Line: 31, Col: 5}, Name: "fileContent", Type: "[]string", CLI: "file-content"},
					},
					Result:  &Result{Type: "boolean", Summary: Text{EN: "true on success.", RU: "true при успехе."}},
					Example: "{\"result\": true, \"time\": {\"start\": 1772624862}}\n",
					OPI: []*OPIFunc{{
						Pos:     Pos{File: unread, Line: 39, Col: 5},
						RU:      "ОтметитьСообщениеКакНепрочитанное",
						EN:      "MarkMessageAsUnreaded",
						Aliases: []string{"MarkMessageUnread"},
						Region:  "MessageManagement",
						Options: []*OPIOption{
							{Pos: Pos{File: unread, Line: 44, Col: 9}, CLI: "chat", Param: "DIALOG_ID", RU: "IDЧата", EN: "ChatID"},
							{Pos: Pos{File: unread, Line: 48, Col: 9}, CLI: "fields", Spread: true, RU: "Поля", EN: "Fields", Required: ptr(false)},
						},
						Fixed: []Fixed{{Key: "MUTE", Value: "Y"}, {Key: "MESSAGE_ID", Value: 5}},
					}},
				},
			},
			Types: []*Struct{
				{Pos: Pos{File: types, Line: 12, Col: 5}, File: "im/_types.yaml", Name: "AttachBlock", Summary: Text{EN: "A block.", RU: "Блок."}, Free: "uf",
					Fields: []*Param{
						{Pos: Pos{File: types, Line: 16, Col: 9}, Name: "IMAGE", Type: "AttachImage", CLI: "image"},
						// a structure's own fields keep a CLI option; nested ones get none
						{Pos: Pos{File: types, Line: 18, Col: 9}, Name: "SIZE", Type: "object", CLI: "size", Free: "any",
							Fields: []*Param{{Pos: Pos{File: types, Line: 22, Col: 13}, Name: "WIDTH", Type: "integer"}}},
					}},
				{Pos: Pos{File: types, Line: 3, Col: 5}, File: "im/_types.yaml", Name: "AttachImage", Summary: Text{EN: "An image block.", RU: "Блок картинки."},
					Fields: []*Param{
						{Pos: Pos{File: types, Line: 7, Col: 9}, Name: "LINK", Type: "string", Required: true, CLI: "link"},
						{Pos: Pos{File: types, Line: 10, Col: 9}, Name: "NAME", Type: "string", CLI: "name"},
					}},
			},
			Helpers: []*Helper{{
				Pos:     Pos{File: helpers, Line: 3, Col: 5},
				File:    "im/_helpers.yaml",
				RU:      "ПолучитьБлокКартинки",
				EN:      "GetPictureBlock",
				Region:  "MessageManagement",
				Summary: Text{EN: "Builds an image block.", RU: "Собирает блок картинки."},
				Result:  "AttachBlock",
				Options: []*HelperOption{
					{Pos: Pos{File: helpers, Line: 9, Col: 9}, CLI: "title", RU: "Наименование", EN: "Name", Type: "string", Required: true,
						Summary: Text{EN: "Image name.", RU: "Имя картинки."}},
					{Pos: Pos{File: helpers, Line: 15, Col: 9}, CLI: "url", RU: "URL", EN: "URL", Type: "string"},
					{Pos: Pos{File: helpers, Line: 19, Col: 9}, CLI: "empty", RU: "Пустой", EN: "Empty", Type: "boolean"},
				},
				Template: "{\"IMAGE\": {\"NAME\": \"$title\", \"LINK\": \"$url\"}}\n",
				Clear:    "empty",
			}},
		},
		{
			Name: "task",
			Methods: []*Method{{
				Pos:        Pos{File: comment, Line: 2, Col: 9},
				File:       "task/task.commentitem.add.yaml",
				Name:       "task.commentitem.add",
				Scope:      "task",
				Kind:       "write",
				Summary:    Text{EN: "Adds a comment to a task.", RU: "Добавляет комментарий к задаче."},
				Positional: true,
				Params: []*Param{
					{Pos: Pos{File: comment, Line: 8, Col: 5}, Name: "TASKID", Type: "id", Required: true, CLI: "taskid"},
					{Pos: Pos{File: comment, Line: 11, Col: 5}, Name: "FIELDS", Type: "object", CLI: "fields",
						Fields: []*Param{{Pos: Pos{File: comment, Line: 14, Col: 9}, Name: "POST_MESSAGE", Type: "string",
							Summary: Text{EN: "Text.", RU: "Текст."}}}},
				},
				Result: &Result{Type: "id"},
			}},
		},
		{
			Name: "user",
			Methods: []*Method{{
				Pos:     Pos{File: filepath.Join(dir, "user", "user.get.yaml"), Line: 2, Col: 9},
				File:    "user/user.get.yaml",
				Name:    "user.get",
				Scope:   "user",
				Kind:    "read",
				Summary: Text{EN: "Lists users.", RU: "Список пользователей."},
				List:    &List{Pos: Pos{File: filepath.Join(dir, "user", "user.get.yaml"), Line: 7, Col: 3}, ID: "ID"},
				Params: []*Param{
					{Pos: Pos{File: filepath.Join(dir, "user", "user.get.yaml"), Line: 9, Col: 5}, Name: "filter", Type: "object", CLI: "filter"},
					{Pos: Pos{File: filepath.Join(dir, "user", "user.get.yaml"), Line: 11, Col: 5}, Name: "order", Type: "map[string]string", CLI: "order"},
					{Pos: Pos{File: filepath.Join(dir, "user", "user.get.yaml"), Line: 13, Col: 5}, Name: "start", Type: "integer", CLI: "start"},
				},
			}},
		},
	}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Load mismatch (-want +got):\n%s", diff)
	}
}

func TestKebab(t *testing.T) {
	for in, want := range map[string]string{
		"DIALOG_ID":   "dialog-id",
		"fileContent": "file-content",
		"ID":          "id",
		"HTMLText":    "html-text",
		"chatId":      "chat-id",
		"IMAGE_URL2":  "image-url2",
		"__A__B":      "a-b",
		"user2Name":   "user2-name",
	} {
		if got := Kebab(in); got != want {
			t.Errorf("Kebab(%q) = %q, want %q", in, got, want)
		}
	}
}
