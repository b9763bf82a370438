package httpapi

import "github.com/clientzone/clientzone/shared/clientzone"

// Messages of persons management, the audit log and the persons import.
func init() {
	addTranslations(func() map[string]translations {
		return map[string]translations{
			"This email address is already taken by another login.": {
				clientzone.LangSK: "Túto e-mailovú adresu už používa iné prihlásenie.",
				clientzone.LangHU: "Ezt az e-mail-címet már egy másik felhasználó használja.",
				clientzone.LangRU: "Этот адрес электронной почты уже используется другим логином.",
			},
			"This username is already taken by another login.": {
				clientzone.LangSK: "Toto používateľské meno už používa iné prihlásenie.",
				clientzone.LangHU: "Ezt a felhasználónevet már egy másik felhasználó használja.",
				clientzone.LangRU: "Это имя пользователя уже используется другим логином.",
			},
			"Another login already uses this value.": {
				clientzone.LangSK: "Túto hodnotu už používa iné prihlásenie.",
				clientzone.LangHU: "Ezt az értéket már egy másik felhasználó használja.",
				clientzone.LangRU: "Это значение уже используется другим логином.",
			},
			"Someone else changed this person meanwhile; reload and try again.": {
				clientzone.LangSK: "Túto osobu medzitým zmenil niekto iný; načítajte ju znova a skúste to znova.",
				clientzone.LangHU: "Valaki más időközben módosította ezt a személyt; töltse be újra, és próbálja újra.",
				clientzone.LangRU: "Кто-то другой уже изменил этого пользователя; обновите данные и повторите попытку.",
			},
			"The last active administrator cannot be demoted or disabled; make another person an administrator first.": {
				clientzone.LangSK: "Posledného aktívneho správcu nemožno zbaviť roly ani zablokovať; najprv urobte správcom inú osobu.",
				clientzone.LangHU: "Az utolsó aktív adminisztrátort nem lehet lefokozni vagy letiltani; előbb tegyen adminisztrátorrá egy másik személyt.",
				clientzone.LangRU: "Последнего активного администратора нельзя понизить или заблокировать; сначала назначьте администратором другого пользователя.",
			},
			"You cannot disable your own login.": {
				clientzone.LangSK: "Vlastné prihlásenie nemôžete zablokovať.",
				clientzone.LangHU: "A saját felhasználóját nem tilthatja le.",
				clientzone.LangRU: "Нельзя заблокировать собственный логин.",
			},
			"A username may not contain @ or spaces and may not be only digits.": {
				clientzone.LangSK: "Používateľské meno nesmie obsahovať @ ani medzery a nesmie pozostávať iba z číslic.",
				clientzone.LangHU: "A felhasználónév nem tartalmazhat @ jelet vagy szóközt, és nem állhat csak számjegyekből.",
				clientzone.LangRU: "Имя пользователя не может содержать @ или пробелы и не может состоять только из цифр.",
			},
			"Use a bcrypt, MD5-crypt or argon2id hash.": {
				clientzone.LangSK: "Použite hash bcrypt, MD5-crypt alebo argon2id.",
				clientzone.LangHU: "bcrypt, MD5-crypt vagy argon2id hash-t adjon meg.",
				clientzone.LangRU: "Используйте хеш bcrypt, MD5-crypt или argon2id.",
			},
			"This value appears twice in the import.": {
				clientzone.LangSK: "Táto hodnota sa v importe vyskytuje dvakrát.",
				clientzone.LangHU: "Ez az érték kétszer szerepel az importban.",
				clientzone.LangRU: "Это значение встречается в импорте дважды.",
			},
		}
	})
}
