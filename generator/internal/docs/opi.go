package docs

import (
	"slices"
	"strings"
	"unicode"

	"github.com/b24gen/b24gen/generator/internal/model"
)

// OPIPage is the page, in each language's folder, that lists the OpenIntegrations functions by
// region: OPI groups its docs that way, and the docs site builds its region navigation from it.
const OPIPage = "openintegrations.md"

// regions are OPI's regions (#Region in its Bitrix24 module) in OPI's order, with their titles;
// the Russian ones are those of OPI's CLI index, the English ones follow its docs folders
// (SettingsAndAdministartion keeps OPI's typo as an id, not as a title).
var regions = []struct{ ID, EN, RU string }{
	{"SettingsAndAdministartion", "Settings and administration", "Настройки и администрирование"},
	{"FeedPostsManagement", "Feed posts management", "Работа с живой лентой"},
	{"TasksManagement", "Tasks management", "Работа с задачами"},
	{"CustomsTasksFieldsManagement", "Task custom fields management", "Работа с пользовательскими полями задач"},
	{"TasksChecklistsManagement", "Task checklists management", "Работа с чеклистами задач"},
	{"CommentsAndResultsManagement", "Task comments and results management", "Работа с комментариями и результатами задач"},
	{"Kanban", "Kanban", "Канбан"},
	{"Timekeeping", "Timekeeping", "Учет рабочего времени"},
	{"StoragesManagement", "Storages management", "Работа с хранилищами"},
	{"CatalogsManagement", "Catalogs (folders) management", "Работа с каталогами"},
	{"FileManagement", "File management", "Работа с файлами"},
	{"ChatsAndDialogsManagement", "Chats and dialogs management", "Работа с чатами и диалогами"},
	{"MessageManagement", "Message management", "Работа с сообщениями"},
	{"NotificationsManagement", "Notifications management", "Работа с уведомлениями"},
	{"DepartmentsManagement", "Departments management", "Управление подразделениями"},
	{"UsersManagement", "Users management", "Управление пользователями"},
	{"LeadsManagement", "Leads management", "Работа с лидами"},
	{"DealsManagement", "Deals management", "Работа со сделками"},
	{"CalendarsManagement", "Calendars management", "Работа с календарями"},
	{"CalendarEventsManagement", "Calendar events management", "Работа с событиями календарей"},
}

// regionOrder is a region's place: OPI's regions first, in OPI's order, then the others (a
// module's own functions may name new ones) by id.
func regionOrder(id string) int {
	for i, r := range regions {
		if r.ID == id {
			return i
		}
	}
	return len(regions)
}

// regionTitle is a region's title in a language: OPI's, or for another id its words
// ("MyReports": "My reports").
func regionTitle(id, lang string) string {
	for _, r := range regions {
		if r.ID == id {
			return pick(model.Text{EN: r.EN, RU: r.RU}, lang)
		}
	}
	if id == "" {
		return pick(model.Text{EN: "Other functions", RU: "Другие функции"}, lang)
	}
	var sb strings.Builder
	for i, r := range id {
		if i > 0 && unicode.IsUpper(r) {
			sb.WriteByte(' ')
			r = unicode.ToLower(r)
		}
		sb.WriteRune(r)
	}
	return sb.String()
}

type opiData struct {
	Marker  string
	Count   int
	Regions []opiRegion
}

type opiRegion struct {
	Title string
	Funcs []opiRow
}

type opiRow struct{ Name, Other, Link, Method, Summary string }

// opiPage lists every OPI function under its region, named in the page's language first, linked
// to the page that shows its CLI call: its method's, or a helper's own.
func opiPage(m *model.Model, lang string) *opiData {
	byRegion := map[string][]*model.OPIFunc{}
	var ids []string
	for _, o := range m.OPI {
		if byRegion[o.Region] == nil {
			ids = append(ids, o.Region)
		}
		byRegion[o.Region] = append(byRegion[o.Region], o)
	}
	slices.SortFunc(ids, func(a, b string) int {
		if d := regionOrder(a) - regionOrder(b); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	p := &opiData{Marker: marker("spec/"), Count: len(m.OPI)}
	for _, id := range ids {
		r := opiRegion{Title: regionTitle(id, lang)}
		for _, o := range byRegion[id] {
			row := opiRow{Name: o.EN, Other: o.RU}
			if lang == "ru" {
				row.Name, row.Other = o.RU, o.EN
			}
			switch {
			case o.Method != nil:
				row.Link = o.Method.NS.Name + "/" + o.Method.Wire + ".md"
				row.Method = "`" + o.Method.Wire + "`"
				row.Summary = cell(o.Method.Summarized(lang))
			case o.Helper != nil:
				row.Link = o.Helper.NS.Name + "/" + o.DocsFile
				row.Method = pick(model.Text{EN: "helper: sends nothing", RU: "вспомогательная: ничего не отправляет"}, lang)
				row.Summary = cell(pick(o.Helper.Summary, lang))
			}
			r.Funcs = append(r.Funcs, row)
		}
		slices.SortStableFunc(r.Funcs, func(a, b opiRow) int { return strings.Compare(a.Name, b.Name) })
		p.Regions = append(p.Regions, r)
	}
	return p
}
