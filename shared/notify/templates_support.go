package notify

import "github.com/clientzone/clientzone/shared/clientzone"

// The notice to the author of an authorized message that the department
// answered it or closed it (shared/support, back office): data "status" is
// answered or closed; name, subject and messageId are always set; "answer"
// (the answer given with the change) and "staff" (who gave it) are optional.
func init() {
	sources["message-status"] = map[clientzone.Language]text{
		clientzone.LangEN: {
			Subject: `{{if eq .status "closed"}}{{.brand}}: your message "{{.subject}}" was closed{{else}}{{.brand}}: answer to your message "{{.subject}}"{{end}}`,
			Body: "Hello {{.name}},\n\n" +
				`{{if eq .status "closed"}}your message "{{.subject}}" ({{.messageId}}) was closed.` +
				`{{else if index . "staff"}}{{index . "staff"}} from {{.brand}} answered your message "{{.subject}}" ({{.messageId}}):` +
				`{{else}}{{.brand}} answered your message "{{.subject}}" ({{.messageId}}):{{end}}` +
				"{{if index . \"answer\"}}\n\n{{index . \"answer\"}}{{end}}\n\n" +
				`{{if eq .status "closed"}}If you need more help, send a new message in the client zone.{{else}}You can read the message and its answer in the client zone.{{end}}` +
				"\n\n{{.brand}}",
		},
		clientzone.LangSK: {
			Subject: `{{if eq .status "closed"}}{{.brand}}: vaša správa "{{.subject}}" bola uzavretá{{else}}{{.brand}}: odpoveď na vašu správu "{{.subject}}"{{end}}`,
			Body: "Dobrý deň, {{.name}},\n\n" +
				`{{if eq .status "closed"}}vaša správa "{{.subject}}" ({{.messageId}}) bola uzavretá.` +
				`{{else if index . "staff"}}{{index . "staff"}} z {{.brand}} odpovedal(a) na vašu správu "{{.subject}}" ({{.messageId}}):` +
				`{{else}}Podpora {{.brand}} odpovedala na vašu správu "{{.subject}}" ({{.messageId}}):{{end}}` +
				"{{if index . \"answer\"}}\n\n{{index . \"answer\"}}{{end}}\n\n" +
				`{{if eq .status "closed"}}Ak potrebujete ďalšiu pomoc, pošlite v klientskej zóne novú správu.{{else}}Správu aj odpoveď nájdete v klientskej zóne.{{end}}` +
				"\n\n{{.brand}}",
		},
		clientzone.LangHU: {
			Subject: `{{if eq .status "closed"}}{{.brand}}: a(z) "{{.subject}}" üzenetét lezártuk{{else}}{{.brand}}: válasz a(z) "{{.subject}}" üzenetére{{end}}`,
			Body: "Kedves {{.name}}!\n\n" +
				`{{if eq .status "closed"}}A(z) "{{.subject}}" ({{.messageId}}) üzenetét lezártuk.` +
				`{{else if index . "staff"}}{{index . "staff"}} ({{.brand}}) válaszolt a(z) "{{.subject}}" ({{.messageId}}) üzenetére:` +
				`{{else}}A(z) {{.brand}} ügyfélszolgálata válaszolt a(z) "{{.subject}}" ({{.messageId}}) üzenetére:{{end}}` +
				"{{if index . \"answer\"}}\n\n{{index . \"answer\"}}{{end}}\n\n" +
				`{{if eq .status "closed"}}Ha további segítségre van szüksége, küldjön új üzenetet az ügyfélkapuban.{{else}}Az üzenetet és a választ az ügyfélkapuban olvashatja.{{end}}` +
				"\n\n{{.brand}}",
		},
		clientzone.LangRU: {
			Subject: `{{if eq .status "closed"}}{{.brand}}: ваше сообщение "{{.subject}}" закрыто{{else}}{{.brand}}: ответ на ваше сообщение "{{.subject}}"{{end}}`,
			Body: "Здравствуйте, {{.name}}!\n\n" +
				`{{if eq .status "closed"}}Ваше сообщение "{{.subject}}" ({{.messageId}}) закрыто.` +
				`{{else if index . "staff"}}{{index . "staff"}} из {{.brand}} ответил(а) на ваше сообщение "{{.subject}}" ({{.messageId}}):` +
				`{{else}}Поддержка {{.brand}} ответила на ваше сообщение "{{.subject}}" ({{.messageId}}):{{end}}` +
				"{{if index . \"answer\"}}\n\n{{index . \"answer\"}}{{end}}\n\n" +
				`{{if eq .status "closed"}}Если вам нужна дополнительная помощь, отправьте новое сообщение в клиентской зоне.{{else}}Сообщение и ответ можно прочитать в клиентской зоне.{{end}}` +
				"\n\n{{.brand}}",
		},
	}
}
