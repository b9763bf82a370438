package httpapi

import "github.com/clientzone/clientzone/shared/clientzone"

// Messages of login limits, refresh, logout, password change and profile.
func init() {
	addTranslations(func() map[string]translations {
		return map[string]translations{
			"Too many failed login attempts. Try again later.": {
				clientzone.LangSK: "Príliš veľa neúspešných pokusov o prihlásenie. Skúste to neskôr.",
				clientzone.LangHU: "Túl sok sikertelen bejelentkezési kísérlet. Próbálja újra később.",
				clientzone.LangRU: "Слишком много неудачных попыток входа. Повторите попытку позже.",
			},
			"The current password is incorrect.": {
				clientzone.LangSK: "Súčasné heslo je nesprávne.",
				clientzone.LangHU: "A jelenlegi jelszó hibás.",
				clientzone.LangRU: "Текущий пароль неверен.",
			},
			"The new password must differ from the current one.": {
				clientzone.LangSK: "Nové heslo sa musí líšiť od súčasného.",
				clientzone.LangHU: "Az új jelszónak különböznie kell a jelenlegitől.",
				clientzone.LangRU: "Новый пароль должен отличаться от текущего.",
			},
			"The password must not contain your email address or username.": {
				clientzone.LangSK: "Heslo nesmie obsahovať vašu e-mailovú adresu ani používateľské meno.",
				clientzone.LangHU: "A jelszó nem tartalmazhatja az e-mail-címét vagy a felhasználónevét.",
				clientzone.LangRU: "Пароль не должен содержать ваш адрес электронной почты или имя пользователя.",
			},
			"The password was changed concurrently.": {
				clientzone.LangSK: "Heslo bolo medzitým zmenené.",
				clientzone.LangHU: "A jelszót időközben módosították.",
				clientzone.LangRU: "Пароль был изменён в это же время.",
			},
			"Session already exists.": {
				clientzone.LangSK: "Relácia už existuje.",
				clientzone.LangHU: "A munkamenet már létezik.",
				clientzone.LangRU: "Сеанс уже существует.",
			},
		}
	})
}
