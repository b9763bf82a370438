package demo

import (
	"context"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo"
	"github.com/clientzone/clientzone/shared/support"
)

// Fixed identifiers of the demo messages and tickets.
const (
	MessageSK      = "01JDEM0SK000000000000MSG01" // billing question of the SK admin
	MessageSKBills = "01JDEM0SK000000000000MSG02" // sent by Eva (regular person)
	MessageHU      = "01JDEM0HQ000000000000MSG01"
	TicketSK       = "01JDEM0SK000000000000TKT01" // awaiting the customer, with a staff reply
	TicketSKClosed = "01JDEM0SK000000000000TKT02" // closed
	TicketHU       = "01JDEM0HQ000000000000TKT01"
	PromotionSK    = "fiber-upgrade" // Bratislava internet customers
)

// SeedSupport stores demo authorized messages, tickets with replies and
// promotions. It writes no outbox entries: the dev mailbox starts empty.
func SeedSupport(ctx context.Context, db *dynamo.DB, now time.Time) error {
	now = now.UTC()
	msgs := []*clientzone.AuthorizedMessage{
		{ID: MessageSK, CustomerID: CustomerSK, PersonID: PersonAdmin, ContractID: ContractSK, Type: clientzone.MessageBilling,
			Subject: "Dvojitá platba za október", Body: "Dobrý deň, októbrovú faktúru sme omylom zaplatili dvakrát. Prosím o vrátenie preplatku.",
			Status: clientzone.MessageInProgress, CreatedAt: now.AddDate(0, 0, -5), UpdatedAt: now.AddDate(0, 0, -4)},
		{ID: MessageSKBills, CustomerID: CustomerSK, PersonID: PersonBills, Type: clientzone.MessageOther,
			Subject: "Faktúry e-mailom", Body: "Prosím posielať faktúry aj na adresu uctovnictvo@example.sk.",
			Status: clientzone.MessageReceived, CreatedAt: now.AddDate(0, 0, -2), UpdatedAt: now.AddDate(0, 0, -2)},
		{ID: MessageHU, CustomerID: CustomerHU, PersonID: PersonHU, ContractID: ContractHU, Type: clientzone.MessageContractChange,
			Subject: "Sávszélesség bővítése", Body: "Szeretnénk 1 Gbit/s-ra bővíteni a kapcsolatot.",
			Status: clientzone.MessageReceived, CreatedAt: now.AddDate(0, 0, -1), UpdatedAt: now.AddDate(0, 0, -1)},
	}
	for _, m := range msgs {
		if err := db.CreateMessage(ctx, m); err != nil {
			return err
		}
	}

	tickets := []*clientzone.Ticket{
		{ID: TicketSK, CustomerID: CustomerSK, AuthorID: PersonAdmin, ContractID: ContractSK, Category: clientzone.TicketTechnical,
			Subject: "Pomalý internet večer", Body: "Od pondelka je rýchlosť večer okolo 5 Mbit/s namiesto 300.",
			Status: clientzone.TicketOpen, CreatedAt: now.AddDate(0, 0, -3), UpdatedAt: now.AddDate(0, 0, -3)},
		{ID: TicketSKClosed, CustomerID: CustomerSK, AuthorID: PersonAdmin, Category: clientzone.TicketAccount,
			Subject: "Zmena e-mailovej adresy", Body: "Prosím o zmenu kontaktného e-mailu.",
			Status: clientzone.TicketOpen, CreatedAt: now.AddDate(0, -1, 0), UpdatedAt: now.AddDate(0, -1, 0)},
		{ID: TicketHU, CustomerID: CustomerHU, AuthorID: PersonHU, ContractID: ContractHU, Category: clientzone.TicketBilling,
			Subject: "Számla másolat", Body: "Kérjük, küldjék el a szeptemberi számla másolatát.",
			Status: clientzone.TicketOpen, CreatedAt: now.AddDate(0, 0, -2), UpdatedAt: now.AddDate(0, 0, -2)},
	}
	for _, t := range tickets {
		if err := db.CreateTicket(ctx, t); err != nil {
			return err
		}
	}
	answered := now.AddDate(0, 0, -2)
	if err := db.AddTicketReply(ctx, support.TicketChange{
		CustomerID: CustomerSK, Status: clientzone.TicketAwaitingCustomer, From: []string{clientzone.TicketOpen}, At: answered,
		Reply: &clientzone.TicketReply{ID: id(answered, "ticket-reply-1"), TicketID: TicketSK, By: clientzone.ReplyByStaff, StaffName: "Mária (podpora)",
			Body: "Dobrý deň, na vašej linke sme vymenili port. Reštartujte prosím router a dajte nám vedieť, či je rýchlosť v poriadku.", CreatedAt: answered},
	}); err != nil {
		return err
	}
	replied := now.AddDate(0, -1, 1)
	if err := db.AddTicketReply(ctx, support.TicketChange{
		CustomerID: CustomerSK, Status: clientzone.TicketAwaitingCustomer, From: []string{clientzone.TicketOpen}, At: replied,
		Reply: &clientzone.TicketReply{ID: id(replied, "ticket-reply-2"), TicketID: TicketSKClosed, By: clientzone.ReplyByStaff,
			Body: "E-mail sme zmenili na jan.novak@example.sk.", CreatedAt: replied},
	}); err != nil {
		return err
	}
	if err := db.CloseTicket(ctx, CustomerSK, TicketSKClosed, replied.Add(time.Hour)); err != nil {
		return err
	}

	day := 24 * time.Hour
	promos := []*clientzone.Promotion{
		{ID: PromotionSK, URL: "https://www.example.sk/optika",
			Title: map[clientzone.Language]string{clientzone.LangEN: "Fibre 1 Gbit/s for the price of 300 Mbit/s",
				clientzone.LangSK: "Optika 1 Gbit/s za cenu 300 Mbit/s", clientzone.LangHU: "1 Gbit/s optika 300 Mbit/s áráért"},
			Description: map[clientzone.Language]string{clientzone.LangEN: "Upgrade your internet for free for 6 months.",
				clientzone.LangSK: "Zrýchlite si internet na 6 mesiacov zadarmo."},
			ValidFrom: now.Add(-10 * day), ValidTo: now.Add(30 * day), ServiceKinds: []string{clientzone.ServiceInternet}, Regions: []string{"Bratislava"}},
		{ID: "hosting-ssl",
			Title:       map[clientzone.Language]string{clientzone.LangEN: "Free SSL certificate with every hosting", clientzone.LangSK: "SSL certifikát zadarmo ku každému hostingu"},
			Description: map[clientzone.Language]string{clientzone.LangEN: "Order by the end of the month."},
			ValidFrom:   now.Add(-day), ValidTo: now.Add(20 * day), ServiceKinds: []string{clientzone.ServiceHosting}},
		{ID: "budapest-tv",
			Title:     map[clientzone.Language]string{clientzone.LangEN: "TV package for Budapest", clientzone.LangHU: "TV-csomag budapesti ügyfeleknek"},
			ValidFrom: now.Add(-day), ValidTo: now.Add(60 * day), Regions: []string{"Budapest"}},
		{ID: "summer-2026",
			Title:     map[clientzone.Language]string{clientzone.LangEN: "Summer discount (ended)"},
			ValidFrom: now.Add(-120 * day), ValidTo: now.Add(-30 * day)},
	}
	for _, p := range promos {
		p.UpdatedAt = now
		if err := db.PutPromotion(ctx, p); err != nil {
			return err
		}
	}
	return nil
}
