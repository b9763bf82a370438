package httpapi

import "github.com/clientzone/clientzone/shared/clientzone"

// Messages of authorized messages, support tickets, promotions and the
// status-page back office.
func init() {
	addTranslations(func() map[string]translations {
		return map[string]translations{
			"Message not found.": {
				clientzone.LangSK: "Správa sa nenašla.",
				clientzone.LangHU: "Az üzenet nem található.",
				clientzone.LangRU: "Сообщение не найдено.",
			},
			"Ticket not found.": {
				clientzone.LangSK: "Tiket sa nenašiel.",
				clientzone.LangHU: "A hibajegy nem található.",
				clientzone.LangRU: "Обращение не найдено.",
			},
			"This ticket is closed.": {
				clientzone.LangSK: "Tento tiket je uzavretý.",
				clientzone.LangHU: "Ez a hibajegy le van zárva.",
				clientzone.LangRU: "Это обращение закрыто.",
			},
			"Unknown ticket status %q.": {
				clientzone.LangSK: "Neznámy stav tiketu %q.",
				clientzone.LangHU: "Ismeretlen hibajegy-állapot: %q.",
				clientzone.LangRU: "Неизвестный статус обращения %q.",
			},
			"An attachment is unknown or already used.": {
				clientzone.LangSK: "Príloha je neznáma alebo už bola použitá.",
				clientzone.LangHU: "Egy melléklet ismeretlen vagy már fel van használva.",
				clientzone.LangRU: "Вложение неизвестно или уже использовано.",
			},
			"An attachment was not uploaded.": {
				clientzone.LangSK: "Príloha nebola nahraná.",
				clientzone.LangHU: "Egy melléklet nem lett feltöltve.",
				clientzone.LangRU: "Вложение не было загружено.",
			},
			"An uploaded attachment does not have its declared size.": {
				clientzone.LangSK: "Nahraná príloha nemá ohlásenú veľkosť.",
				clientzone.LangHU: "Egy feltöltött melléklet mérete eltér a megadottól.",
				clientzone.LangRU: "Размер загруженного вложения не совпадает с заявленным.",
			},
			"A ticket can have at most %d attachments.": {
				clientzone.LangSK: "Tiket môže mať najviac %d príloh.",
				clientzone.LangHU: "Egy hibajegyhez legfeljebb %d melléklet tartozhat.",
				clientzone.LangRU: "К обращению можно приложить не более %d файлов.",
			},
			"This must be after validFrom.": {
				clientzone.LangSK: "Musí byť neskôr ako validFrom.",
				clientzone.LangHU: "Későbbinek kell lennie, mint a validFrom.",
				clientzone.LangRU: "Должно быть позже validFrom.",
			},
			"This language is not supported.": {
				clientzone.LangSK: "Tento jazyk nie je podporovaný.",
				clientzone.LangHU: "Ez a nyelv nem támogatott.",
				clientzone.LangRU: "Этот язык не поддерживается.",
			},
			"This must not be before startedAt.": {
				clientzone.LangSK: "Nesmie byť skôr ako startedAt.",
				clientzone.LangHU: "Nem lehet korábbi, mint a startedAt.",
				clientzone.LangRU: "Не может быть раньше startedAt.",
			},
		}
	})
}
