package httpapi

import "github.com/clientzone/clientzone/shared/clientzone"

// Messages of the back office's status change of authorized messages.
func init() {
	addTranslations(func() map[string]translations {
		return map[string]translations{
			"This message is closed and cannot change any more.": {
				clientzone.LangSK: "Táto správa je uzavretá a už sa nedá zmeniť.",
				clientzone.LangHU: "Ez az üzenet le van zárva, és már nem módosítható.",
				clientzone.LangRU: "Это сообщение закрыто и больше не может быть изменено.",
			},
		}
	})
}
