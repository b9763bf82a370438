package notify

import "github.com/clientzone/clientzone/shared/clientzone"

// text is one template in one language: Subject and Body for email, SMS for
// text messages. A template defines the channels it is sent on.
type text struct {
	Subject string
	Body    string
	SMS     string
}

// sources are the message templates by name and language, in text/template
// syntax over the message Data plus "brand" (a map[string]string). Optional
// keys are read with `index . "key"`; every other missing key is an error
// (missingkey=error), so a message lacking data is never sent half filled.
var sources = map[string]map[clientzone.Language]text{
	"account-activation": {
		clientzone.LangEN: {
			Subject: "Activate your {{.brand}} account",
			Body:    "Hello {{.name}},\n\nyour {{.brand}} client zone account is ready. Activate it and choose a password here:\n\n{{.link}}\n\nIf you did not ask for an account, ignore this message.\n\n{{.brand}}",
		},
		clientzone.LangSK: {
			Subject: "Aktivujte si účet {{.brand}}",
			Body:    "Dobrý deň, {{.name}},\n\nváš účet v klientskej zóne {{.brand}} je pripravený. Aktivujte ho a zvoľte si heslo tu:\n\n{{.link}}\n\nAk ste o účet nežiadali, správu ignorujte.\n\n{{.brand}}",
		},
		clientzone.LangHU: {
			Subject: "Aktiválja {{.brand}} fiókját",
			Body:    "Kedves {{.name}}!\n\n{{.brand}} ügyfélkapu-fiókja elkészült. Itt aktiválhatja és adhat meg jelszót:\n\n{{.link}}\n\nHa nem kért fiókot, hagyja figyelmen kívül ezt az üzenetet.\n\n{{.brand}}",
		},
		clientzone.LangRU: {
			Subject: "Активируйте учётную запись {{.brand}}",
			Body:    "Здравствуйте, {{.name}}!\n\nВаша учётная запись в клиентской зоне {{.brand}} готова. Активируйте её и задайте пароль здесь:\n\n{{.link}}\n\nЕсли вы не запрашивали учётную запись, просто проигнорируйте это сообщение.\n\n{{.brand}}",
		},
	},
	"password-reset-code": {
		clientzone.LangEN: {SMS: "{{.brand}}: your password reset code is {{.code}}. Valid {{.minutes}} min. Do not share it."},
		clientzone.LangSK: {SMS: "{{.brand}}: kod na obnovu hesla je {{.code}}. Plati {{.minutes}} min. Nikomu ho neposkytujte."},
		clientzone.LangHU: {SMS: "{{.brand}}: jelszo-visszaallitasi kodja {{.code}}. {{.minutes}} percig ervenyes. Ne adja ki senkinek."},
		clientzone.LangRU: {SMS: "{{.brand}}: код для сброса пароля {{.code}}. Действует {{.minutes}} мин. Никому не сообщайте."},
	},
	"password-reset-link": {
		clientzone.LangEN: {
			Subject: "{{.brand}}: reset your password",
			Body:    "Hello {{.name}},\n\nsomeone (hopefully you) asked to reset your {{.brand}} password. Choose a new one here within {{.minutes}} minutes:\n\n{{.link}}\n\nIf it was not you, ignore this message; your password stays unchanged.\n\n{{.brand}}",
		},
		clientzone.LangSK: {
			Subject: "{{.brand}}: obnova hesla",
			Body:    "Dobrý deň, {{.name}},\n\nbola vyžiadaná obnova vášho hesla do {{.brand}}. Nové heslo si zvoľte do {{.minutes}} minút tu:\n\n{{.link}}\n\nAk ste to neboli vy, správu ignorujte; heslo sa nezmení.\n\n{{.brand}}",
		},
		clientzone.LangHU: {
			Subject: "{{.brand}}: jelszó visszaállítása",
			Body:    "Kedves {{.name}}!\n\n{{.brand}} jelszavának visszaállítását kérték. {{.minutes}} percen belül itt adhat meg újat:\n\n{{.link}}\n\nHa nem Ön volt, hagyja figyelmen kívül ezt az üzenetet; jelszava nem változik.\n\n{{.brand}}",
		},
		clientzone.LangRU: {
			Subject: "{{.brand}}: сброс пароля",
			Body:    "Здравствуйте, {{.name}}!\n\nБыл запрошен сброс пароля {{.brand}}. Задайте новый пароль в течение {{.minutes}} минут здесь:\n\n{{.link}}\n\nЕсли это были не вы, проигнорируйте сообщение; пароль не изменится.\n\n{{.brand}}",
		},
	},
	"password-changed": {
		clientzone.LangEN: {
			Subject: "{{.brand}}: your password was changed",
			Body:    "Hello {{.name}},\n\nthe password of your {{.brand}} client zone account was just changed.\n\nIf you did not do this, reset your password right away and contact us.\n\n{{.brand}}",
		},
		clientzone.LangSK: {
			Subject: "{{.brand}}: heslo bolo zmenené",
			Body:    "Dobrý deň, {{.name}},\n\nheslo vášho účtu v klientskej zóne {{.brand}} bolo práve zmenené.\n\nAk ste to neboli vy, ihneď si heslo obnovte a kontaktujte nás.\n\n{{.brand}}",
		},
		clientzone.LangHU: {
			Subject: "{{.brand}}: jelszava megváltozott",
			Body:    "Kedves {{.name}}!\n\n{{.brand}} ügyfélkapu-fiókja jelszavát az imént megváltoztatták.\n\nHa nem Ön volt, azonnal állítsa vissza jelszavát, és vegye fel velünk a kapcsolatot.\n\n{{.brand}}",
		},
		clientzone.LangRU: {
			Subject: "{{.brand}}: пароль изменён",
			Body:    "Здравствуйте, {{.name}}!\n\nПароль вашей учётной записи в клиентской зоне {{.brand}} только что изменён.\n\nЕсли это были не вы, немедленно сбросьте пароль и свяжитесь с нами.\n\n{{.brand}}",
		},
	},
	"person-invitation": {
		clientzone.LangEN: {
			Subject: "{{.inviterName}} invited you to the {{.brand}} client zone",
			Body:    "Hello {{.personName}},\n\n{{.inviterName}} invited you to the {{.brand}} client zone of {{.customerName}}. Accept the invitation and choose a password here:\n\n{{.link}}\n\nThe link is valid until {{.expiresAt}}.\n\n{{.brand}}",
		},
		clientzone.LangSK: {
			Subject: "{{.inviterName}} vás pozýva do klientskej zóny {{.brand}}",
			Body:    "Dobrý deň, {{.personName}},\n\n{{.inviterName}} vás pozýva do klientskej zóny {{.brand}} zákazníka {{.customerName}}. Pozvánku prijmete a heslo si zvolíte tu:\n\n{{.link}}\n\nOdkaz platí do {{.expiresAt}}.\n\n{{.brand}}",
		},
		clientzone.LangHU: {
			Subject: "{{.inviterName}} meghívta a(z) {{.brand}} ügyfélkapuba",
			Body:    "Kedves {{.personName}}!\n\n{{.inviterName}} meghívta Önt a(z) {{.customerName}} {{.brand}} ügyfélkapujába. A meghívást itt fogadhatja el és adhat meg jelszót:\n\n{{.link}}\n\nA hivatkozás eddig érvényes: {{.expiresAt}}.\n\n{{.brand}}",
		},
		clientzone.LangRU: {
			Subject: "{{.inviterName}} приглашает вас в клиентскую зону {{.brand}}",
			Body:    "Здравствуйте, {{.personName}}!\n\n{{.inviterName}} приглашает вас в клиентскую зону {{.brand}} клиента {{.customerName}}. Примите приглашение и задайте пароль здесь:\n\n{{.link}}\n\nСсылка действует до {{.expiresAt}}.\n\n{{.brand}}",
		},
	},
	"pin-issued": {
		clientzone.LangEN: {SMS: "{{.brand}}: your new customer PIN is {{.pin}}. Keep it secret; we never ask for it by phone."},
		clientzone.LangSK: {SMS: "{{.brand}}: vas novy zakaznicky PIN je {{.pin}}. Uchovajte ho v tajnosti."},
		clientzone.LangHU: {SMS: "{{.brand}}: uj ugyfel-PIN kodja {{.pin}}. Tartsa titokban."},
		clientzone.LangRU: {SMS: "{{.brand}}: ваш новый PIN клиента {{.pin}}. Никому его не сообщайте."},
	},
	"pin-changed": {
		clientzone.LangEN: {SMS: "{{.brand}}: your customer PIN was changed by {{.changedBy}}. Not you? Call us."},
		clientzone.LangSK: {SMS: "{{.brand}}: zakaznicky PIN zmenil(a) {{.changedBy}}. Neboli ste to vy? Volajte nam."},
		clientzone.LangHU: {SMS: "{{.brand}}: az ugyfel-PIN kodot {{.changedBy}} megvaltoztatta. Nem On volt? Hivjon minket."},
		clientzone.LangRU: {SMS: "{{.brand}}: PIN клиента изменил(а) {{.changedBy}}. Это не вы? Позвоните нам."},
	},
	"billing-data-changed": {
		clientzone.LangEN: {
			Subject: "{{.brand}}: billing details changed",
			Body:    "Hello,\n\n{{.changedBy}} changed the billing details of your {{.brand}} account ({{.fields}}).\n\nIf this was not expected, contact us.\n\n{{.brand}}",
		},
		clientzone.LangSK: {
			Subject: "{{.brand}}: fakturačné údaje boli zmenené",
			Body:    "Dobrý deň,\n\n{{.changedBy}} zmenil(a) fakturačné údaje vášho účtu {{.brand}} ({{.fields}}).\n\nAk ste to nečakali, kontaktujte nás.\n\n{{.brand}}",
		},
		clientzone.LangHU: {
			Subject: "{{.brand}}: a számlázási adatok megváltoztak",
			Body:    "Tisztelt Ügyfelünk!\n\n{{.changedBy}} megváltoztatta {{.brand}} fiókja számlázási adatait ({{.fields}}).\n\nHa ez váratlan, vegye fel velünk a kapcsolatot.\n\n{{.brand}}",
		},
		clientzone.LangRU: {
			Subject: "{{.brand}}: платёжные данные изменены",
			Body:    "Здравствуйте!\n\n{{.changedBy}} изменил(а) платёжные данные вашей учётной записи {{.brand}} ({{.fields}}).\n\nЕсли вы этого не ожидали, свяжитесь с нами.\n\n{{.brand}}",
		},
	},
	"direct-debit-mandate": {
		clientzone.LangEN: {
			Subject: "{{.brand}}: SEPA direct debit mandate {{.mandateId}}",
			Body:    "Hello,\n\na SEPA direct debit mandate was signed:\n\nMandate reference: {{.mandateId}}\nCreditor: {{.creditor}}\nAccount holder: {{.accountHolder}}\nIBAN: {{.iban}}\nSigned by: {{.signedBy}}\nSigned at: {{.signedAt}}\n\nYou may revoke the mandate at any time in the client zone.\n\n{{.brand}}",
		},
		clientzone.LangSK: {
			Subject: "{{.brand}}: mandát SEPA inkasa {{.mandateId}}",
			Body:    "Dobrý deň,\n\nbol podpísaný mandát SEPA inkasa:\n\nReferencia mandátu: {{.mandateId}}\nVeriteľ: {{.creditor}}\nMajiteľ účtu: {{.accountHolder}}\nIBAN: {{.iban}}\nPodpísal(a): {{.signedBy}}\nPodpísané: {{.signedAt}}\n\nMandát môžete kedykoľvek zrušiť v klientskej zóne.\n\n{{.brand}}",
		},
		clientzone.LangHU: {
			Subject: "{{.brand}}: SEPA csoportos beszedési megbízás {{.mandateId}}",
			Body:    "Tisztelt Ügyfelünk!\n\nSEPA csoportos beszedési megbízást írtak alá:\n\nMegbízás azonosítója: {{.mandateId}}\nKedvezményezett: {{.creditor}}\nSzámlatulajdonos: {{.accountHolder}}\nIBAN: {{.iban}}\nAláírta: {{.signedBy}}\nIdőpont: {{.signedAt}}\n\nA megbízást bármikor visszavonhatja az ügyfélkapuban.\n\n{{.brand}}",
		},
		clientzone.LangRU: {
			Subject: "{{.brand}}: мандат прямого дебета SEPA {{.mandateId}}",
			Body:    "Здравствуйте!\n\nПодписан мандат прямого дебета SEPA:\n\nНомер мандата: {{.mandateId}}\nКредитор: {{.creditor}}\nВладелец счёта: {{.accountHolder}}\nIBAN: {{.iban}}\nПодписал(а): {{.signedBy}}\nДата подписи: {{.signedAt}}\n\nВы можете отозвать мандат в любое время в клиентской зоне.\n\n{{.brand}}",
		},
	},
	"invoice-correction-request": {
		clientzone.LangEN: {
			Subject: "Invoice correction request {{.requestId}}: invoice {{.invoiceNumber}}",
			Body:    "Customer {{.customerName}} ({{.customerId}}) asks to correct invoice {{.invoiceNumber}} ({{.invoiceId}}).\n\nFields: {{.fields}}\nReason: {{.reason}}\nRequest: {{.requestId}}\n{{if index . \"feeInvoiceNumber\"}}Fee invoice: {{index . \"feeInvoiceNumber\"}} ({{index . \"feeAmount\"}} {{index . \"feeCurrency\"}} minor units)\n{{end}}\n{{.brand}} client zone",
		},
		clientzone.LangSK: {
			Subject: "Žiadosť o opravu faktúry {{.requestId}}: faktúra {{.invoiceNumber}}",
			Body:    "Zákazník {{.customerName}} ({{.customerId}}) žiada opravu faktúry {{.invoiceNumber}} ({{.invoiceId}}).\n\nPolia: {{.fields}}\nDôvod: {{.reason}}\nŽiadosť: {{.requestId}}\n{{if index . \"feeInvoiceNumber\"}}Faktúra za poplatok: {{index . \"feeInvoiceNumber\"}} ({{index . \"feeAmount\"}} {{index . \"feeCurrency\"}} v centoch)\n{{end}}\nKlientska zóna {{.brand}}",
		},
		clientzone.LangHU: {
			Subject: "Számlajavítási kérelem {{.requestId}}: {{.invoiceNumber}} számla",
			Body:    "{{.customerName}} ügyfél ({{.customerId}}) a(z) {{.invoiceNumber}} ({{.invoiceId}}) számla javítását kéri.\n\nMezők: {{.fields}}\nIndok: {{.reason}}\nKérelem: {{.requestId}}\n{{if index . \"feeInvoiceNumber\"}}Díjszámla: {{index . \"feeInvoiceNumber\"}} ({{index . \"feeAmount\"}} {{index . \"feeCurrency\"}} váltópénzben)\n{{end}}\n{{.brand}} ügyfélkapu",
		},
		clientzone.LangRU: {
			Subject: "Запрос на исправление счёта {{.requestId}}: счёт {{.invoiceNumber}}",
			Body:    "Клиент {{.customerName}} ({{.customerId}}) просит исправить счёт {{.invoiceNumber}} ({{.invoiceId}}).\n\nПоля: {{.fields}}\nПричина: {{.reason}}\nЗапрос: {{.requestId}}\n{{if index . \"feeInvoiceNumber\"}}Счёт за услугу: {{index . \"feeInvoiceNumber\"}} ({{index . \"feeAmount\"}} {{index . \"feeCurrency\"}} в минимальных единицах)\n{{end}}\nКлиентская зона {{.brand}}",
		},
	},
	"invoice-correction-received": {
		clientzone.LangEN: {
			Subject: "{{.brand}}: we received your request to correct invoice {{.invoiceNumber}}",
			Body:    "Hello,\n\nwe received your request {{.requestId}} to correct invoice {{.invoiceNumber}} ({{.fields}}). Our billing department will get back to you.\n{{if index . \"feeInvoiceNumber\"}}\nThe correction fee was invoiced as {{index . \"feeInvoiceNumber\"}}.\n{{end}}\n{{.brand}}",
		},
		clientzone.LangSK: {
			Subject: "{{.brand}}: prijali sme žiadosť o opravu faktúry {{.invoiceNumber}}",
			Body:    "Dobrý deň,\n\nprijali sme vašu žiadosť {{.requestId}} o opravu faktúry {{.invoiceNumber}} ({{.fields}}). Fakturačné oddelenie sa vám ozve.\n{{if index . \"feeInvoiceNumber\"}}\nPoplatok za opravu sme vyfakturovali faktúrou {{index . \"feeInvoiceNumber\"}}.\n{{end}}\n{{.brand}}",
		},
		clientzone.LangHU: {
			Subject: "{{.brand}}: megkaptuk a(z) {{.invoiceNumber}} számla javítási kérelmét",
			Body:    "Tisztelt Ügyfelünk!\n\nMegkaptuk {{.requestId}} számú kérelmét a(z) {{.invoiceNumber}} számla javítására ({{.fields}}). Számlázási osztályunk hamarosan jelentkezik.\n{{if index . \"feeInvoiceNumber\"}}\nA javítási díjat a(z) {{index . \"feeInvoiceNumber\"}} számlán számláztuk.\n{{end}}\n{{.brand}}",
		},
		clientzone.LangRU: {
			Subject: "{{.brand}}: мы получили запрос на исправление счёта {{.invoiceNumber}}",
			Body:    "Здравствуйте!\n\nМы получили ваш запрос {{.requestId}} на исправление счёта {{.invoiceNumber}} ({{.fields}}). Бухгалтерия свяжется с вами.\n{{if index . \"feeInvoiceNumber\"}}\nПлата за исправление выставлена счётом {{index . \"feeInvoiceNumber\"}}.\n{{end}}\n{{.brand}}",
		},
	},
	"expiry-reminder": {
		clientzone.LangEN: {
			Subject: "{{.brand}}: {{.serviceName}} expires on {{.expiresOn}}",
			Body:    "Hello,\n\nyour service {{.serviceName}} expires on {{.expiresOn}} (in {{.daysLeft}} days). Renew it in the client zone to keep it running.\n\n{{.brand}}",
			SMS:     "{{.brand}}: {{.serviceName}} expires on {{.expiresOn}} ({{.daysLeft}} days). Renew it in the client zone.",
		},
		clientzone.LangSK: {
			Subject: "{{.brand}}: služba {{.serviceName}} končí {{.expiresOn}}",
			Body:    "Dobrý deň,\n\nvaša služba {{.serviceName}} končí {{.expiresOn}} (o {{.daysLeft}} dní). Predĺžte ju v klientskej zóne, aby fungovala ďalej.\n\n{{.brand}}",
			SMS:     "{{.brand}}: sluzba {{.serviceName}} konci {{.expiresOn}} (o {{.daysLeft}} dni). Predlzte ju v klientskej zone.",
		},
		clientzone.LangHU: {
			Subject: "{{.brand}}: {{.serviceName}} szolgáltatása lejár: {{.expiresOn}}",
			Body:    "Tisztelt Ügyfelünk!\n\n{{.serviceName}} szolgáltatása {{.expiresOn}} napon lejár ({{.daysLeft}} nap múlva). Hosszabbítsa meg az ügyfélkapuban.\n\n{{.brand}}",
			SMS:     "{{.brand}}: {{.serviceName}} lejar: {{.expiresOn}} ({{.daysLeft}} nap). Hosszabbitsa meg az ugyfelkapuban.",
		},
		clientzone.LangRU: {
			Subject: "{{.brand}}: услуга {{.serviceName}} истекает {{.expiresOn}}",
			Body:    "Здравствуйте!\n\nСрок действия услуги {{.serviceName}} истекает {{.expiresOn}} (через {{.daysLeft}} дн.). Продлите её в клиентской зоне.\n\n{{.brand}}",
			SMS:     "{{.brand}}: услуга {{.serviceName}} истекает {{.expiresOn}} ({{.daysLeft}} дн.). Продлите в клиентской зоне.",
		},
	},
	"ticket-reply": {
		clientzone.LangEN: {
			Subject: "{{.brand}}: new reply to your ticket \"{{.subject}}\"",
			Body:    "Hello {{.name}},\n\n{{if index . \"staff\"}}{{index . \"staff\"}} from {{.brand}} support{{else}}{{.brand}} support{{end}} replied to your ticket \"{{.subject}}\" ({{.ticketId}}):\n\n{{.reply}}\n\n{{if index . \"closed\"}}The ticket is now closed. If you need more help, open a new ticket in the client zone.{{else}}You can reply in the client zone.{{end}}\n\n{{.brand}}",
		},
		clientzone.LangSK: {
			Subject: "{{.brand}}: nová odpoveď na váš tiket \"{{.subject}}\"",
			Body:    "Dobrý deň, {{.name}},\n\n{{if index . \"staff\"}}{{index . \"staff\"}} z podpory {{.brand}}{{else}}Podpora {{.brand}}{{end}} odpovedal(a) na váš tiket \"{{.subject}}\" ({{.ticketId}}):\n\n{{.reply}}\n\n{{if index . \"closed\"}}Tiket je teraz uzavretý. Ak potrebujete ďalšiu pomoc, otvorte v klientskej zóne nový tiket.{{else}}Odpovedať môžete v klientskej zóne.{{end}}\n\n{{.brand}}",
		},
		clientzone.LangHU: {
			Subject: "{{.brand}}: új válasz a(z) \"{{.subject}}\" hibajegyére",
			Body:    "Kedves {{.name}}!\n\n{{if index . \"staff\"}}{{index . \"staff\"}} ({{.brand}} ügyfélszolgálat){{else}}A(z) {{.brand}} ügyfélszolgálata{{end}} válaszolt a(z) \"{{.subject}}\" ({{.ticketId}}) hibajegyére:\n\n{{.reply}}\n\n{{if index . \"closed\"}}A hibajegyet lezártuk. Ha további segítségre van szüksége, nyisson új hibajegyet az ügyfélkapuban.{{else}}Az ügyfélkapuban válaszolhat.{{end}}\n\n{{.brand}}",
		},
		clientzone.LangRU: {
			Subject: "{{.brand}}: новый ответ по вашему обращению \"{{.subject}}\"",
			Body:    "Здравствуйте, {{.name}}!\n\n{{if index . \"staff\"}}{{index . \"staff\"}} из поддержки {{.brand}}{{else}}Поддержка {{.brand}}{{end}} ответила на ваше обращение \"{{.subject}}\" ({{.ticketId}}):\n\n{{.reply}}\n\n{{if index . \"closed\"}}Обращение закрыто. Если вам нужна дополнительная помощь, создайте новое обращение в клиентской зоне.{{else}}Ответить можно в клиентской зоне.{{end}}\n\n{{.brand}}",
		},
	},
	"invoice-overdue": {
		clientzone.LangEN: {
			Subject: "{{.brand}}: invoice {{.invoiceNumber}} is overdue",
			Body:    "Hello,\n\ninvoice {{.invoiceNumber}} of {{.amount}} was due on {{.dueOn}} and is still unpaid. Please pay it in the client zone.\n\nIf you have already paid, thank you and please ignore this message.\n\n{{.brand}}",
			SMS:     "{{.brand}}: invoice {{.invoiceNumber}} ({{.amount}}) was due {{.dueOn}} and is unpaid. Please pay it in the client zone.",
		},
		clientzone.LangSK: {
			Subject: "{{.brand}}: faktúra {{.invoiceNumber}} je po splatnosti",
			Body:    "Dobrý deň,\n\nfaktúra {{.invoiceNumber}} na sumu {{.amount}} bola splatná {{.dueOn}} a stále nie je uhradená. Uhraďte ju prosím v klientskej zóne.\n\nAk ste už zaplatili, ďakujeme a správu ignorujte.\n\n{{.brand}}",
			SMS:     "{{.brand}}: faktura {{.invoiceNumber}} ({{.amount}}) bola splatna {{.dueOn}}. Uhradte ju prosim v klientskej zone.",
		},
		clientzone.LangHU: {
			Subject: "{{.brand}}: a(z) {{.invoiceNumber}} számla lejárt",
			Body:    "Tisztelt Ügyfelünk!\n\nA(z) {{.invoiceNumber}} számla ({{.amount}}) {{.dueOn}} napon esedékes volt, és még nincs kifizetve. Kérjük, fizesse ki az ügyfélkapuban.\n\nHa már fizetett, köszönjük, és hagyja figyelmen kívül ezt az üzenetet.\n\n{{.brand}}",
			SMS:     "{{.brand}}: a(z) {{.invoiceNumber}} szamla ({{.amount}}) {{.dueOn}} napon lejart. Kerjuk, fizesse ki az ugyfelkapuban.",
		},
		clientzone.LangRU: {
			Subject: "{{.brand}}: счёт {{.invoiceNumber}} просрочен",
			Body:    "Здравствуйте!\n\nСчёт {{.invoiceNumber}} на сумму {{.amount}} нужно было оплатить до {{.dueOn}}, он всё ещё не оплачен. Пожалуйста, оплатите его в клиентской зоне.\n\nЕсли вы уже оплатили, спасибо, проигнорируйте это сообщение.\n\n{{.brand}}",
			SMS:     "{{.brand}}: счёт {{.invoiceNumber}} ({{.amount}}) просрочен с {{.dueOn}}. Оплатите его в клиентской зоне.",
		},
	},
}
