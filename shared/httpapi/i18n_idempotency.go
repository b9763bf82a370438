package httpapi

import "github.com/clientzone/clientzone/shared/clientzone"

func init() {
	addTranslations(func() map[string]translations {
		return map[string]translations{
			"Send an Idempotency-Key header with this request.": {
				clientzone.LangSK: "Pošlite s touto požiadavkou hlavičku Idempotency-Key.",
				clientzone.LangHU: "Küldjön Idempotency-Key fejlécet ezzel a kéréssel.",
				clientzone.LangRU: "Отправьте с этим запросом заголовок Idempotency-Key.",
			},
			"Use 8 to 255 visible ASCII characters, e.g. a UUID.": {
				clientzone.LangSK: "Použite 8 až 255 viditeľných znakov ASCII, napr. UUID.",
				clientzone.LangHU: "Használjon 8–255 látható ASCII-karaktert, pl. egy UUID-t.",
				clientzone.LangRU: "Используйте от 8 до 255 видимых символов ASCII, например UUID.",
			},
			"This Idempotency-Key was already used for a different request.": {
				clientzone.LangSK: "Tento Idempotency-Key už bol použitý pre inú požiadavku.",
				clientzone.LangHU: "Ezt az Idempotency-Key értéket már egy másik kéréshez használták.",
				clientzone.LangRU: "Этот Idempotency-Key уже использован для другого запроса.",
			},
			"Use a new key for a new request.": {
				clientzone.LangSK: "Pre novú požiadavku použite nový kľúč.",
				clientzone.LangHU: "Új kéréshez használjon új kulcsot.",
				clientzone.LangRU: "Для нового запроса используйте новый ключ.",
			},
			"A request with this Idempotency-Key is still being processed; retry later.": {
				clientzone.LangSK: "Požiadavka s týmto Idempotency-Key sa ešte spracúva, skúste to neskôr.",
				clientzone.LangHU: "Egy ilyen Idempotency-Key értékű kérés feldolgozása még folyamatban van, próbálja később.",
				clientzone.LangRU: "Запрос с этим Idempotency-Key ещё обрабатывается, повторите позже.",
			},
		}
	})
}
