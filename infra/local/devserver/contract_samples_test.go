package devserver

// The events/ samples of the contract functions, replayed by events_test.go
// and budget_test.go on the demo data.

import (
	"context"
	"testing"
	"time"

	"github.com/clientzone/clientzone/infra/local/demo"
	"github.com/clientzone/clientzone/shared/clientzone"
)

// Samples of events/ for the contract functions: statuses other than 200,
// the checks of their answers, and state they need first.
var (
	contractSampleStatuses = map[string]int{"tariff-change": 202, "addon-add": 201, "termination-request": 201}
	contractSampleChecks   = map[string]func(t *testing.T, b map[string]any){
		"contracts-list": func(t *testing.T, b map[string]any) {
			items, _ := b["items"].([]any)
			if len(items) != 1 || items[0].(map[string]any)["number"] != "2024001" {
				t.Errorf("contracts-list body = %v", b)
				return
			}
			svc := items[0].(map[string]any)["services"].([]any)[0].(map[string]any)
			if svc["tariffName"] != "Optik 500/100" || svc["nextChargeDate"] == nil {
				t.Errorf("contracts-list service = %v", svc)
			}
		},
		"contract-get": func(t *testing.T, b map[string]any) {
			if b["id"] != demo.ContractSK || b["status"] != "active" || len(b["services"].([]any)) != 5 {
				t.Errorf("contract-get body = %v", b)
			}
		},
		"tariffs-list": func(t *testing.T, b map[string]any) {
			items, _ := b["items"].([]any)
			if len(items) < 5 {
				t.Errorf("tariffs-list body = %v", b)
			}
			for _, it := range items {
				if it.(map[string]any)["kind"] != "internet" {
					t.Errorf("tariffs-list ?kind=internet has %v", it)
				}
			}
		},
		"tariff-upsert": func(t *testing.T, b map[string]any) {
			if b["id"] != "optik-2000" || b["available"] != true || b["updatedAt"] == nil {
				t.Errorf("tariff-upsert body = %v", b)
			}
		},
		"tariff-change": func(t *testing.T, b map[string]any) { // 202 Accepted
			ch, _ := b["pendingTariffChange"].(map[string]any)
			if b["currentTariffId"] != "optik-500" || ch["tariffId"] != demo.TariffOptik1000 || ch["effectiveOn"] == "" {
				t.Errorf("tariff-change body = %v", b)
			}
		},
		"addon-add": func(t *testing.T, b map[string]any) { // 201 Created
			if b["tariffId"] != demo.TariffPublicIP || b["addon"] != true || b["status"] != "active" || b["id"] == "" {
				t.Errorf("addon-add body = %v", b)
			}
		},
		"addon-remove": func(t *testing.T, b map[string]any) {
			if b["removed"] != true || b["addonId"] != demo.AddonSK {
				t.Errorf("addon-remove body = %v", b)
			}
		},
		"suspension-start": func(t *testing.T, b map[string]any) {
			s, _ := b["suspension"].(map[string]any)
			fee, _ := s["dailyFee"].(map[string]any)
			if b["status"] != "suspended" || s["freeUntil"] == nil || fee["amount"] != float64(250) {
				t.Errorf("suspension-start body = %v", b)
			}
		},
		"suspension-end": func(t *testing.T, b map[string]any) {
			if b["status"] != "active" || b["suspension"] != nil {
				t.Errorf("suspension-end body = %v", b)
			}
		},
		"termination-request": func(t *testing.T, b map[string]any) { // 201 Created
			if b["status"] != "pending" || b["desiredEndOn"] != "2099-12-31" || b["contractId"] != demo.ContractSK {
				t.Errorf("termination-request body = %v", b)
			}
		},
		"contract-upsert": func(t *testing.T, b map[string]any) {
			svcs, _ := b["services"].([]any)
			if b["number"] != "2024002" || len(svcs) != 2 || svcs[0].(map[string]any)["tariffName"] != "Optik 300/50" {
				t.Errorf("contract-upsert body = %v", b)
			}
		},
	}
	samplePrepare = map[string]func(t *testing.T, st *Stack){
		"suspension-end":      func(t *testing.T, st *Stack) { ctSuspendDirectly(t, st, demo.CustomerSK, demo.ContractSK) },
		"termination-request": func(t *testing.T, st *Stack) { ctPayAll(t, st, demo.CustomerSK) },
	}
)

// ctSuspendDirectly stores contract ctid as suspended since 10 days ago.
func ctSuspendDirectly(t *testing.T, st *Stack, cid, ctid string) {
	t.Helper()
	ctx := context.Background()
	c, err := st.Deps.DB.Contract(ctx, cid, ctid)
	if err != nil {
		t.Fatal(err)
	}
	since := time.Now().UTC().AddDate(0, 0, -10).Format(time.DateOnly)
	c.Status, c.SuspendedOn = clientzone.StatusSuspended, since
	for i := range c.Services {
		c.Services[i].Status, c.Services[i].SuspendedOn = clientzone.StatusSuspended, since
	}
	if err := st.Deps.DB.PutContract(ctx, c, ""); err != nil {
		t.Fatal(err)
	}
}

// ctPayAll marks every unpaid invoice of cid paid.
func ctPayAll(t *testing.T, st *Stack, cid string) {
	t.Helper()
	ctx := context.Background()
	invs, err := st.Deps.DB.UnpaidInvoices(ctx, cid)
	if err != nil {
		t.Fatal(err)
	}
	for _, inv := range invs {
		inv.CustomerID = cid
		inv.Status = clientzone.InvoicePaid
		now := time.Now().UTC()
		inv.PaidAt = &now
		if err := st.Deps.DB.PutInvoice(ctx, inv); err != nil {
			t.Fatal(err)
		}
	}
}
