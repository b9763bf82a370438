package support

import (
	"context"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// PromotionStore keeps promotions and reads what targeting needs;
// shared/dynamo implements it.
type PromotionStore interface {
	Promotions(ctx context.Context) ([]*clientzone.Promotion, error)
	PutPromotion(ctx context.Context, p *clientzone.Promotion) error
	Customer(ctx context.Context, cid string) (*clientzone.Customer, error)
	Contracts(ctx context.Context, cid string) ([]*clientzone.Contract, error)
}

// Promotions implements the promotions list and its back-office upkeep.
type Promotions struct {
	Store PromotionStore
	Clock clientzone.Clock
	// Docs are the documentation links shown with the promotions.
	Docs []clientzone.DocLink
}

// PromotionView is a promotion in one language.
type PromotionView struct {
	ID           string    `json:"id"`
	Title        string    `json:"title"`
	Description  string    `json:"description"`
	URL          string    `json:"url,omitempty"`
	ValidFrom    time.Time `json:"validFrom"`
	ValidTo      time.Time `json:"validTo"`
	ServiceKinds []string  `json:"serviceKinds,omitempty"`
}

// DocLinkView is a documentation link in one language.
type DocLinkView struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	URL   string `json:"url"`
}

// PromotionList is what the client zone shows.
type PromotionList struct {
	Language      clientzone.Language `json:"language"`
	Items         []PromotionView     `json:"items"`
	Documentation []DocLinkView       `json:"documentation"`
}

// Active returns the promotions valid now that target person p's customer
// (its region, the kinds of its services), ending soonest first, in lang
// (English where a text is missing), with the documentation links.
func (s *Promotions) Active(ctx context.Context, p *clientzone.Person, lang clientzone.Language) (*PromotionList, error) {
	if lang == "" {
		lang = p.Language
	}
	all, err := s.Store.Promotions(ctx)
	if err != nil {
		return nil, err
	}
	c, err := s.Store.Customer(ctx, p.CustomerID)
	if err != nil {
		return nil, err
	}
	var kinds []string
	loadKinds := func() error {
		if kinds != nil {
			return nil
		}
		contracts, err := s.Store.Contracts(ctx, p.CustomerID)
		if err != nil {
			return err
		}
		kinds = []string{}
		for _, ct := range contracts {
			for _, sv := range ct.Services {
				if sv.Status != clientzone.StatusTerminated {
					kinds = append(kinds, sv.Kind)
				}
			}
		}
		return nil
	}
	now := s.Clock.Now()
	out := &PromotionList{Language: lang, Items: []PromotionView{}, Documentation: []DocLinkView{}}
	for _, pr := range all {
		if now.Before(pr.ValidFrom) || now.After(pr.ValidTo) {
			continue
		}
		if len(pr.Regions) > 0 && !slices.ContainsFunc(pr.Regions, func(r string) bool { return strings.EqualFold(r, c.Region) }) {
			continue
		}
		if len(pr.ServiceKinds) > 0 {
			if err := loadKinds(); err != nil {
				return nil, err
			}
			if !slices.ContainsFunc(pr.ServiceKinds, func(k string) bool { return slices.Contains(kinds, k) }) {
				continue
			}
		}
		out.Items = append(out.Items, PromotionView{ID: pr.ID, Title: pick(pr.Title, lang), Description: pick(pr.Description, lang),
			URL: pr.URL, ValidFrom: pr.ValidFrom, ValidTo: pr.ValidTo, ServiceKinds: pr.ServiceKinds})
	}
	sort.SliceStable(out.Items, func(i, j int) bool { return out.Items[i].ValidTo.Before(out.Items[j].ValidTo) })
	for _, d := range s.Docs {
		out.Documentation = append(out.Documentation, DocLinkView{ID: d.ID, Title: pick(d.Title, lang), URL: pick(d.URL, lang)})
	}
	return out, nil
}

// Put creates or replaces a promotion (back office). validTo must follow
// validFrom and an English title is required (the fallback).
func (s *Promotions) Put(ctx context.Context, p *clientzone.Promotion) (*clientzone.Promotion, error) {
	var fields []clientzone.FieldError
	if !p.ValidTo.After(p.ValidFrom) {
		fields = append(fields, clientzone.FieldError{Field: "validTo", Code: "gtfield", Message: "This must be after validFrom.", Param: "validFrom"})
	}
	if strings.TrimSpace(p.Title[clientzone.LangEN]) == "" {
		fields = append(fields, clientzone.FieldError{Field: "title.en", Code: "required", Message: "This field is required."})
	}
	for l := range p.Title {
		if !slices.Contains(clientzone.Languages, l) {
			fields = append(fields, clientzone.FieldError{Field: "title." + string(l), Code: "oneof", Message: "This language is not supported.", Param: "en sk hu ru"})
		}
	}
	for l := range p.Description {
		if !slices.Contains(clientzone.Languages, l) {
			fields = append(fields, clientzone.FieldError{Field: "description." + string(l), Code: "oneof", Message: "This language is not supported.", Param: "en sk hu ru"})
		}
	}
	if len(fields) > 0 {
		sort.Slice(fields, func(i, j int) bool { return fields[i].Field < fields[j].Field })
		return nil, &clientzone.Error{Code: clientzone.EINVALID, Message: "Some fields are invalid.", Fields: fields}
	}
	p.ValidFrom, p.ValidTo, p.UpdatedAt = p.ValidFrom.UTC(), p.ValidTo.UTC(), s.Clock.Now().UTC()
	if err := s.Store.PutPromotion(ctx, p); err != nil {
		return nil, err
	}
	return p, nil
}

// DefaultDocs are the documentation links used when none are configured.
var DefaultDocs = []clientzone.DocLink{
	{ID: "router-setup",
		Title: map[clientzone.Language]string{clientzone.LangEN: "Setting up your router", clientzone.LangSK: "Nastavenie routera",
			clientzone.LangHU: "A router beállítása", clientzone.LangRU: "Настройка роутера"},
		URL: map[clientzone.Language]string{clientzone.LangEN: "https://docs.example.com/en/router", clientzone.LangSK: "https://docs.example.com/sk/router",
			clientzone.LangHU: "https://docs.example.com/hu/router"}},
	{ID: "email-clients",
		Title: map[clientzone.Language]string{clientzone.LangEN: "E-mail client settings", clientzone.LangSK: "Nastavenie e-mailového klienta",
			clientzone.LangHU: "Levelezőprogram beállítása", clientzone.LangRU: "Настройка почтового клиента"},
		URL: map[clientzone.Language]string{clientzone.LangEN: "https://docs.example.com/en/email", clientzone.LangSK: "https://docs.example.com/sk/email"}},
	{ID: "price-list",
		Title: map[clientzone.Language]string{clientzone.LangEN: "Price list and terms", clientzone.LangSK: "Cenník a podmienky",
			clientzone.LangHU: "Árlista és feltételek", clientzone.LangRU: "Прайс-лист и условия"},
		URL: map[clientzone.Language]string{clientzone.LangEN: "https://docs.example.com/en/prices"}},
}
