package app

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/clientzone/clientzone/shared/billing"
	"github.com/clientzone/clientzone/shared/payments"
)

// The card payment use case and its configuration; the functions that
// create checkouts or accept webhooks are built by package cardpay.

// TopUpMin is the smallest top-up in minor units.
const TopUpMin = 100

// vatPercents parses INVOICE_VAT_PERCENT: "23" or "EUR:23,HUF:27".
func vatPercents(s string) (map[string]int, error) {
	out := map[string]int{}
	for part := range strings.SplitSeq(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		cur, pct, ok := strings.Cut(part, ":")
		if !ok {
			cur, pct = "", part
		}
		n, err := strconv.Atoi(pct)
		if err != nil || n < 0 || n > 100 {
			return nil, fmt.Errorf("app: INVOICE_VAT_PERCENT: bad rate %q", part)
		}
		out[strings.ToUpper(cur)] = n
	}
	return out, nil
}

// settlements is the billing service that settles payments (card
// webhooks, bank statements), counting each one applied.
func (d *Deps) settlements(vat map[string]int) *billing.Service {
	return &billing.Service{Store: d.DB, Clock: d.Clock, VATPercent: vat, Metrics: d.Metrics}
}

// CardPayments builds the card payment use case; prov may be nil for the
// webhook function (it creates no checkouts). The functions with a checkout
// are built by package cardpay.
func (d *Deps) CardPayments(prov payments.Provider) (*billing.CardPayments, error) {
	vat, err := vatPercents(d.Config.InvoiceVATPercent)
	if err != nil {
		return nil, err
	}
	maxTopUp, err := strconv.ParseInt(d.Config.TopUpMax, 10, 64)
	if err != nil || maxTopUp < TopUpMin {
		return nil, fmt.Errorf("app: TOP_UP_MAX: want an amount in minor units ≥ %d", TopUpMin)
	}
	return &billing.CardPayments{
		Store:      d.DB,
		Billing:    d.settlements(vat),
		Provider:   prov,
		Clock:      d.Clock,
		SuccessURL: d.Config.PaymentSuccessURL,
		CancelURL:  d.Config.PaymentCancelURL,
		TopUpMin:   TopUpMin,
		TopUpMax:   maxTopUp,
	}, nil
}
