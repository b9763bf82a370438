package httpapi

import "github.com/clientzone/clientzone/shared/clientzone"

// Messages of card payments, top-ups, payment webhooks and settlement.
func init() {
	addTranslations(func() map[string]translations {
		return map[string]translations{
			"This invoice is already paid or cancelled.": {
				clientzone.LangSK: "Táto faktúra je už zaplatená alebo stornovaná.",
				clientzone.LangHU: "Ez a számla már ki van fizetve, vagy sztornózták.",
				clientzone.LangRU: "Этот счёт уже оплачен или аннулирован.",
			},
			"The paid amount does not match the amount due.": {
				clientzone.LangSK: "Zaplatená suma nezodpovedá dlžnej sume.",
				clientzone.LangHU: "A befizetett összeg nem egyezik a fizetendő összeggel.",
				clientzone.LangRU: "Оплаченная сумма не совпадает с суммой к оплате.",
			},
			"The paid amount does not match the payment.": {
				clientzone.LangSK: "Zaplatená suma nezodpovedá platbe.",
				clientzone.LangHU: "A befizetett összeg nem egyezik a fizetéssel.",
				clientzone.LangRU: "Оплаченная сумма не совпадает с платежом.",
			},
			"The webhook signature is invalid.": {
				clientzone.LangSK: "Podpis webhooku je neplatný.",
				clientzone.LangHU: "A webhook aláírása érvénytelen.",
				clientzone.LangRU: "Подпись вебхука недействительна.",
			},
			"The webhook body is not a valid event.": {
				clientzone.LangSK: "Telo webhooku nie je platná udalosť.",
				clientzone.LangHU: "A webhook törzse nem érvényes esemény.",
				clientzone.LangRU: "Тело вебхука не является допустимым событием.",
			},
			"Use the currency of your account.": {
				clientzone.LangSK: "Použite menu vášho účtu.",
				clientzone.LangHU: "Használja a fiókja pénznemét.",
				clientzone.LangRU: "Используйте валюту вашей учётной записи.",
			},
			"The amount is outside the allowed range.": {
				clientzone.LangSK: "Suma je mimo povoleného rozsahu.",
				clientzone.LangHU: "Az összeg kívül esik a megengedett tartományon.",
				clientzone.LangRU: "Сумма вне допустимого диапазона.",
			},
			"Payment provider not found.": {
				clientzone.LangSK: "Platobná brána sa nenašla.",
				clientzone.LangHU: "A fizetési szolgáltató nem található.",
				clientzone.LangRU: "Платёжный провайдер не найден.",
			},
			"Payment not found.": {
				clientzone.LangSK: "Platba sa nenašla.",
				clientzone.LangHU: "A fizetés nem található.",
				clientzone.LangRU: "Платёж не найден.",
			},
			"Settlement not found.": {
				clientzone.LangSK: "Zúčtovanie sa nenašlo.",
				clientzone.LangHU: "Az elszámolás nem található.",
				clientzone.LangRU: "Зачисление не найдено.",
			},
			"The service was changed concurrently; try again.": {
				clientzone.LangSK: "Služba bola medzitým zmenená; skúste to znova.",
				clientzone.LangHU: "A szolgáltatás közben megváltozott; próbálja újra.",
				clientzone.LangRU: "Услуга была изменена одновременно; повторите попытку.",
			},
			"This payment is already completed.": {
				clientzone.LangSK: "Táto platba je už dokončená.",
				clientzone.LangHU: "Ez a fizetés már befejeződött.",
				clientzone.LangRU: "Этот платёж уже завершён.",
			},
		}
	})
}
