package invoicepdf

import "github.com/clientzone/clientzone/shared/clientzone"

// labels are the texts of an invoice PDF in one language.
type labels struct {
	Title, Number, Issued, Due, Customer, BillingAddress, VariableSymbol, CompanyID, VATID string
	Description, Quantity, UnitPrice, LineTotal, VAT, Total, Status                        string
	Statuses                                                                               map[clientzone.InvoiceStatus]string
	Decimal, Thousands                                                                     string
	DateLayout                                                                             string // Go time layout
}

var catalog = map[clientzone.Language]labels{
	clientzone.LangEN: {
		Title: "Invoice", Number: "Invoice number", Issued: "Issue date", Due: "Due date",
		Customer: "Customer", BillingAddress: "Billing address", VariableSymbol: "Variable symbol",
		CompanyID: "Company ID", VATID: "VAT ID",
		Description: "Description", Quantity: "Qty", UnitPrice: "Unit price", LineTotal: "Total",
		VAT: "VAT", Total: "Total due", Status: "Status",
		Statuses: map[clientzone.InvoiceStatus]string{
			clientzone.InvoiceUnpaid: "Unpaid", clientzone.InvoicePaid: "Paid",
			clientzone.InvoiceOverdue: "Overdue", clientzone.InvoiceCancelled: "Cancelled",
		},
		Decimal: ".", Thousands: ",", DateLayout: "2006-01-02",
	},
	clientzone.LangSK: {
		Title: "Faktúra", Number: "Číslo faktúry", Issued: "Dátum vystavenia", Due: "Dátum splatnosti",
		Customer: "Odberateľ", BillingAddress: "Fakturačná adresa", VariableSymbol: "Variabilný symbol",
		CompanyID: "IČO", VATID: "IČ DPH",
		Description: "Popis", Quantity: "Množstvo", UnitPrice: "Jedn. cena", LineTotal: "Spolu",
		VAT: "DPH", Total: "Na úhradu", Status: "Stav",
		Statuses: map[clientzone.InvoiceStatus]string{
			clientzone.InvoiceUnpaid: "Neuhradená", clientzone.InvoicePaid: "Uhradená",
			clientzone.InvoiceOverdue: "Po splatnosti", clientzone.InvoiceCancelled: "Stornovaná",
		},
		Decimal: ",", Thousands: " ", DateLayout: "2. 1. 2006",
	},
	clientzone.LangHU: {
		Title: "Számla", Number: "Számlaszám", Issued: "Kiállítás dátuma", Due: "Fizetési határidő",
		Customer: "Vevő", BillingAddress: "Számlázási cím", VariableSymbol: "Közlemény (azonosító)",
		CompanyID: "Cégjegyzékszám", VATID: "Adószám",
		Description: "Megnevezés", Quantity: "Menny.", UnitPrice: "Egységár", LineTotal: "Összesen",
		VAT: "ÁFA", Total: "Fizetendő", Status: "Állapot",
		Statuses: map[clientzone.InvoiceStatus]string{
			clientzone.InvoiceUnpaid: "Kifizetetlen", clientzone.InvoicePaid: "Kifizetve",
			clientzone.InvoiceOverdue: "Lejárt", clientzone.InvoiceCancelled: "Sztornózva",
		},
		Decimal: ",", Thousands: " ", DateLayout: "2006. 01. 02.",
	},
	clientzone.LangRU: {
		Title: "Счёт", Number: "Номер счёта", Issued: "Дата выставления", Due: "Срок оплаты",
		Customer: "Клиент", BillingAddress: "Адрес для счетов", VariableSymbol: "Вариабельный символ",
		CompanyID: "Рег. номер", VATID: "ИНН (НДС)",
		Description: "Описание", Quantity: "Кол-во", UnitPrice: "Цена", LineTotal: "Сумма",
		VAT: "НДС", Total: "Итого к оплате", Status: "Статус",
		Statuses: map[clientzone.InvoiceStatus]string{
			clientzone.InvoiceUnpaid: "Не оплачен", clientzone.InvoicePaid: "Оплачен",
			clientzone.InvoiceOverdue: "Просрочен", clientzone.InvoiceCancelled: "Аннулирован",
		},
		Decimal: ",", Thousands: " ", DateLayout: "02.01.2006",
	},
}

// labelsFor returns the labels of lang, English for an unknown language.
func labelsFor(lang clientzone.Language) labels {
	if l, ok := catalog[lang]; ok {
		return l
	}
	return catalog[clientzone.LangEN]
}
