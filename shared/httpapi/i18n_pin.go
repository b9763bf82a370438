package httpapi

import "github.com/clientzone/clientzone/shared/clientzone"

// Messages of the authorization PIN (step-up, issue, change) and of the
// customer's billing data.
func init() {
	addTranslations(func() map[string]translations {
		return map[string]translations{
			"This action needs your authorization PIN.": {
				clientzone.LangSK: "Táto akcia vyžaduje váš autorizačný PIN.",
				clientzone.LangHU: "Ehhez a művelethez szükség van az engedélyezési PIN-kódjára.",
				clientzone.LangRU: "Для этого действия нужен ваш PIN-код авторизации.",
			},
			"No authorization PIN is set for your account; ask support to send you one.": {
				clientzone.LangSK: "Pre váš účet nie je nastavený autorizačný PIN; požiadajte podporu, aby vám ho poslala.",
				clientzone.LangHU: "A fiókjához nincs beállítva engedélyezési PIN-kód; kérje az ügyfélszolgálattól, hogy küldjenek egyet.",
				clientzone.LangRU: "Для вашей учётной записи не задан PIN-код авторизации; попросите поддержку прислать его.",
			},
			"The authorization PIN is wrong.": {
				clientzone.LangSK: "Autorizačný PIN je nesprávny.",
				clientzone.LangHU: "Az engedélyezési PIN-kód hibás.",
				clientzone.LangRU: "Неверный PIN-код авторизации.",
			},
			// Sent with the unlock time (UTC, RFC 3339) in place of %s.
			"Too many wrong PINs; the authorization PIN is locked until %s.": {
				clientzone.LangSK: "Príliš veľa nesprávnych PIN; autorizačný PIN je zablokovaný do %s.",
				clientzone.LangHU: "Túl sok hibás PIN-kód; az engedélyezési PIN-kód zárolva van eddig: %s.",
				clientzone.LangRU: "Слишком много неверных PIN-кодов; PIN-код авторизации заблокирован до %s.",
			},
			"The PIN must be 4 to 8 digits.": {
				clientzone.LangSK: "PIN musí mať 4 až 8 číslic.",
				clientzone.LangHU: "A PIN-kódnak 4–8 számjegyből kell állnia.",
				clientzone.LangRU: "PIN-код должен состоять из 4–8 цифр.",
			},
			"Choose a PIN that is not one repeated digit or a run like 1234.": {
				clientzone.LangSK: "Zvoľte PIN, ktorý nie je jedna opakovaná číslica ani postupnosť ako 1234.",
				clientzone.LangHU: "Olyan PIN-kódot válasszon, amely nem egyetlen ismétlődő számjegy és nem sorozat, mint az 1234.",
				clientzone.LangRU: "Выберите PIN-код, который не состоит из одной повторяющейся цифры и не является последовательностью вроде 1234.",
			},
			"The password you entered is not correct.": {
				clientzone.LangSK: "Zadané heslo nie je správne.",
				clientzone.LangHU: "A megadott jelszó nem helyes.",
				clientzone.LangRU: "Введённый пароль неверен.",
			},
			"Too many wrong password confirmations; try again in an hour.": {
				clientzone.LangSK: "Príliš veľa nesprávnych potvrdení hesla; skúste to znova o hodinu.",
				clientzone.LangHU: "Túl sok hibás jelszómegerősítés; próbálja újra egy óra múlva.",
				clientzone.LangRU: "Слишком много неверных подтверждений пароля; повторите попытку через час.",
			},
			"No customer with this id.": {
				clientzone.LangSK: "Zákazník s týmto identifikátorom neexistuje.",
				clientzone.LangHU: "Nincs ilyen azonosítójú ügyfél.",
				clientzone.LangRU: "Клиента с таким идентификатором нет.",
			},
			"The customer has no phone number to send the PIN to.": {
				clientzone.LangSK: "Zákazník nemá telefónne číslo, na ktoré by sa dal PIN poslať.",
				clientzone.LangHU: "Az ügyfélnek nincs telefonszáma, amelyre a PIN-kódot el lehetne küldeni.",
				clientzone.LangRU: "У клиента нет номера телефона для отправки PIN-кода.",
			},
			"The billing data was changed concurrently; try again.": {
				clientzone.LangSK: "Fakturačné údaje boli medzitým zmenené; skúste to znova.",
				clientzone.LangHU: "A számlázási adatok időközben megváltoztak; próbálja újra.",
				clientzone.LangRU: "Платёжные данные были изменены одновременно с вами; повторите попытку.",
			},
		}
	})
}
