package devserver

// The events/ samples of messages, tickets, promotions and the status
// back office, replayed by events_test.go on the demo data.

import (
	"fmt"
	"strings"
	"testing"

	"github.com/clientzone/clientzone/infra/local/demo"
)

// supportSampleChecks are the TestEventsReplay expectations of the
// events/ samples of messages, tickets, promotions and the status back
// office.
var supportSampleChecks = map[string]func(t *testing.T, b map[string]any){
	"messages-list": func(t *testing.T, b map[string]any) {
		items, _ := b["items"].([]any)
		if len(items) != 2 { // the admin sees the customer's two demo messages, not the HU one
			t.Errorf("messages-list body = %v", b)
		}
	},
	"message-create": func(t *testing.T, b map[string]any) {
		if b["type"] != "technical" || b["status"] != "received" || b["contractId"] != demo.ContractSK || b["id"] == "" {
			t.Errorf("message-create body = %v", b)
		}
	},
	"message-get": func(t *testing.T, b map[string]any) {
		if b["id"] != demo.MessageSK || b["type"] != "billing" || b["status"] != "in_progress" {
			t.Errorf("message-get body = %v", b)
		}
	},
	"ticket-create": func(t *testing.T, b map[string]any) {
		if b["status"] != "open" || b["category"] != "technical" || b["authorId"] != demo.PersonAdmin {
			t.Errorf("ticket-create body = %v", b)
		}
	},
	"tickets-list": func(t *testing.T, b map[string]any) { // status=open
		items, _ := b["items"].([]any)
		if len(items) != 1 || items[0].(map[string]any)["id"] != demo.TicketSK {
			t.Errorf("tickets-list body = %v", b)
		}
	},
	"ticket-get": func(t *testing.T, b map[string]any) {
		replies, _ := b["replies"].([]any)
		if b["status"] != "awaiting_customer" || len(replies) != 1 || replies[0].(map[string]any)["by"] != "staff" {
			t.Errorf("ticket-get body = %v", b)
		}
	},
	"ticket-reply": func(t *testing.T, b map[string]any) {
		replies, _ := b["replies"].([]any)
		if b["status"] != "open" || len(replies) != 2 || replies[1].(map[string]any)["by"] != "customer" {
			t.Errorf("ticket-reply body = %v", b)
		}
	},
	"ticket-close": func(t *testing.T, b map[string]any) {
		if b["status"] != "closed" || b["closedAt"] == nil {
			t.Errorf("ticket-close body = %v", b)
		}
	},
	"ticket-attachment-upload": func(t *testing.T, b map[string]any) {
		a, _ := b["attachment"].(map[string]any)
		u, _ := b["uploadUrl"].(string)
		if a["contentType"] != "image/png" || a["size"] != float64(48213) || !strings.Contains(u, "X-Amz-Signature=") ||
			!strings.Contains(u, "/attachments/"+demo.CustomerSK+"/"+demo.TicketSK+"/") || b["method"] != "PUT" {
			t.Errorf("ticket-attachment-upload body = %v", b)
		}
	},
	"ticket-staff-reply": func(t *testing.T, b map[string]any) {
		replies, _ := b["replies"].([]any)
		if b["status"] != "closed" || len(replies) != 2 || replies[1].(map[string]any)["staffName"] != "Mária (support)" {
			t.Errorf("ticket-staff-reply body = %v", b)
		}
	},
	"status-component-upsert": func(t *testing.T, b map[string]any) {
		if b["id"] != "mail" || b["status"] != "operational" || b["updatedAt"] == nil {
			t.Errorf("status-component-upsert body = %v", b)
		}
	},
	"status-incident-upsert": func(t *testing.T, b map[string]any) {
		if b["status"] != "scheduled" || b["resolvedAt"] != nil || fmt.Sprint(b["components"]) != "[dc-ba1]" {
			t.Errorf("status-incident-upsert body = %v", b)
		}
	},
	"promotions-list": func(t *testing.T, b map[string]any) {
		items, _ := b["items"].([]any)
		docs, _ := b["documentation"].([]any)
		if b["language"] != "sk" || len(items) != 2 || len(docs) == 0 {
			t.Errorf("promotions-list body = %v", b)
		}
	},
	"promotion-upsert": func(t *testing.T, b map[string]any) {
		if b["id"] != "black-friday" || fmt.Sprint(b["serviceKinds"]) != "[hosting]" {
			t.Errorf("promotion-upsert body = %v", b)
		}
	},
}

// messageStatusSampleCheck is the TestEventsReplay expectation of
// events/message-status-update.json (the demo billing message answered).
func messageStatusSampleCheck(t *testing.T, b map[string]any) {
	if b["id"] != demo.MessageSK || b["status"] != "answered" || b["answeredBy"] != "Zuzana (billing)" ||
		!strings.Contains(fmt.Sprint(b["answer"]), "refunded") || b["answeredAt"] == nil {
		t.Errorf("message-status-update body = %v", b)
	}
}
