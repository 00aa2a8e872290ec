package model

import "testing"

func TestCamel(t *testing.T) {
	compounds := map[string][]string{"taskid": {"task", "id"}, "afteritemid": {"after", "item", "id"}, "begindate": {"begin", "date"}}
	for in, want := range map[string]string{
		"dialog.unread":              "DialogUnread",
		"chat.updateTitle":           "ChatUpdateTitle",
		"chat.user.add":              "ChatUserAdd",
		"DIALOG_ID":                  "DialogID",
		"HIDE_HISTORY":               "HideHistory",
		"URL_PREVIEW":                "URLPreview",
		"UF_CRM_TASK":                "UFCrmTask",
		"taskId":                     "TaskID",
		"USER_IDS":                   "UserIDs",
		"HTMLText":                   "HTMLText",
		"folder.getExternalLink":     "FolderGetExternalLink",
		"task.result.addFromComment": "TaskResultAddFromComment",
		"v2.Chat.Message.unread":     "V2ChatMessageUnread",
		"1C":                         "X1C",
		"ip_address":                 "IPAddress",
		"COMPANY_UUID":               "CompanyUUID",
		"TASKID":                     "TaskID",
		"AFTERITEMID":                "AfterItemID",
		"BEGINDATE":                  "BeginDate",
		"PAID":                       "Paid",
		"TASKIDS":                    "Taskids", // not a compound of the table: one word
	} {
		if got := camel(in, compounds); got != want {
			t.Errorf("camel(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPackageName(t *testing.T) {
	for in, want := range map[string]string{
		"im": "im", "sonet_group": "sonetgroup", "crm": "crm", "cli": "cliapi", "go": "goapi",
		"b24": "b24api", "fixtures": "fixturesapi", "catalog": "catalog", "log": "logapi", "main": "mainapi", "2fa": "ns2fa",
	} {
		if got := packageName(in); got != want {
			t.Errorf("packageName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFileStem(t *testing.T) {
	for in, want := range map[string]string{"dialog": "dialog", "user_linux": "userlinux", "doc": "docmethods", "types": "typesmethods", "Chat": "chat"} {
		if got := fileStem(in); got != want {
			t.Errorf("fileStem(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEntityOf(t *testing.T) {
	for _, c := range []struct{ wire, ns, want string }{
		{"im.dialog.unread", "im", "dialog"},
		{"user.get", "user", "user"},
		{"booking.v1.booking.add", "booking", "v1booking"},
		{"im.v2.File.download", "im", "v2File"},
		{"crm.v2.list", "crm", "v2"},
		{"tasks.task.getFields", "tasks", "task"},
	} {
		if got := entityOf(c.wire, c.ns); got != c.want {
			t.Errorf("entityOf(%q) = %q, want %q", c.wire, got, c.want)
		}
	}
}
