package httpapi

import "github.com/clientzone/clientzone/shared/clientzone"

// Messages of the prepaid balance, autopay, direct debit, standing orders
// and invoice correction requests.
func init() {
	addTranslations(func() map[string]translations {
		return map[string]translations{
			"Autopay can only pay from the prepaid balance.": {
				clientzone.LangSK: "Automatická platba môže platiť len z predplateného zostatku.",
				clientzone.LangHU: "Az automatikus fizetés csak az előre fizetett egyenlegből fizethet.",
				clientzone.LangRU: "Автоплатёж может оплачивать только с предоплаченного баланса.",
			},
			"The currency must be the currency of your account.": {
				clientzone.LangSK: "Mena musí byť menou vášho účtu.",
				clientzone.LangHU: "A pénznemnek meg kell egyeznie a fiókja pénznemével.",
				clientzone.LangRU: "Валюта должна совпадать с валютой вашего счёта.",
			},
			"The amount must be positive.": {
				clientzone.LangSK: "Suma musí byť kladná.",
				clientzone.LangHU: "Az összegnek pozitívnak kell lennie.",
				clientzone.LangRU: "Сумма должна быть положительной.",
			},
			"This is not a valid IBAN.": {
				clientzone.LangSK: "Toto nie je platný IBAN.",
				clientzone.LangHU: "Ez nem érvényes IBAN.",
				clientzone.LangRU: "Это недействительный IBAN.",
			},
			"You must accept the direct debit mandate.": {
				clientzone.LangSK: "Musíte súhlasiť s mandátom na inkaso.",
				clientzone.LangHU: "El kell fogadnia a csoportos beszedési megbízást.",
				clientzone.LangRU: "Вы должны принять мандат на прямое дебетование.",
			},
			"This invoice has nothing to pay.": {
				clientzone.LangSK: "Na tejto faktúre nie je čo platiť.",
				clientzone.LangHU: "Ezen a számlán nincs fizetendő összeg.",
				clientzone.LangRU: "По этому счёту нечего оплачивать.",
			},
			"A cancelled invoice cannot be corrected.": {
				clientzone.LangSK: "Stornovanú faktúru nie je možné opraviť.",
				clientzone.LangHU: "Sztornózott számla nem javítható.",
				clientzone.LangRU: "Аннулированный счёт нельзя исправить.",
			},
		}
	})
}
