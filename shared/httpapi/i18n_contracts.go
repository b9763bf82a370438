package httpapi

import "github.com/clientzone/clientzone/shared/clientzone"

// Messages of contracts, tariffs, addons, suspension and termination
// (shared/contracts) and of contract writes in shared/dynamo.
func init() {
	addTranslations(func() map[string]translations {
		return map[string]translations{
			"Service not found.": {
				clientzone.LangSK: "Služba sa nenašla.",
				clientzone.LangHU: "A szolgáltatás nem található.",
				clientzone.LangRU: "Услуга не найдена.",
			},
			"Addon not found.": {
				clientzone.LangSK: "Doplnková služba sa nenašla.",
				clientzone.LangHU: "A kiegészítő szolgáltatás nem található.",
				clientzone.LangRU: "Дополнительная услуга не найдена.",
			},
			"Customer not found.": {
				clientzone.LangSK: "Zákazník sa nenašiel.",
				clientzone.LangHU: "Az ügyfél nem található.",
				clientzone.LangRU: "Клиент не найден.",
			},
			"This contract is not active.": {
				clientzone.LangSK: "Táto zmluva nie je aktívna.",
				clientzone.LangHU: "Ez a szerződés nem aktív.",
				clientzone.LangRU: "Этот договор не активен.",
			},
			"This contract is already suspended.": {
				clientzone.LangSK: "Táto zmluva je už pozastavená.",
				clientzone.LangHU: "Ez a szerződés már szüneteltetve van.",
				clientzone.LangRU: "Этот договор уже приостановлен.",
			},
			"This contract is not suspended.": {
				clientzone.LangSK: "Táto zmluva nie je pozastavená.",
				clientzone.LangHU: "Ez a szerződés nincs szüneteltetve.",
				clientzone.LangRU: "Этот договор не приостановлен.",
			},
			"This contract is terminated.": {
				clientzone.LangSK: "Táto zmluva je ukončená.",
				clientzone.LangHU: "Ez a szerződés megszűnt.",
				clientzone.LangRU: "Этот договор расторгнут.",
			},
			"Only an active service can change its tariff.": {
				clientzone.LangSK: "Taríf možno zmeniť iba aktívnej službe.",
				clientzone.LangHU: "Csak aktív szolgáltatás díjcsomagja módosítható.",
				clientzone.LangRU: "Тариф можно сменить только у активной услуги.",
			},
			"An extra service cannot change its tariff; remove it and add another one.": {
				clientzone.LangSK: "Doplnkovej službe nemožno zmeniť tarif; zrušte ju a pridajte inú.",
				clientzone.LangHU: "Kiegészítő szolgáltatás díjcsomagja nem módosítható; mondja le, és adjon hozzá másikat.",
				clientzone.LangRU: "У дополнительной услуги нельзя сменить тариф; удалите её и добавьте другую.",
			},
			"Only extra services can be removed; ask for a termination of the contract instead.": {
				clientzone.LangSK: "Zrušiť možno iba doplnkové služby; inak požiadajte o ukončenie zmluvy.",
				clientzone.LangHU: "Csak kiegészítő szolgáltatás mondható le; egyébként kérje a szerződés megszüntetését.",
				clientzone.LangRU: "Удалить можно только дополнительные услуги; иначе подайте заявку на расторжение договора.",
			},
			"A termination request for this contract is already pending.": {
				clientzone.LangSK: "Žiadosť o ukončenie tejto zmluvy sa už vybavuje.",
				clientzone.LangHU: "A szerződés megszüntetésére vonatkozó kérelem már folyamatban van.",
				clientzone.LangRU: "Заявка на расторжение этого договора уже рассматривается.",
			},
			"There is no such tariff.": {
				clientzone.LangSK: "Taký tarif neexistuje.",
				clientzone.LangHU: "Nincs ilyen díjcsomag.",
				clientzone.LangRU: "Такого тарифа нет.",
			},
			"An extra service is not a tariff; add it as an addon.": {
				clientzone.LangSK: "Doplnková služba nie je tarif; pridajte ju ako doplnok.",
				clientzone.LangHU: "A kiegészítő szolgáltatás nem díjcsomag; adja hozzá kiegészítőként.",
				clientzone.LangRU: "Дополнительная услуга — не тариф; добавьте её как дополнение.",
			},
			"The tariff is for another kind of service.": {
				clientzone.LangSK: "Tarif je určený pre iný druh služby.",
				clientzone.LangHU: "A díjcsomag másfajta szolgáltatáshoz tartozik.",
				clientzone.LangRU: "Тариф предназначен для другого вида услуги.",
			},
			"This tariff can no longer be ordered.": {
				clientzone.LangSK: "Tento tarif si už nemožno objednať.",
				clientzone.LangHU: "Ez a díjcsomag már nem rendelhető.",
				clientzone.LangRU: "Этот тариф больше нельзя заказать.",
			},
			"The service already has this tariff.": {
				clientzone.LangSK: "Služba už tento tarif má.",
				clientzone.LangHU: "A szolgáltatásnak már ez a díjcsomagja.",
				clientzone.LangRU: "У услуги уже этот тариф.",
			},
			"Only extra services can be added; change the tariff of a service instead.": {
				clientzone.LangSK: "Pridať možno iba doplnkové služby; inak zmeňte tarif služby.",
				clientzone.LangHU: "Csak kiegészítő szolgáltatás adható hozzá; egyébként módosítsa a szolgáltatás díjcsomagját.",
				clientzone.LangRU: "Добавить можно только дополнительные услуги; иначе смените тариф услуги.",
			},
			"Give a date as YYYY-MM-DD.": {
				clientzone.LangSK: "Zadajte dátum v tvare RRRR-MM-DD.",
				clientzone.LangHU: "Adja meg a dátumot ÉÉÉÉ-HH-NN formában.",
				clientzone.LangRU: "Укажите дату в формате ГГГГ-ММ-ДД.",
			},
			"The end date cannot be in the past.": {
				clientzone.LangSK: "Dátum ukončenia nemôže byť v minulosti.",
				clientzone.LangHU: "A megszűnés dátuma nem lehet a múltban.",
				clientzone.LangRU: "Дата окончания не может быть в прошлом.",
			},
			"Unknown service kind.": {
				clientzone.LangSK: "Neznámy druh služby.",
				clientzone.LangHU: "Ismeretlen szolgáltatásfajta.",
				clientzone.LangRU: "Неизвестный вид услуги.",
			},
			"Two services have the same id.": {
				clientzone.LangSK: "Dve služby majú rovnaký identifikátor.",
				clientzone.LangHU: "Két szolgáltatásnak azonos az azonosítója.",
				clientzone.LangRU: "У двух услуг одинаковый идентификатор.",
			},
			"A suspended service needs the date its suspension started.": {
				clientzone.LangSK: "Pozastavená služba potrebuje dátum začiatku pozastavenia.",
				clientzone.LangHU: "A szüneteltetett szolgáltatáshoz meg kell adni a szüneteltetés kezdőnapját.",
				clientzone.LangRU: "Для приостановленной услуги нужна дата начала приостановки.",
			},
			"Only a suspended service has a suspension date.": {
				clientzone.LangSK: "Dátum pozastavenia má iba pozastavená služba.",
				clientzone.LangHU: "Szüneteltetési dátuma csak szüneteltetett szolgáltatásnak lehet.",
				clientzone.LangRU: "Дата приостановки бывает только у приостановленной услуги.",
			},
			"You owe %s (%d unpaid invoices or a negative prepaid balance); pay it before asking for termination.": {
				clientzone.LangSK: "Dlžíte %s (neuhradené faktúry: %d, alebo záporný kredit); pred žiadosťou o ukončenie ho uhraďte.",
				clientzone.LangHU: "Tartozása %s (kifizetetlen számlák: %d, vagy negatív egyenleg); a megszüntetés kérése előtt rendezze.",
				clientzone.LangRU: "Ваша задолженность %s (неоплаченных счетов: %d, или отрицательный баланс); погасите её перед заявкой на расторжение.",
			},
			"The data was changed concurrently; try again.": {
				clientzone.LangSK: "Údaje sa medzitým zmenili; skúste to znova.",
				clientzone.LangHU: "Az adatok időközben megváltoztak; próbálja újra.",
				clientzone.LangRU: "Данные были изменены одновременно; попробуйте ещё раз.",
			},
			"A contract can have at most %d services.": {
				clientzone.LangSK: "Zmluva môže mať najviac %d služieb.",
				clientzone.LangHU: "Egy szerződéshez legfeljebb %d szolgáltatás tartozhat.",
				clientzone.LangRU: "В договоре может быть не более %d услуг.",
			},
			"This contract was suspended by the provider; contact customer care to have the block lifted.": {
				clientzone.LangSK: "Túto zmluvu pozastavil poskytovateľ; o zrušenie blokovania požiadajte zákaznícku podporu.",
				clientzone.LangHU: "Ezt a szerződést a szolgáltató függesztette fel; a korlátozás feloldásához forduljon az ügyfélszolgálathoz.",
				clientzone.LangRU: "Этот договор приостановлен провайдером; чтобы снять блокировку, обратитесь в службу поддержки.",
			},
			"This contract was changed meanwhile; reload it and try again.": {
				clientzone.LangSK: "Zmluva sa medzitým zmenila; načítajte ju znova a skúste to ešte raz.",
				clientzone.LangHU: "A szerződés időközben megváltozott; töltse be újra, és próbálja meg ismét.",
				clientzone.LangRU: "Договор тем временем изменился; обновите его и попробуйте ещё раз.",
			},
			"A service of this contract was changed meanwhile; reload it and try again.": {
				clientzone.LangSK: "Služba tejto zmluvy sa medzitým zmenila; načítajte zmluvu znova a skúste to ešte raz.",
				clientzone.LangHU: "A szerződés egyik szolgáltatása időközben megváltozott; töltse be újra, és próbálja meg ismét.",
				clientzone.LangRU: "Услуга этого договора тем временем изменилась; обновите договор и попробуйте ещё раз.",
			},
			"This contract has no pending termination request.": {
				clientzone.LangSK: "K tejto zmluve nie je žiadna čakajúca žiadosť o ukončenie.",
				clientzone.LangHU: "Ehhez a szerződéshez nincs függőben lévő felmondási kérelem.",
				clientzone.LangRU: "По этому договору нет ожидающей заявки на расторжение.",
			},
			"The tariff has another billing period than the service; ask customer care to change it.": {
				clientzone.LangSK: "Tarifa má iné zúčtovacie obdobie ako služba; o zmenu požiadajte zákaznícku podporu.",
				clientzone.LangHU: "A díjcsomag elszámolási időszaka eltér a szolgáltatásétól; a váltást kérje az ügyfélszolgálattól.",
				clientzone.LangRU: "У тарифа другой расчётный период, чем у услуги; для смены обратитесь в службу поддержки.",
			},
			"The contract has no service this extra service is for.": {
				clientzone.LangSK: "Zmluva nemá službu, ku ktorej táto doplnková služba patrí.",
				clientzone.LangHU: "A szerződésben nincs olyan szolgáltatás, amelyhez ez a kiegészítő szolgáltatás tartozik.",
				clientzone.LangRU: "В договоре нет услуги, к которой относится эта дополнительная услуга.",
			},
			"Prices must be in the customer's currency.": {
				clientzone.LangSK: "Ceny musia byť v mene zákazníka.",
				clientzone.LangHU: "Az áraknak az ügyfél pénznemében kell lenniük.",
				clientzone.LangRU: "Цены должны быть в валюте клиента.",
			},
			"Only a suspended service has a suspension kind.": {
				clientzone.LangSK: "Druh pozastavenia má iba pozastavená služba.",
				clientzone.LangHU: "Felfüggesztés típusa csak felfüggesztett szolgáltatásnak lehet.",
				clientzone.LangRU: "Вид приостановки бывает только у приостановленной услуги.",
			},
			"Only a suspended contract has a suspension kind.": {
				clientzone.LangSK: "Druh pozastavenia má iba pozastavená zmluva.",
				clientzone.LangHU: "Felfüggesztés típusa csak felfüggesztett szerződésnek lehet.",
				clientzone.LangRU: "Вид приостановки бывает только у приостановленного договора.",
			},
			"Give the pending change as {\"tariffId\", \"effectiveOn\"} or null.": {
				clientzone.LangSK: "Zadajte čakajúcu zmenu ako {\"tariffId\", \"effectiveOn\"} alebo null.",
				clientzone.LangHU: "A függő változást {\"tariffId\", \"effectiveOn\"} formában vagy null értékként adja meg.",
				clientzone.LangRU: "Укажите ожидающее изменение как {\"tariffId\", \"effectiveOn\"} или null.",
			},
		}
	})
}
