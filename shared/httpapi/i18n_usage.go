package httpapi

import "github.com/clientzone/clientzone/shared/clientzone"

// Messages of usage (calls, traffic) and contract history.
func init() {
	addTranslations(func() map[string]translations {
		return map[string]translations{
			"Use an RFC 3339 time or a date YYYY-MM-DD.": {
				clientzone.LangSK: "Použite čas vo formáte RFC 3339 alebo dátum RRRR-MM-DD.",
				clientzone.LangHU: "RFC 3339 formátumú időpontot vagy ÉÉÉÉ-HH-NN dátumot adjon meg.",
				clientzone.LangRU: "Укажите время в формате RFC 3339 или дату ГГГГ-ММ-ДД.",
			},
			"This must be after from.": {
				clientzone.LangSK: "Musí byť neskôr ako začiatok (from).",
				clientzone.LangHU: "Későbbinek kell lennie a kezdetnél (from).",
				clientzone.LangRU: "Должно быть позже начала (from).",
			},
			"This must not be before from.": {
				clientzone.LangSK: "Nesmie byť skôr ako začiatok (from).",
				clientzone.LangHU: "Nem lehet korábbi a kezdetnél (from).",
				clientzone.LangRU: "Не может быть раньше начала (from).",
			},
			"The range can be at most 366 days long.": {
				clientzone.LangSK: "Obdobie môže mať najviac 366 dní.",
				clientzone.LangHU: "Az időszak legfeljebb 366 napos lehet.",
				clientzone.LangRU: "Период может составлять не более 366 дней.",
			},
			"The export has more than %d calls; choose a shorter date range.": {
				clientzone.LangSK: "Export má viac ako %d hovorov; zvoľte kratšie obdobie.",
				clientzone.LangHU: "Az export több mint %d hívást tartalmaz; válasszon rövidebb időszakot.",
				clientzone.LangRU: "В выгрузке более %d звонков; выберите более короткий период.",
			},
			"Use the customer's currency.": {
				clientzone.LangSK: "Použite menu zákazníka.",
				clientzone.LangHU: "Az ügyfél pénznemét használja.",
				clientzone.LangRU: "Используйте валюту клиента.",
			},
			"Use the format YYYY-MM-DD.": {
				clientzone.LangSK: "Použite formát RRRR-MM-DD.",
				clientzone.LangHU: "Használja az ÉÉÉÉ-HH-NN formátumot.",
				clientzone.LangRU: "Используйте формат ГГГГ-ММ-ДД.",
			},
			"This is not a valid IP address.": {
				clientzone.LangSK: "Toto nie je platná IP adresa.",
				clientzone.LangHU: "Ez nem érvényes IP-cím.",
				clientzone.LangRU: "Это недопустимый IP-адрес.",
			},
			"Send at most 1000 calls per request.": {
				clientzone.LangSK: "Pošlite najviac 1000 hovorov v jednej požiadavke.",
				clientzone.LangHU: "Kérésenként legfeljebb 1000 hívást küldjön.",
				clientzone.LangRU: "Отправляйте не более 1000 звонков за запрос.",
			},
			"Send at most 1000 records per request.": {
				clientzone.LangSK: "Pošlite najviac 1000 záznamov v jednej požiadavke.",
				clientzone.LangHU: "Kérésenként legfeljebb 1000 rekordot küldjön.",
				clientzone.LangRU: "Отправляйте не более 1000 записей за запрос.",
			},
			"This must not be negative.": {
				clientzone.LangSK: "Hodnota nesmie byť záporná.",
				clientzone.LangHU: "Az érték nem lehet negatív.",
				clientzone.LangRU: "Значение не может быть отрицательным.",
			},
			"This must not be before openedAt.": {
				clientzone.LangSK: "Nesmie byť skôr ako čas otvorenia (openedAt).",
				clientzone.LangHU: "Nem lehet korábbi a megnyitás idejénél (openedAt).",
				clientzone.LangRU: "Не может быть раньше времени открытия (openedAt).",
			},
		}
	})
}
