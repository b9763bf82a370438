package clientzone

import (
	"testing"
	"time"
)

func TestEffectiveService(t *testing.T) {
	s := Service{ID: "S", TariffID: "old", Price: Money{Amount: 100, Currency: "EUR"},
		PendingTariffChange: &TariffChange{TariffID: "new", Price: Money{Amount: 200, Currency: "EUR"}, EffectiveOn: "2026-12-01"}}
	before := EffectiveService(s, time.Date(2026, 11, 30, 23, 59, 0, 0, time.UTC))
	if before.TariffID != "old" || before.PendingTariffChange == nil {
		t.Errorf("before = %+v", before)
	}
	on := EffectiveService(s, time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
	if on.TariffID != "new" || on.Price.Amount != 200 || on.PendingTariffChange != nil {
		t.Errorf("on = %+v", on)
	}
	if s.TariffID != "old" || s.PendingTariffChange == nil {
		t.Errorf("the stored service changed: %+v", s)
	}
}
