package support

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
)

type fakePromotions struct {
	promos    []*clientzone.Promotion
	customer  clientzone.Customer
	contracts []*clientzone.Contract
	put       *clientzone.Promotion
}

func (f *fakePromotions) Promotions(context.Context) ([]*clientzone.Promotion, error) {
	return f.promos, nil
}
func (f *fakePromotions) PutPromotion(_ context.Context, p *clientzone.Promotion) error {
	f.put = p
	return nil
}
func (f *fakePromotions) Customer(context.Context, string) (*clientzone.Customer, error) {
	return &f.customer, nil
}
func (f *fakePromotions) Contracts(context.Context, string) ([]*clientzone.Contract, error) {
	return f.contracts, nil
}

func TestActivePromotionsTargetingAndLanguage(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	en := func(s string) map[clientzone.Language]string {
		return map[clientzone.Language]string{clientzone.LangEN: s}
	}
	store := &fakePromotions{
		customer: clientzone.Customer{ID: "C", Region: "Košice"},
		contracts: []*clientzone.Contract{{Services: []clientzone.Service{
			{Kind: clientzone.ServiceInternet, Status: clientzone.StatusActive},
			{Kind: clientzone.ServiceTV, Status: clientzone.StatusTerminated}, // ended: does not count
		}}},
		promos: []*clientzone.Promotion{
			{ID: "all", Title: map[clientzone.Language]string{clientzone.LangEN: "All", clientzone.LangHU: "Mind"}, ValidFrom: now.Add(-time.Hour), ValidTo: now.Add(48 * time.Hour)},
			{ID: "region", Title: en("Region"), Regions: []string{"košice"}, ValidFrom: now, ValidTo: now.Add(24 * time.Hour)},
			{ID: "other-region", Title: en("Other"), Regions: []string{"Bratislava"}, ValidFrom: now.Add(-time.Hour), ValidTo: now.Add(time.Hour)},
			{ID: "internet", Title: en("Net"), ServiceKinds: []string{"internet", "hosting"}, ValidFrom: now.Add(-time.Hour), ValidTo: now.Add(72 * time.Hour)},
			{ID: "tv", Title: en("TV"), ServiceKinds: []string{"tv"}, ValidFrom: now.Add(-time.Hour), ValidTo: now.Add(time.Hour)},
			{ID: "future", Title: en("Later"), ValidFrom: now.Add(time.Minute), ValidTo: now.Add(time.Hour)},
			{ID: "past", Title: en("Gone"), ValidFrom: now.Add(-48 * time.Hour), ValidTo: now.Add(-time.Second)},
		},
	}
	s := &Promotions{Store: store, Clock: clientzone.FixedClock(now), Docs: DefaultDocs}
	l, err := s.Active(context.Background(), &clientzone.Person{CustomerID: "C", Language: clientzone.LangHU}, "")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range l.Items {
		ids = append(ids, p.ID+"="+p.Title)
	}
	if fmt.Sprint(ids) != "[region=Region all=Mind internet=Net]" || l.Language != clientzone.LangHU {
		t.Errorf("active = %v (%s)", ids, l.Language)
	}
	if l.Documentation[1].URL != "https://docs.example.com/en/email" || l.Documentation[1].Title != "Levelezőprogram beállítása" {
		t.Errorf("documentation %+v", l.Documentation[1])
	}
}

func TestPutPromotionValidates(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	store := &fakePromotions{}
	s := &Promotions{Store: store, Clock: clientzone.FixedClock(now)}
	_, err := s.Put(context.Background(), &clientzone.Promotion{ID: "x", Title: map[clientzone.Language]string{"de": "X"}, ValidFrom: now, ValidTo: now})
	var fields []string
	var e *clientzone.Error
	if errors.As(err, &e) {
		for _, f := range e.Fields {
			fields = append(fields, f.Field)
		}
	}
	if fmt.Sprint(fields) != "[title.de title.en validTo]" || store.put != nil {
		t.Errorf("fields = %v (err %v), stored %v", fields, err, store.put)
	}
	p, err := s.Put(context.Background(), &clientzone.Promotion{ID: "x", Title: map[clientzone.Language]string{"en": "X"}, ValidFrom: now, ValidTo: now.Add(time.Hour)})
	if err != nil || store.put != p || !p.UpdatedAt.Equal(now) {
		t.Errorf("put = %+v, %v", p, err)
	}
}

func TestCleanName(t *testing.T) {
	for in, want := range map[string]string{"../../etc/passwd": "passwd", "a\\b.pdf": "a_b.pdf", " scan 1.png ": "scan 1.png", "": "attachment", "/": "attachment", "x\ny.txt": "x_y.txt"} {
		if got := cleanName(in); got != want {
			t.Errorf("cleanName(%q) = %q, want %q", in, got, want)
		}
	}
}
