package httpapi

import "github.com/clientzone/clientzone/shared/clientzone"

// Messages of account requests and password recovery.
func init() {
	addTranslations(func() map[string]translations {
		return map[string]translations{
			recAccountRequestMessage: {
				clientzone.LangSK: "Ďakujeme. Ak údaje zodpovedajú zmluve, poslali sme na e-mail aktivačný odkaz. V opačnom prípade kontaktujte naše obchodné oddelenie.",
				clientzone.LangHU: "Köszönjük. Ha az adatok egy szerződéshez tartoznak, aktiváló linket küldtünk az e-mail-címre. Ellenkező esetben forduljon értékesítési osztályunkhoz.",
				clientzone.LangRU: "Спасибо. Если данные соответствуют договору, мы отправили ссылку для активации на электронную почту. В противном случае обратитесь в наш отдел продаж.",
			},
			recResetEmailMessage: {
				clientzone.LangSK: "Ak účet existuje, poslali sme na jeho e-mail odkaz na obnovenie hesla.",
				clientzone.LangHU: "Ha a fiók létezik, jelszó-visszaállító linket küldtünk az e-mail-címére.",
				clientzone.LangRU: "Если учётная запись существует, мы отправили на её электронную почту ссылку для сброса пароля.",
			},
			recResetSMSMessage: {
				clientzone.LangSK: "Ak účet existuje, poslali sme kód na obnovenie hesla v SMS.",
				clientzone.LangHU: "Ha a fiók létezik, SMS-ben elküldtük a jelszó-visszaállító kódot.",
				clientzone.LangRU: "Если учётная запись существует, мы отправили код для сброса пароля по SMS.",
			},
			"Give a login and a channel, or an account number and a phone.": {
				clientzone.LangSK: "Zadajte prihlasovacie meno a kanál alebo číslo zmluvy a telefón.",
				clientzone.LangHU: "Adja meg a felhasználónevet és a csatornát, vagy a szerződésszámot és a telefonszámot.",
				clientzone.LangRU: "Укажите логин и канал или номер договора и телефон.",
			},
			"Give either a login or an account number, not both.": {
				clientzone.LangSK: "Zadajte buď prihlasovacie meno, alebo číslo zmluvy, nie oboje.",
				clientzone.LangHU: "Vagy a felhasználónevet, vagy a szerződésszámot adja meg, ne mindkettőt.",
				clientzone.LangRU: "Укажите либо логин, либо номер договора, но не оба.",
			},
			"Give the phone only with an account number.": {
				clientzone.LangSK: "Telefón zadajte iba spolu s číslom zmluvy.",
				clientzone.LangHU: "A telefonszámot csak a szerződésszámmal együtt adja meg.",
				clientzone.LangRU: "Телефон указывается только вместе с номером договора.",
			},
			"Enter the phone number in international format, e.g. +421900123456.": {
				clientzone.LangSK: "Zadajte telefónne číslo v medzinárodnom formáte, napr. +421900123456.",
				clientzone.LangHU: "Adja meg a telefonszámot nemzetközi formátumban, pl. +421900123456.",
				clientzone.LangRU: "Введите номер телефона в международном формате, например +421900123456.",
			},
			"Give either the link token or the reset id and code, not both.": {
				clientzone.LangSK: "Zadajte buď token z odkazu, alebo identifikátor obnovenia a kód, nie oboje.",
				clientzone.LangHU: "Vagy a link tokenjét, vagy a visszaállítás azonosítóját és a kódot adja meg, ne mindkettőt.",
				clientzone.LangRU: "Укажите либо токен из ссылки, либо идентификатор сброса и код, но не оба.",
			},
			"The activation link is invalid or has expired.": {
				clientzone.LangSK: "Aktivačný odkaz je neplatný alebo vypršal.",
				clientzone.LangHU: "Az aktiváló link érvénytelen vagy lejárt.",
				clientzone.LangRU: "Ссылка для активации недействительна или истекла.",
			},
			"This link is invalid, expired or already used.": {
				clientzone.LangSK: "Tento odkaz je neplatný, vypršal alebo už bol použitý.",
				clientzone.LangHU: "Ez a link érvénytelen, lejárt vagy már felhasználták.",
				clientzone.LangRU: "Эта ссылка недействительна, истекла или уже использована.",
			},
			"An account with this email already exists; log in or reset your password.": {
				clientzone.LangSK: "Účet s týmto e-mailom už existuje; prihláste sa alebo si obnovte heslo.",
				clientzone.LangHU: "Ezzel az e-mail-címmel már létezik fiók; jelentkezzen be, vagy állítsa vissza a jelszavát.",
				clientzone.LangRU: "Учётная запись с этой почтой уже существует; войдите или сбросьте пароль.",
			},
			"The code is invalid or has expired.": {
				clientzone.LangSK: "Kód je neplatný alebo vypršal.",
				clientzone.LangHU: "A kód érvénytelen vagy lejárt.",
				clientzone.LangRU: "Код недействителен или истёк.",
			},
			"This code is invalid, expired or already used.": {
				clientzone.LangSK: "Tento kód je neplatný, vypršal alebo už bol použitý.",
				clientzone.LangHU: "Ez a kód érvénytelen, lejárt vagy már felhasználták.",
				clientzone.LangRU: "Этот код недействителен, истёк или уже использован.",
			},
			"The password reset link is invalid or has expired.": {
				clientzone.LangSK: "Odkaz na obnovenie hesla je neplatný alebo vypršal.",
				clientzone.LangHU: "A jelszó-visszaállító link érvénytelen vagy lejárt.",
				clientzone.LangRU: "Ссылка для сброса пароля недействительна или истекла.",
			},
		}
	})
}
