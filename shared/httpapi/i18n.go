package httpapi

import (
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// DefaultLanguage is used when Accept-Language names no supported language.
var DefaultLanguage = clientzone.LangEN

// Language picks the best supported language from Accept-Language
// (RFC 9110 quality values; "sk-SK" matches "sk").
func Language(r *http.Request) clientzone.Language {
	type pref struct {
		lang string
		q    float64
	}
	var prefs []pref
	for _, part := range strings.Split(r.Header.Get("Accept-Language"), ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if tag == "" {
			continue
		}
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		prefs = append(prefs, pref{base, q})
	}
	sort.SliceStable(prefs, func(i, j int) bool { return prefs[i].q > prefs[j].q })
	for _, p := range prefs {
		if p.q <= 0 {
			continue
		}
		for _, l := range clientzone.Languages {
			if string(l) == p.lang {
				return l
			}
		}
	}
	return DefaultLanguage
}

// Translate returns the message in lang. Messages are keyed by their English
// text (gettext style); an untranslated message stays in English.
func Translate(lang clientzone.Language, msg string) string {
	if lang == clientzone.LangEN {
		return msg
	}
	if t, ok := catalog()[msg][lang]; ok {
		return t
	}
	return msg
}

type translations map[clientzone.Language]string

// catalog holds the sk, hu and ru texts of every client-facing message.
// Each area of the API keeps its messages in its own i18n_<area>.go file
// and registers them with addTranslations from an init function. The
// catalog is built on its first use (the first non-English answer), not at
// start: a function's cold start does not pay for every area's texts.
var catalog = sync.OnceValue(func() map[string]translations {
	out := map[string]translations{}
	for _, part := range catalogParts {
		for k, v := range part() {
			if _, dup := out[k]; dup {
				panic("httpapi: message translated twice: " + k)
			}
			out[k] = v
		}
	}
	return out
})

// catalogParts are the areas' message tables, built when catalog is.
var catalogParts []func() map[string]translations

// addTranslations registers an area's messages; a message defined twice is
// a programming error (catalog panics on its first use, which every test
// run reaches).
func addTranslations(part func() map[string]translations) {
	catalogParts = append(catalogParts, part)
}

func init() { addTranslations(coreMessages) }

func coreMessages() map[string]translations {
	return map[string]translations{
		"Internal error.": {
			clientzone.LangSK: "Vnútorná chyba.",
			clientzone.LangHU: "Belső hiba.",
			clientzone.LangRU: "Внутренняя ошибка.",
		},
		"Log in to continue.": {
			clientzone.LangSK: "Pokračujte prihlásením.",
			clientzone.LangHU: "A folytatáshoz jelentkezzen be.",
			clientzone.LangRU: "Войдите, чтобы продолжить.",
		},
		"The access token is invalid or expired.": {
			clientzone.LangSK: "Prístupový token je neplatný alebo vypršal.",
			clientzone.LangHU: "A hozzáférési token érvénytelen vagy lejárt.",
			clientzone.LangRU: "Токен доступа недействителен или истёк.",
		},
		"The session has ended; log in again.": {
			clientzone.LangSK: "Relácia skončila, prihláste sa znova.",
			clientzone.LangHU: "A munkamenet véget ért, jelentkezzen be újra.",
			clientzone.LangRU: "Сеанс завершён, войдите снова.",
		},
		"The login or password is incorrect.": {
			clientzone.LangSK: "Prihlasovacie meno alebo heslo je nesprávne.",
			clientzone.LangHU: "A felhasználónév vagy a jelszó hibás.",
			clientzone.LangRU: "Неверный логин или пароль.",
		},
		"You do not have the right to do this.": {
			clientzone.LangSK: "Na túto akciu nemáte oprávnenie.",
			clientzone.LangHU: "Nincs jogosultsága ehhez a művelethez.",
			clientzone.LangRU: "У вас нет прав на это действие.",
		},
		"Only an account administrator can do this.": {
			clientzone.LangSK: "Túto akciu môže vykonať iba správca účtu.",
			clientzone.LangHU: "Ezt csak a fiók adminisztrátora teheti meg.",
			clientzone.LangRU: "Это может сделать только администратор учётной записи.",
		},
		"Change your password to continue.": {
			clientzone.LangSK: "Pred pokračovaním si zmeňte heslo.",
			clientzone.LangHU: "A folytatáshoz változtassa meg a jelszavát.",
			clientzone.LangRU: "Чтобы продолжить, смените пароль.",
		},
		"No such resource.": {
			clientzone.LangSK: "Takýto zdroj neexistuje.",
			clientzone.LangHU: "Nincs ilyen erőforrás.",
			clientzone.LangRU: "Такого ресурса нет.",
		},
		"Invoice not found.": {
			clientzone.LangSK: "Faktúra sa nenašla.",
			clientzone.LangHU: "A számla nem található.",
			clientzone.LangRU: "Счёт не найден.",
		},
		"Contract not found.": {
			clientzone.LangSK: "Zmluva sa nenašla.",
			clientzone.LangHU: "A szerződés nem található.",
			clientzone.LangRU: "Договор не найден.",
		},
		"Person not found.": {
			clientzone.LangSK: "Osoba sa nenašla.",
			clientzone.LangHU: "A személy nem található.",
			clientzone.LangRU: "Пользователь не найден.",
		},
		"The request body is not valid JSON.": {
			clientzone.LangSK: "Telo požiadavky nie je platný JSON.",
			clientzone.LangHU: "A kérés törzse nem érvényes JSON.",
			clientzone.LangRU: "Тело запроса не является корректным JSON.",
		},
		"The request body is too large.": {
			clientzone.LangSK: "Telo požiadavky je príliš veľké.",
			clientzone.LangHU: "A kérés törzse túl nagy.",
			clientzone.LangRU: "Тело запроса слишком велико.",
		},
		"Send the body as application/json.": {
			clientzone.LangSK: "Telo požiadavky pošlite ako application/json.",
			clientzone.LangHU: "A kérés törzsét application/json formátumban küldje.",
			clientzone.LangRU: "Отправьте тело запроса как application/json.",
		},
		"Some fields are invalid.": {
			clientzone.LangSK: "Niektoré polia sú neplatné.",
			clientzone.LangHU: "Néhány mező érvénytelen.",
			clientzone.LangRU: "Некоторые поля заполнены неверно.",
		},
		"The cursor is invalid.": {
			clientzone.LangSK: "Kurzor je neplatný.",
			clientzone.LangHU: "A kurzor érvénytelen.",
			clientzone.LangRU: "Курсор недействителен.",
		},
		"The cursor is invalid or expired.": {
			clientzone.LangSK: "Kurzor je neplatný alebo vypršal.",
			clientzone.LangHU: "A kurzor érvénytelen vagy lejárt.",
			clientzone.LangRU: "Курсор недействителен или устарел.",
		},
		// Field messages produced by the validator (see validate.go).
		"This field is required.": {
			clientzone.LangSK: "Toto pole je povinné.",
			clientzone.LangHU: "Ez a mező kötelező.",
			clientzone.LangRU: "Это поле обязательно.",
		},
		"This value is too long.": {
			clientzone.LangSK: "Hodnota je príliš dlhá.",
			clientzone.LangHU: "Az érték túl hosszú.",
			clientzone.LangRU: "Значение слишком длинное.",
		},
		"This value is too short.": {
			clientzone.LangSK: "Hodnota je príliš krátka.",
			clientzone.LangHU: "Az érték túl rövid.",
			clientzone.LangRU: "Значение слишком короткое.",
		},
		"This value is too large.": {
			clientzone.LangSK: "Hodnota je príliš veľká.",
			clientzone.LangHU: "Az érték túl nagy.",
			clientzone.LangRU: "Значение слишком большое.",
		},
		"This value is too small.": {
			clientzone.LangSK: "Hodnota je príliš malá.",
			clientzone.LangHU: "Az érték túl kicsi.",
			clientzone.LangRU: "Значение слишком маленькое.",
		},
		"This value is not allowed.": {
			clientzone.LangSK: "Táto hodnota nie je povolená.",
			clientzone.LangHU: "Ez az érték nem megengedett.",
			clientzone.LangRU: "Это значение недопустимо.",
		},
		"This is not a valid email address.": {
			clientzone.LangSK: "Toto nie je platná e-mailová adresa.",
			clientzone.LangHU: "Ez nem érvényes e-mail-cím.",
			clientzone.LangRU: "Это некорректный адрес электронной почты.",
		},
		"This value is invalid.": {
			clientzone.LangSK: "Hodnota je neplatná.",
			clientzone.LangHU: "Az érték érvénytelen.",
			clientzone.LangRU: "Недопустимое значение.",
		},
		"This value has the wrong type.": {
			clientzone.LangSK: "Hodnota má nesprávny typ.",
			clientzone.LangHU: "Az érték típusa hibás.",
			clientzone.LangRU: "Значение имеет неверный тип.",
		},
		"This field is not known.": {
			clientzone.LangSK: "Toto pole nie je známe.",
			clientzone.LangHU: "Ismeretlen mező.",
			clientzone.LangRU: "Неизвестное поле.",
		},
		"Back-office routes need IAM authorization.": {
			clientzone.LangSK: "Trasy back-office vyžadujú autorizáciu IAM.",
			clientzone.LangHU: "A back-office útvonalakhoz IAM-engedélyezés szükséges.",
			clientzone.LangRU: "Для маршрутов бэк-офиса нужна авторизация IAM.",
		},
	}
}
