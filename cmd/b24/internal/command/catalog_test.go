package command

import (
	"github.com/b24gen/b24gen/b24"

	"sync"

	"github.com/b24gen/b24gen/clikit"
)

// testCatalog is a hand-written stand-in for generated/cli: a few methods and OPI functions covering a
// spread option, fixed fields, helpers with a template and a clear option, Y/N booleans, arrays,
// an object and a base64 file. It counts Methods calls so tests can check the tree stays lazy.
type testCatalog struct {
	mu      sync.Mutex
	methods []string // namespaces asked for, in order
}

func (tc *testCatalog) catalog() Catalog {
	return Catalog{Stubs: tc.stubs, Methods: tc.methodsOf, OPI: tc.opi}
}

func (tc *testCatalog) asked() []string {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	return append([]string(nil), tc.methods...)
}

func (tc *testCatalog) stubs() []clikit.Stub {
	return []clikit.Stub{
		{Name: "call.followup.get", Namespace: "call", Scope: "telephony"},
		{Name: "crm.deal.add", Namespace: "crm", Scope: "crm"},
		{Name: "crm.deal.get", Namespace: "crm", Scope: "crm"},
		{Name: "crm.deal.list", Namespace: "crm", Scope: "crm"},
		{Name: "crm.lead.get", Namespace: "crm", Summary: "Returns a lead by ID.", Scope: "crm"},
		{Name: "im.chat.add", Namespace: "im", Summary: "Creates a chat.", Scope: "im"},
		{Name: "im.dialog.unread", Namespace: "im", Summary: "Marks the messages of a dialog as unread."},
		{Name: "im.message.add", Namespace: "im", Summary: "Sends a message."},
		{Name: "im.old.send", Namespace: "im", Summary: "Old way to send."},
		{Name: "task.commentitem.add", Namespace: "task", Scope: "task"},
	}
}

func (tc *testCatalog) methodsOf(ns string) []clikit.Method {
	tc.mu.Lock()
	tc.methods = append(tc.methods, ns)
	tc.mu.Unlock()
	switch ns {
	case "call":
		return []clikit.Method{{
			Name: "call.followup.get", Kind: "read",
			Params: []clikit.Param{{Flag: "id", Wire: "id", Type: "id", Required: true}},
		}}
	case "crm":
		return []clikit.Method{
			{
				// Imported methods have no summary; fields and order are the typed structures of issue 3.
				Name: "crm.deal.add", Kind: "write",
				Params: []clikit.Param{
					{Flag: "fields", Wire: "fields", Type: "object", Required: true},
					{Flag: "params", Wire: "params", Type: "object"},
				},
			},
			{
				Name: "crm.deal.get", Kind: "read",
				Params: []clikit.Param{{Flag: "id", Wire: "id", Type: "id", Required: true}},
			},
			{
				Name: "crm.deal.list", Kind: "read",
				Params: []clikit.Param{
					{Flag: "select", Wire: "select", Type: "[]string"},
					{Flag: "filter", Wire: "filter", Type: "object"},
					{Flag: "order", Wire: "order", Type: "map[string]string"},
					{Flag: "weights", Wire: "weights", Type: "map[string]integer"},
					{Flag: "start", Wire: "start", Type: "integer"},
				},
				List: &b24.ListShape{ID: "ID", Start: "start", Filter: "filter", Order: "order"},
			},
			{
				Name: "crm.lead.get", SummaryEN: "Returns a lead by ID.", Kind: "read",
				Params: []clikit.Param{{Flag: "id", Wire: "id", Type: "id", Required: true, Usage: "Lead ID."}},
			},
		}
	case "task":
		return []clikit.Method{{
			Name: "task.commentitem.add", Kind: "write", Positional: true, Deprecated: true,
			Successor: "tasks.task.chat.message.send",
			Params: []clikit.Param{
				{Flag: "taskid", Wire: "TASKID", Type: "integer", Required: true},
				{Flag: "fields", Wire: "FIELDS", Type: "object", Required: true},
				{Flag: "extra", Wire: "EXTRA", Type: "any"},
			},
		}}
	case "im":
		return []clikit.Method{
			{
				Name: "im.chat.add", SummaryEN: "Creates a chat.", Kind: "write",
				Params: []clikit.Param{
					{Flag: "type", Wire: "TYPE", Type: "string", Enum: []string{"OPEN", "CHAT"}},
					{Flag: "title", Wire: "TITLE", Type: "string"},
					{Flag: "users", Wire: "USERS", Type: "[]id", Required: true},
					{Flag: "avatar", Wire: "AVATAR", Type: "base64"},
				},
			},
			{
				Name: "im.dialog.unread", SummaryEN: "Marks the messages of a dialog as unread.",
				SummaryRU: "Отмечает сообщения диалога непрочитанными.", Kind: "write",
				Docs: "https://apidocs.bitrix24.ru/api-reference/chats/messages/im-dialog-unread.html",
				Params: []clikit.Param{
					{Flag: "chat", Wire: "DIALOG_ID", Type: "dialog_id", Required: true, Usage: "Dialog: chatXXX or a user ID."},
					{Flag: "message", Wire: "MESSAGE_ID", Type: "id", Required: true, Usage: "First message to mark."},
				},
			},
			{
				Name: "im.message.add", SummaryEN: "Sends a message.", Kind: "write",
				Params: []clikit.Param{
					{Flag: "dialog-id", Wire: "DIALOG_ID", Type: "dialog_id", Required: true},
					{Flag: "message", Wire: "MESSAGE", Type: "string", Required: true},
					{Flag: "attach", Wire: "ATTACH", Type: "[]object"},
					{Flag: "url-preview", Wire: "URL_PREVIEW", Type: "boolean", Bool: "YN"},
					{Flag: "system", Wire: "SYSTEM", Type: "boolean", Bool: "10"},
					{Flag: "keyboard", Wire: "KEYBOARD", Type: "object"},
				},
			},
			{
				Name: "im.old.send", SummaryEN: "Old way to send.", Deprecated: true, Successor: "im.message.add",
				Params: []clikit.Param{{Flag: "text", Wire: "TEXT", Type: "string"}},
			},
		}
	}
	return nil
}

func (tc *testCatalog) opi() []clikit.OPIFunc {
	return []clikit.OPIFunc{
		{
			RU: "ИзменитьКартинкуЧата", EN: "ChangeChatPicture", Method: "im.chat.updateAvatar",
			Options: []clikit.Option{
				{Flag: "chat", Wire: "CHAT_ID", Type: "id", Required: true},
				{Flag: "picture", Wire: "AVATAR", Type: "base64", Required: true, Usage: "Picture: a path or a URL."},
			},
		},
		{
			RU: "СоздатьЧат", EN: "CreateChat", Method: "im.chat.add",
			Options: []clikit.Option{{Flag: "fields", Spread: true, Type: "object", Required: true, Usage: "Chat fields."}},
		},
		{
			RU: "ОтключитьУведомленияЧата", EN: "DisableChatNotifications", Method: "im.chat.mute",
			Options: []clikit.Option{{Flag: "chat", Wire: "CHAT_ID", Type: "id", Required: true}},
			Fixed:   []clikit.Field{{Key: "MUTE", Value: "Y"}},
		},
		{
			RU: "ПолучитьСтруктуруЧата", EN: "GetChatStructure",
			Options:  []clikit.Option{{Flag: "empty", Type: "boolean", Usage: "true empties every value."}},
			Template: `{"TYPE": "OPEN", "TITLE": "Обсуждение", "USERS": [1, 10], "OWNER_ID": 1}`,
			Clear:    "empty",
		},
		{
			RU: "ПолучитьБлокКартинки", EN: "GetPictureBlock",
			Options: []clikit.Option{
				{Flag: "title", Type: "string", Required: true},
				{Flag: "url", Type: "string", Required: true, Usage: "URL of the image."},
			},
			Template: `{"IMAGE": {"NAME": "$title", "LINK": "$url"}}`,
		},
		{
			RU: "ОтметитьСообщениеКакНепрочитанное", EN: "MarkMessageAsUnreaded", Aliases: []string{"MarkMessageAsUnread"},
			Method: "im.dialog.unread",
			Options: []clikit.Option{
				{Flag: "chat", Wire: "DIALOG_ID", Type: "dialog_id", Required: true},
				{Flag: "message", Wire: "MESSAGE_ID", Type: "id", Required: true},
			},
		},
		{
			RU: "ОтправитьСообщение", EN: "SendMessage", Method: "im.message.add",
			Options: []clikit.Option{
				{Flag: "chat", Wire: "DIALOG_ID", Type: "dialog_id", Required: true},
				{Flag: "text", Wire: "MESSAGE", Type: "string", Required: true},
				{Flag: "blocks", Wire: "ATTACH", Type: "[]object"},
				{Flag: "preview", Wire: "URL_PREVIEW", Type: "boolean", Bool: "YN"},
			},
		},
	}
}
