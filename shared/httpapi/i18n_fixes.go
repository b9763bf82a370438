package httpapi

import "github.com/clientzone/clientzone/shared/clientzone"

func init() {
	addTranslations(func() map[string]translations {
		return map[string]translations{
			"Your account has no variable symbol yet; contact support to pay by bank transfer.": {
				clientzone.LangSK: "Váš účet ešte nemá variabilný symbol; pre platbu prevodom kontaktujte podporu.",
				clientzone.LangHU: "Fiókjához még nincs közlemény-azonosító; átutaláshoz forduljon az ügyfélszolgálathoz.",
				clientzone.LangRU: "У вашего счёта ещё нет переменного символа; для оплаты переводом обратитесь в поддержку.",
			},
		}
	})
}
