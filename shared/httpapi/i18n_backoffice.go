package httpapi

import "github.com/clientzone/clientzone/shared/clientzone"

// Messages of the back-office customer and invoice upserts.
func init() {
	addTranslations(func() map[string]translations {
		return map[string]translations{
			"The variable symbol is already used by another customer.": {
				clientzone.LangSK: "Variabilný symbol už používa iný zákazník.",
				clientzone.LangHU: "A változó szimbólumot már egy másik ügyfél használja.",
				clientzone.LangRU: "Этот вариабельный символ уже использует другой клиент.",
			},
			"Another customer already uses this variable symbol.": {
				clientzone.LangSK: "Tento variabilný symbol už používa iný zákazník.",
				clientzone.LangHU: "Ezt a változó szimbólumot már egy másik ügyfél használja.",
				clientzone.LangRU: "Этот вариабельный символ уже использует другой клиент.",
			},
			"The variable symbol clashes with another customer's proforma symbols.": {
				clientzone.LangSK: "Variabilný symbol sa kryje so symbolmi zálohových faktúr iného zákazníka.",
				clientzone.LangHU: "A változó szimbólum ütközik egy másik ügyfél díjbekérőinek szimbólumaival.",
				clientzone.LangRU: "Вариабельный символ пересекается с символами счетов на предоплату другого клиента.",
			},
			"This variable symbol overlaps another customer's proforma symbols (a symbol plus 3 digits).": {
				clientzone.LangSK: "Tento variabilný symbol sa prekrýva so symbolmi zálohových faktúr iného zákazníka (symbol a 3 číslice).",
				clientzone.LangHU: "Ez a változó szimbólum átfedésben van egy másik ügyfél díjbekérő-szimbólumaival (szimbólum és 3 számjegy).",
				clientzone.LangRU: "Этот вариабельный символ пересекается с символами счетов на предоплату другого клиента (символ и 3 цифры).",
			},
			"The customer was changed concurrently; try again.": {
				clientzone.LangSK: "Zákazník bol medzitým zmenený; skúste to znova.",
				clientzone.LangHU: "Az ügyfelet közben módosították; próbálja újra.",
				clientzone.LangRU: "Данные клиента были изменены одновременно; повторите попытку.",
			},
			"The invoice was changed concurrently; try again.": {
				clientzone.LangSK: "Faktúra bola medzitým zmenená; skúste to znova.",
				clientzone.LangHU: "A számlát közben módosították; próbálja újra.",
				clientzone.LangRU: "Счёт был изменён одновременно; повторите попытку.",
			},
			// Sent with the invoice number in place of %s.
			"Invoice number %s is already used by another invoice.": {
				clientzone.LangSK: "Číslo faktúry %s už používa iná faktúra.",
				clientzone.LangHU: "A(z) %s számlaszámot már egy másik számla használja.",
				clientzone.LangRU: "Номер счёта %s уже используется другим счётом.",
			},
			"Another invoice already uses this number.": {
				clientzone.LangSK: "Toto číslo už používa iná faktúra.",
				clientzone.LangHU: "Ezt a számot már egy másik számla használja.",
				clientzone.LangRU: "Этот номер уже используется другим счётом.",
			},
			"The currency of a customer with invoices or transactions cannot change.": {
				clientzone.LangSK: "Menu zákazníka s faktúrami alebo transakciami nemožno zmeniť.",
				clientzone.LangHU: "Számlákkal vagy tranzakciókkal rendelkező ügyfél pénzneme nem módosítható.",
				clientzone.LangRU: "Валюту клиента со счетами или транзакциями изменить нельзя.",
			},
			"The customer already has invoices or transactions in another currency.": {
				clientzone.LangSK: "Zákazník už má faktúry alebo transakcie v inej mene.",
				clientzone.LangHU: "Az ügyfélnek már vannak számlái vagy tranzakciói más pénznemben.",
				clientzone.LangRU: "У клиента уже есть счета или транзакции в другой валюте.",
			},
			"This invoice is already paid; a paid invoice cannot become unpaid or cancelled (issue a credit note).": {
				clientzone.LangSK: "Faktúra je už uhradená; uhradená faktúra nemôže byť neuhradená ani zrušená (vystavte dobropis).",
				clientzone.LangHU: "A számla már ki van fizetve; kifizetett számla nem lehet kifizetetlen vagy sztornózott (állítson ki jóváíró számlát).",
				clientzone.LangRU: "Счёт уже оплачен; оплаченный счёт нельзя сделать неоплаченным или отменить (выставьте кредит-ноту).",
			},
			"The invoice is already paid.": {
				clientzone.LangSK: "Faktúra je už uhradená.",
				clientzone.LangHU: "A számla már ki van fizetve.",
				clientzone.LangRU: "Счёт уже оплачен.",
			},
			"The total of a paid invoice cannot change.": {
				clientzone.LangSK: "Sumu uhradenej faktúry nemožno zmeniť.",
				clientzone.LangHU: "Kifizetett számla végösszege nem módosítható.",
				clientzone.LangRU: "Сумму оплаченного счёта изменить нельзя.",
			},
			"A cancelled invoice cannot be reopened.": {
				clientzone.LangSK: "Zrušenú faktúru nemožno znova otvoriť.",
				clientzone.LangHU: "Sztornózott számla nem nyitható meg újra.",
				clientzone.LangRU: "Отменённый счёт нельзя открыть снова.",
			},
			"The invoice is cancelled.": {
				clientzone.LangSK: "Faktúra je zrušená.",
				clientzone.LangHU: "A számla sztornózva van.",
				clientzone.LangRU: "Счёт отменён.",
			},
			"The currency must be the customer's currency.": {
				clientzone.LangSK: "Mena musí byť mena zákazníka.",
				clientzone.LangHU: "A pénznemnek meg kell egyeznie az ügyfél pénznemével.",
				clientzone.LangRU: "Валюта должна совпадать с валютой клиента.",
			},
			"The currency must be the invoice total's currency.": {
				clientzone.LangSK: "Mena musí byť mena celkovej sumy faktúry.",
				clientzone.LangHU: "A pénznemnek meg kell egyeznie a számla végösszegének pénznemével.",
				clientzone.LangRU: "Валюта должна совпадать с валютой итоговой суммы счёта.",
			},
			"The VAT cannot exceed the total.": {
				clientzone.LangSK: "DPH nemôže prevýšiť celkovú sumu.",
				clientzone.LangHU: "Az ÁFA nem haladhatja meg a végösszeget.",
				clientzone.LangRU: "НДС не может превышать итоговую сумму.",
			},
			"The due date cannot be before the issue date.": {
				clientzone.LangSK: "Dátum splatnosti nemôže byť pred dátumom vystavenia.",
				clientzone.LangHU: "A fizetési határidő nem lehet a kiállítás dátuma előtt.",
				clientzone.LangRU: "Срок оплаты не может быть раньше даты выставления.",
			},
			"The line total must be quantity × unit price.": {
				clientzone.LangSK: "Suma položky musí byť množstvo × jednotková cena.",
				clientzone.LangHU: "A tétel összegének mennyiség × egységár értékűnek kell lennie.",
				clientzone.LangRU: "Сумма позиции должна равняться количеству × цене за единицу.",
			},
			"Only a paid invoice has a payment time.": {
				clientzone.LangSK: "Čas úhrady má iba uhradená faktúra.",
				clientzone.LangHU: "Fizetési időpontja csak kifizetett számlának van.",
				clientzone.LangRU: "Время оплаты есть только у оплаченного счёта.",
			},
			"Overdue is derived from the due date; store the invoice as unpaid.": {
				clientzone.LangSK: "Stav po splatnosti sa odvodzuje z dátumu splatnosti; uložte faktúru ako neuhradenú.",
				clientzone.LangHU: "A lejárt állapot a fizetési határidőből adódik; a számlát kifizetetlenként tárolja.",
				clientzone.LangRU: "Просрочка определяется по сроку оплаты; сохраните счёт как неоплаченный.",
			},
			"The customer has no such contract.": {
				clientzone.LangSK: "Zákazník takúto zmluvu nemá.",
				clientzone.LangHU: "Az ügyfélnek nincs ilyen szerződése.",
				clientzone.LangRU: "У клиента нет такого договора.",
			},
		}
	})
}
