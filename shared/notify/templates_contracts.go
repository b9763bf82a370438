package notify

import "github.com/clientzone/clientzone/shared/clientzone"

// The confirmation of a customer's change of a contract (shared/contracts):
// data "action" is tariff-change (serviceName, tariffName, effectiveOn),
// addon-add / addon-remove (serviceName), suspension-start (since,
// freeUntil, dailyFee), suspension-end (resumedOn) or termination-request
// (endOn); contractNumber and name are always set.
func init() {
	sources["contract-change"] = map[clientzone.Language]text{
		clientzone.LangEN: {
			Subject: "{{.brand}}: change of contract {{.contractNumber}}",
			Body: "Hello {{.name}},\n\n" +
				`{{if eq .action "tariff-change"}}the service {{.serviceName}} moves to the tariff {{.tariffName}} from {{.effectiveOn}}.` +
				`{{else if eq .action "addon-add"}}the extra service {{.serviceName}} was added.` +
				`{{else if eq .action "addon-remove"}}the extra service {{.serviceName}} was removed.` +
				`{{else if eq .action "suspension-start"}}the contract is suspended from {{.since}}. The suspension is free until {{.freeUntil}}; after that it costs {{.dailyFee}} a day.` +
				`{{else if eq .action "suspension-end"}}the suspension ended on {{.resumedOn}}; your services are active again.` +
				`{{else}}we received your request to terminate the contract on {{.endOn}}. We will confirm it.{{end}}` +
				"\n\nContract: {{.contractNumber}}\n\nIf you did not ask for this, contact us at once.\n\n{{.brand}}",
		},
		clientzone.LangSK: {
			Subject: "{{.brand}}: zmena zmluvy {{.contractNumber}}",
			Body: "Dobrý deň, {{.name}},\n\n" +
				`{{if eq .action "tariff-change"}}služba {{.serviceName}} prejde na tarif {{.tariffName}} od {{.effectiveOn}}.` +
				`{{else if eq .action "addon-add"}}doplnková služba {{.serviceName}} bola pridaná.` +
				`{{else if eq .action "addon-remove"}}doplnková služba {{.serviceName}} bola zrušená.` +
				`{{else if eq .action "suspension-start"}}zmluva je pozastavená od {{.since}}. Pozastavenie je bezplatné do {{.freeUntil}}, potom stojí {{.dailyFee}} za deň.` +
				`{{else if eq .action "suspension-end"}}pozastavenie skončilo {{.resumedOn}}; vaše služby sú opäť aktívne.` +
				`{{else}}prijali sme vašu žiadosť o ukončenie zmluvy k {{.endOn}}. Potvrdíme vám ju.{{end}}` +
				"\n\nZmluva: {{.contractNumber}}\n\nAk ste o to nežiadali, ihneď nás kontaktujte.\n\n{{.brand}}",
		},
		clientzone.LangHU: {
			Subject: "{{.brand}}: a(z) {{.contractNumber}} szerződés módosítása",
			Body: "Kedves {{.name}}!\n\n" +
				`{{if eq .action "tariff-change"}}a(z) {{.serviceName}} szolgáltatás {{.effectiveOn}} naptól a(z) {{.tariffName}} díjcsomagra vált.` +
				`{{else if eq .action "addon-add"}}a(z) {{.serviceName}} kiegészítő szolgáltatást hozzáadtuk.` +
				`{{else if eq .action "addon-remove"}}a(z) {{.serviceName}} kiegészítő szolgáltatást lemondtuk.` +
				`{{else if eq .action "suspension-start"}}a szerződés {{.since}} naptól szünetel. A szüneteltetés {{.freeUntil}} napig díjmentes, utána napi {{.dailyFee}}.` +
				`{{else if eq .action "suspension-end"}}a szüneteltetés {{.resumedOn}} napon véget ért; szolgáltatásai újra aktívak.` +
				`{{else}}megkaptuk a szerződés {{.endOn}} napi megszüntetésére vonatkozó kérelmét. Visszaigazoljuk.{{end}}` +
				"\n\nSzerződés: {{.contractNumber}}\n\nHa nem Ön kérte, azonnal vegye fel velünk a kapcsolatot.\n\n{{.brand}}",
		},
		clientzone.LangRU: {
			Subject: "{{.brand}}: изменение договора {{.contractNumber}}",
			Body: "Здравствуйте, {{.name}}!\n\n" +
				`{{if eq .action "tariff-change"}}услуга {{.serviceName}} переходит на тариф {{.tariffName}} с {{.effectiveOn}}.` +
				`{{else if eq .action "addon-add"}}дополнительная услуга {{.serviceName}} добавлена.` +
				`{{else if eq .action "addon-remove"}}дополнительная услуга {{.serviceName}} удалена.` +
				`{{else if eq .action "suspension-start"}}договор приостановлен с {{.since}}. Приостановка бесплатна до {{.freeUntil}}, затем стоит {{.dailyFee}} в день.` +
				`{{else if eq .action "suspension-end"}}приостановка завершена {{.resumedOn}}; ваши услуги снова активны.` +
				`{{else}}мы получили вашу заявку на расторжение договора с {{.endOn}}. Мы её подтвердим.{{end}}` +
				"\n\nДоговор: {{.contractNumber}}\n\nЕсли вы этого не запрашивали, немедленно свяжитесь с нами.\n\n{{.brand}}",
		},
	}
}
