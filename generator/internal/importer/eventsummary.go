package importer

import (
	"fmt"
	"strings"

	"github.com/b24gen/b24gen/generator/internal/spec"
)

const ruleEventSummary = "an event named by an object and an action (onCrmDealAdd) → its summary in both languages, from a table of the objects and one of the actions; the other events from a table of their own"

// eventNoun is an object events are about, in the forms the summaries need.
type eventNoun struct {
	en, enPl string // with its article: "a CRM deal"; plural: "CRM deals"
	ru, ruPl string // genitive: "сделки CRM"; plural: "сделок CRM"
}

// eventNouns are the objects, by the words of the event's name between On and the action.
var eventNouns = map[string]eventNoun{
	"Booking":                      {"a booking", "bookings", "бронирования", "бронирований"},
	"BookingResource":              {"a booking resource", "booking resources", "ресурса бронирования", "ресурсов бронирования"},
	"Resource":                     {"a booking resource", "booking resources", "ресурса бронирования", "ресурсов бронирования"},
	"BookingResourceType":          {"a booking resource type", "booking resource types", "типа ресурсов бронирования", "типов ресурсов бронирования"},
	"BookingWaitListItem":          {"a waiting list entry", "waiting list entries", "записи листа ожидания", "записей листа ожидания"},
	"CalendarEntry":                {"a calendar event", "calendar events", "события календаря", "событий календаря"},
	"CalendarSection":              {"a calendar", "calendars", "календаря", "календарей"},
	"CatalogMeasure":               {"a unit of measure", "units of measure", "единицы измерения", "единиц измерения"},
	"CrmMeasure":                   {"a unit of measure", "units of measure", "единицы измерения", "единиц измерения"},
	"CatalogPrice":                 {"a product price", "product prices", "цены товара", "цен товаров"},
	"CatalogPriceType":             {"a price type", "price types", "типа цены", "типов цен"},
	"CatalogProduct":               {"a catalog product", "catalog products", "товара каталога", "товаров каталога"},
	"CatalogRounding":              {"a price rounding rule", "price rounding rules", "правила округления цен", "правил округления цен"},
	"CrmActivity":                  {"a CRM activity", "CRM activities", "дела CRM", "дел CRM"},
	"CrmBankDetail":                {"a bank detail", "bank details", "банковского реквизита", "банковских реквизитов"},
	"CrmCompany":                   {"a company", "companies", "компании", "компаний"},
	"CrmContact":                   {"a contact", "contacts", "контакта", "контактов"},
	"CrmCurrency":                  {"a currency", "currencies", "валюты", "валют"},
	"CrmDeal":                      {"a deal", "deals", "сделки", "сделок"},
	"CrmDealRecurring":             {"a recurring deal template", "recurring deal templates", "шаблона повторяющейся сделки", "шаблонов повторяющихся сделок"},
	"CrmDocumentGeneratorDocument": {"a generated CRM document", "generated CRM documents", "документа, созданного в CRM", "документов, созданных в CRM"},
	"CrmDynamicItem":               {"a smart process item", "smart process items", "элемента смарт-процесса", "элементов смарт-процессов"},
	"CrmInvoice":                   {"an old-style invoice", "old-style invoices", "счёта старого формата", "счетов старого формата"},
	"CrmInvoiceRecurring":          {"a recurring invoice template", "recurring invoice templates", "шаблона повторяющегося счёта", "шаблонов повторяющихся счетов"},
	"CrmLead":                      {"a lead", "leads", "лида", "лидов"},
	"Lead":                         {"a lead", "leads", "лида", "лидов"},
	"CrmProduct":                   {"a CRM product", "CRM products", "товара CRM", "товаров CRM"},
	"CrmProductProperty":           {"a product property", "product properties", "свойства товаров", "свойств товаров"},
	"CrmProductSection":            {"a product section", "product sections", "раздела товаров", "разделов товаров"},
	"CrmQuote":                     {"a quote", "quotes", "коммерческого предложения", "коммерческих предложений"},
	"CrmRequisite":                 {"a requisite", "requisites", "реквизита", "реквизитов"},
	"CrmTimelineComment":           {"a timeline comment", "timeline comments", "комментария в таймлайне", "комментариев в таймлайне"},
	"CrmType":                      {"a smart process type", "smart process types", "типа смарт-процесса", "типов смарт-процессов"},
	"ImConnectorMessage":           {"a message of an open channel connector", "messages of open channel connectors", "сообщения коннектора открытых линий", "сообщений коннекторов открытых линий"},
	"ImV2Message":                  {"a chat message", "chat messages", "сообщения в чате", "сообщений в чатах"},
	"Imbot":                        {"a chat bot", "chat bots", "чат-бота", "чат-ботов"},
	"ImbotV2":                      {"a chat bot", "chat bots", "чат-бота", "чат-ботов"},
	"ImbotMessage":                 {"a message to a chat bot", "messages to chat bots", "сообщения чат-боту", "сообщений чат-ботам"},
	"ImbotV2Message":               {"a message to a chat bot", "messages to chat bots", "сообщения чат-боту", "сообщений чат-ботам"},
	"LiveFeedPost":                 {"a Feed post", "Feed posts", "сообщения Ленты", "сообщений Ленты"},
	"OpenLineMessage":              {"an open channel message", "open channel messages", "сообщения открытой линии", "сообщений открытых линий"},
	"Order":                        {"an order", "orders", "заказа", "заказов"},
	"SaleOrder":                    {"an order", "orders", "заказа", "заказов"},
	"Payment":                      {"a payment", "payments", "оплаты", "оплат"},
	"PropertyValue":                {"an order property value", "order property values", "значения свойства заказа", "значений свойств заказов"},
	"Shipment":                     {"a shipment", "shipments", "отгрузки", "отгрузок"},
	"SonetGroup":                   {"a workgroup", "workgroups", "рабочей группы", "рабочих групп"},
	"SonetGroupSubject":            {"a workgroup subject", "workgroup subjects", "тематики рабочих групп", "тематик рабочих групп"},
	"Task":                         {"a task", "tasks", "задачи", "задач"},
	"TaskComment":                  {"a task comment", "task comments", "комментария к задаче", "комментариев к задачам"},
	"User":                         {"a user", "users", "пользователя", "пользователей"},
}

// eventAction is what happened to the object: an English clause with %s for the object, and the
// Russian noun after «при» with %s for its genitive.
type eventAction struct {
	words, en, ru string
	plural        bool // the object in the plural (the user fields of deals)
}

// eventActions, longest first: the first whose words end the name applies.
var eventActions = []eventAction{
	{"UserFieldSetEnumValues", "the values of a list user field of %s are set", "задании значений списочного пользовательского поля %s", true},
	{"UserFieldAdd", "a user field of %s is added", "добавлении пользовательского поля %s", true},
	{"UserFieldUpdate", "a user field of %s is changed", "изменении пользовательского поля %s", true},
	{"UserFieldDelete", "a user field of %s is deleted", "удалении пользовательского поля %s", true},
	{"MoveToCategory", "%s is moved to another pipeline", "переносе %s в другую воронку", false},
	{"SetStatus", "the status of %s is changed", "смене статуса %s", false},
	{"Expose", "%s makes its next copy", "срабатывании %s", false},
	{"EntitySaved", "%s is saved", "сохранении %s", false},
	{"Saved", "%s is saved", "сохранении %s", false},
	{"OnAdd", "%s is added", "добавлении %s", false},
	{"OnUpdate", "%s is changed", "изменении %s", false},
	{"OnDelete", "%s is deleted", "удалении %s", false},
	{"Add", "%s is added", "добавлении %s", false},
	{"Update", "%s is changed", "изменении %s", false},
	{"Deleted", "%s is deleted", "удалении %s", false},
	{"Delete", "%s is deleted", "удалении %s", false},
}

// eventSpecial are the summaries of the events no object and action name.
var eventSpecial = map[string]spec.Text{
	"AppInstall":                                   {EN: "Sent when the app is installed on a portal: it carries the portal's tokens and application token.", RU: "Отправляется при установке приложения на портал: несёт токены портала и токен приложения."},
	"AppUninstall":                                 {EN: "Sent when the app is removed from a portal; it carries no tokens.", RU: "Отправляется при удалении приложения с портала; токенов не несёт."},
	"AppUpdate":                                    {EN: "Sent when the app is updated to a new version on a portal.", RU: "Отправляется при обновлении приложения на портале до новой версии."},
	"AppTest":                                      {EN: "Sent by the portal to test an event handler.", RU: "Отправляется порталом для проверки обработчика событий."},
	"AppMethodConfirm":                             {EN: "Sent when an administrator confirms or refuses a method the app asked for.", RU: "Отправляется, когда администратор подтверждает или отклоняет метод, запрошенный приложением."},
	"AppPayment":                                   {EN: "Sent when the app is paid for on a portal.", RU: "Отправляется при оплате приложения на портале."},
	"OfflineEvent":                                 {EN: "Sent when new events wait in the offline queue (event.offline.get takes them); its data is empty.", RU: "Отправляется, когда в офлайн-очереди появились события (их забирает event.offline.get); данных не несёт."},
	"CrmAddressRegister":                           {EN: "Sent when an address is registered for a CRM entity.", RU: "Отправляется при регистрации адреса объекта CRM."},
	"CrmAddressUnregister":                         {EN: "Sent when an address of a CRM entity is unregistered.", RU: "Отправляется при отмене регистрации адреса объекта CRM."},
	"ExternalCallStart":                            {EN: "Sent when a call is started from a CRM card through an external telephony app.", RU: "Отправляется при начале звонка из карточки CRM через внешнее приложение телефонии."},
	"ExternalCallBackStart":                        {EN: "Sent when a callback is ordered through an external telephony app.", RU: "Отправляется при заказе обратного звонка через внешнее приложение телефонии."},
	"VoximplantCallInit":                           {EN: "Sent when a call is set up in the portal's telephony.", RU: "Отправляется при инициализации звонка в телефонии портала."},
	"VoximplantCallStart":                          {EN: "Sent when a call of the portal's telephony is answered.", RU: "Отправляется при начале разговора в телефонии портала."},
	"VoximplantCallEnd":                            {EN: "Sent when a call of the portal's telephony ends.", RU: "Отправляется при завершении звонка в телефонии портала."},
	"ImConnectorDialogStart":                       {EN: "Sent when a dialog of an open channel connector starts.", RU: "Отправляется при начале диалога коннектора открытых линий."},
	"ImConnectorDialogFinish":                      {EN: "Sent when a dialog of an open channel connector ends.", RU: "Отправляется при завершении диалога коннектора открытых линий."},
	"ImConnectorLineDelete":                        {EN: "Sent when an open channel is deleted.", RU: "Отправляется при удалении открытой линии."},
	"ImConnectorStatusDelete":                      {EN: "Sent when a connector is disconnected from an open channel.", RU: "Отправляется при отключении коннектора от открытой линии."},
	"SessionStart":                                 {EN: "Sent when an open channel session starts.", RU: "Отправляется при начале сессии открытой линии."},
	"SessionFinish":                                {EN: "Sent when an open channel session ends.", RU: "Отправляется при завершении сессии открытой линии."},
	"ImCommandAdd":                                 {EN: "Sent when a chat bot command is sent in a chat.", RU: "Отправляется при вызове команды чат-бота в чате."},
	"ImbotV2CommandAdd":                            {EN: "Sent when a chat bot command is sent in a chat.", RU: "Отправляется при вызове команды чат-бота в чате."},
	"ImbotJoinChat":                                {EN: "Sent when a chat bot is added to a chat.", RU: "Отправляется при добавлении чат-бота в чат."},
	"ImbotV2JoinChat":                              {EN: "Sent when a chat bot is added to a chat.", RU: "Отправляется при добавлении чат-бота в чат."},
	"ImV2JoinChat":                                 {EN: "Sent when the app's bot or user is added to a chat.", RU: "Отправляется при добавлении бота или пользователя приложения в чат."},
	"ImV2Reactionchange":                           {EN: "Sent when a reaction to a chat message changes.", RU: "Отправляется при изменении реакции на сообщение в чате."},
	"ImbotV2Reactionchange":                        {EN: "Sent when a reaction to a chat bot's message changes.", RU: "Отправляется при изменении реакции на сообщение чат-бота."},
	"ImbotV2Contextget":                            {EN: "Sent when a chat bot is asked for the context of a chat.", RU: "Отправляется, когда у чат-бота запрашивают контекст чата."},
	"SaleBeforeOrderDelete":                        {EN: "Sent before an order is deleted.", RU: "Отправляется перед удалением заказа."},
	"SignB2eDocumentStatusChanged":                 {EN: "Sent when the status of an HR e-signature document changes.", RU: "Отправляется при смене статуса документа кадрового ЭДО."},
	"SignB2eMemberStatusChanged":                   {EN: "Sent when the status of a signer of an HR e-signature document changes.", RU: "Отправляется при смене статуса участника подписания в кадровом ЭДО."},
	"SignHcmLinkB2eDocumentSigned":                 {EN: "Sent when an HR document of an HR system integration is signed.", RU: "Отправляется при подписании кадрового документа интеграции с кадровой системой."},
	"HumanResourcesHcmLinkEmployeeListRequested":   {EN: "Sent when the HR system integration asks for the list of employees.", RU: "Отправляется, когда интеграция с кадровой системой запрашивает список сотрудников."},
	"HumanResourcesHcmLinkEmployeeListMapped":      {EN: "Sent when employees are matched with the HR system's.", RU: "Отправляется при сопоставлении сотрудников с сотрудниками кадровой системы."},
	"HumanResourcesHcmLinkFieldValueRequested":     {EN: "Sent when the HR system integration asks for field values.", RU: "Отправляется, когда интеграция с кадровой системой запрашивает значения полей."},
	"HumanResourcesHcmLinkPinRequested":            {EN: "Sent when the HR system integration asks for a PIN.", RU: "Отправляется, когда интеграция с кадровой системой запрашивает PIN."},
	"HumanResourcesHcmLinkSalaryVacationRequested": {EN: "Sent when the HR system integration asks for salary and vacation data.", RU: "Отправляется, когда интеграция с кадровой системой запрашивает данные о зарплате и отпусках."},
}

// eventSummary is the summary of an event by its Go name's words, and whether the tables know it.
func eventSummary(goName string) (spec.Text, bool) {
	name := strings.TrimPrefix(goName, "On")
	if t, ok := eventSpecial[name]; ok {
		return t, true
	}
	for _, a := range eventActions {
		obj, ok := strings.CutSuffix(name, a.words)
		if !ok {
			continue
		}
		n, known := eventNouns[obj]
		if !known {
			return spec.Text{}, false
		}
		en, ru := n.en, n.ru
		if a.plural {
			en, ru = n.enPl, n.ruPl
		}
		clause := fmt.Sprintf(a.en, en)
		return spec.Text{EN: "Sent when " + clause + ".", RU: "Отправляется при " + fmt.Sprintf(a.ru, ru) + "."}, true
	}
	return spec.Text{}, false
}
