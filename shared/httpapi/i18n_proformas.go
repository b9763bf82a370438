package httpapi

import "github.com/clientzone/clientzone/shared/clientzone"

// Messages of proformas, service renewals and the bank-statement import.
func init() {
	addTranslations(func() map[string]translations {
		return map[string]translations{
			"Your account has no variable symbol yet; contact support to pay by bank transfer.": {
				clientzone.LangSK: "Váš účet ešte nemá variabilný symbol; pre platbu prevodom kontaktujte podporu.",
				clientzone.LangHU: "Fiókjához még nincs közlemény-azonosító; átutaláshoz forduljon az ügyfélszolgálathoz.",
				clientzone.LangRU: "У вашего счёта ещё нет переменного символа; для оплаты переводом обратитесь в поддержку.",
			},
			"Only an unpaid invoice can be paid by a proforma.": {
				clientzone.LangSK: "Zálohovou faktúrou možno uhradiť iba neuhradenú faktúru.",
				clientzone.LangHU: "Díjbekérővel csak kifizetetlen számla fizethető.",
				clientzone.LangRU: "Счётом на предоплату можно оплатить только неоплаченный счёт.",
			},
			"This proforma is already paid or cancelled.": {
				clientzone.LangSK: "Táto zálohová faktúra je už uhradená alebo zrušená.",
				clientzone.LangHU: "Ez a díjbekérő már ki van fizetve vagy sztornózták.",
				clientzone.LangRU: "Этот счёт на предоплату уже оплачен или отменён.",
			},
			"The currency must be the account's currency.": {
				clientzone.LangSK: "Mena musí byť mena vášho účtu.",
				clientzone.LangHU: "A pénznemnek meg kell egyeznie a fiók pénznemével.",
				clientzone.LangRU: "Валюта должна совпадать с валютой вашего счёта.",
			},
			"Only hosting, domain and cloud services with an expiry date can be renewed.": {
				clientzone.LangSK: "Predĺžiť možno iba webhosting, domény a cloudové služby s dátumom platnosti.",
				clientzone.LangHU: "Csak lejárati dátummal rendelkező tárhely-, domain- és felhőszolgáltatás hosszabbítható meg.",
				clientzone.LangRU: "Продлить можно только хостинг, домены и облачные услуги со сроком действия.",
			},
			"A terminated service cannot be renewed.": {
				clientzone.LangSK: "Ukončenú službu nemožno predĺžiť.",
				clientzone.LangHU: "Megszüntetett szolgáltatás nem hosszabbítható meg.",
				clientzone.LangRU: "Расторгнутую услугу нельзя продлить.",
			},
			"Card renewal is not available; renew by proforma (bank transfer).": {
				clientzone.LangSK: "Predĺženie kartou nie je dostupné; predĺžte službu zálohovou faktúrou (bankovým prevodom).",
				clientzone.LangHU: "A kártyás hosszabbítás nem érhető el; hosszabbítson díjbekérővel (banki átutalással).",
				clientzone.LangRU: "Продление картой недоступно; продлите по счёту на предоплату (банковским переводом).",
			},
			"The bank statement cannot be read.": {
				clientzone.LangSK: "Bankový výpis sa nedá načítať.",
				clientzone.LangHU: "A bankszámlakivonat nem olvasható be.",
				clientzone.LangRU: "Не удаётся прочитать банковскую выписку.",
			},
			"Use csv or camt053.": {
				clientzone.LangSK: "Použite csv alebo camt053.",
				clientzone.LangHU: "Használjon csv vagy camt053 formátumot.",
				clientzone.LangRU: "Используйте csv или camt053.",
			},
			"The CSV is malformed.": {
				clientzone.LangSK: "CSV má nesprávny formát.",
				clientzone.LangHU: "A CSV formátuma hibás.",
				clientzone.LangRU: "CSV имеет неверный формат.",
			},
			"The CSV is empty.": {
				clientzone.LangSK: "CSV je prázdne.",
				clientzone.LangHU: "A CSV üres.",
				clientzone.LangRU: "CSV пуст.",
			},
			"The CSV header lacks a required column (date, amount, currency, variable_symbol).": {
				clientzone.LangSK: "V hlavičke CSV chýba povinný stĺpec (date, amount, currency, variable_symbol).",
				clientzone.LangHU: "A CSV fejlécéből hiányzik egy kötelező oszlop (date, amount, currency, variable_symbol).",
				clientzone.LangRU: "В заголовке CSV нет обязательного столбца (date, amount, currency, variable_symbol).",
			},
			"The currency is not an ISO 4217 code.": {
				clientzone.LangSK: "Mena nie je kód podľa ISO 4217.",
				clientzone.LangHU: "A pénznem nem ISO 4217 kód.",
				clientzone.LangRU: "Валюта не является кодом ISO 4217.",
			},
			"The amount is not a number.": {
				clientzone.LangSK: "Suma nie je číslo.",
				clientzone.LangHU: "Az összeg nem szám.",
				clientzone.LangRU: "Сумма не является числом.",
			},
			"The camt.053 XML is malformed.": {
				clientzone.LangSK: "XML camt.053 má nesprávny formát.",
				clientzone.LangHU: "A camt.053 XML formátuma hibás.",
				clientzone.LangRU: "XML camt.053 имеет неверный формат.",
			},
			"The XML has no BkToCstmrStmt/Stmt.": {
				clientzone.LangSK: "XML neobsahuje BkToCstmrStmt/Stmt.",
				clientzone.LangHU: "Az XML nem tartalmaz BkToCstmrStmt/Stmt elemet.",
				clientzone.LangRU: "В XML нет BkToCstmrStmt/Stmt.",
			},
			"A batch entry's transactions have no amounts.": {
				clientzone.LangSK: "Transakcie hromadného záznamu nemajú sumy.",
				clientzone.LangHU: "A csoportos tétel tranzakcióinak nincs összege.",
				clientzone.LangRU: "У операций пакетной записи нет сумм.",
			},
		}
	})
}
