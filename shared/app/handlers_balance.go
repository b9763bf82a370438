package app

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/clientzone/clientzone/shared/billing"
	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/httpapi"
)

// Prepaid balance and autopay, direct debit and standing orders, invoice
// correction requests.

// correctionFees parses CORRECTION_FEE (see billing.ParseFees).
func (c Config) correctionFees() (map[string]billing.Fee, error) {
	vat, err := strconv.Atoi(c.CorrectionFeeVATPercent)
	if err != nil || vat < 0 || vat > 100 {
		return nil, errors.New("CORRECTION_FEE_VAT_PERCENT: want 0 to 100")
	}
	cur := c.CorrectionFeeCurrency
	if cur == "" {
		cur = c.Currency
	}
	if !clientzone.IsCurrencyCode(cur) {
		return nil, errors.New("CORRECTION_FEE_CURRENCY: want an ISO 4217 code")
	}
	fees, err := billing.ParseFees(c.CorrectionFee, cur, vat)
	if err != nil {
		return nil, fmt.Errorf("CORRECTION_FEE: %w", err)
	}
	return fees, nil
}

// checkBalance checks the balance area's settings.
func (c Config) checkBalance() []error {
	var errs []error
	if _, err := c.correctionFees(); err != nil {
		errs = append(errs, err)
	}
	if c.BankIBAN != "" {
		if _, reason := billing.NormalizeIBAN(c.BankIBAN); reason != "" {
			errs = append(errs, fmt.Errorf("BANK_IBAN: invalid (%s)", reason))
		}
	}
	return errs
}

func (d *Deps) prepaid() *billing.Prepaid {
	return &billing.Prepaid{Store: d.DB, Clock: d.Clock, Currency: d.Config.Currency, Metrics: d.Metrics}
}

func (d *Deps) directDebit() *billing.DirectDebit {
	iban, _ := billing.NormalizeIBAN(d.Config.BankIBAN)
	return &billing.DirectDebit{Store: d.DB, PIN: d.PINVerifier(), Clock: d.Clock,
		Beneficiary:     billing.Beneficiary{Name: d.Config.BankBeneficiary, IBAN: billing.FormatIBAN(iban), BIC: d.Config.BankBIC},
		DefaultLanguage: clientzone.Language(d.Config.DefaultLanguage)}
}

func (d *Deps) corrections() (*billing.Corrections, error) {
	fees, err := d.Config.correctionFees()
	if err != nil {
		return nil, err
	}
	return &billing.Corrections{Store: d.DB, Clock: d.Clock, Fees: fees, BillingEmail: d.Config.BillingDepartmentEmail,
		DefaultLanguage: clientzone.Language(d.Config.DefaultLanguage)}, nil
}

// Balance is GET /v1/balance.
func Balance(d *Deps) (httpapi.Handler, error) {
	return d.Endpoint(func(api *httpapi.API) httpapi.Handler { return httpapi.Balance(api, d.prepaid()) })
}

// Transactions is GET /v1/transactions.
func Transactions(d *Deps) (httpapi.Handler, error) {
	return d.Endpoint(func(api *httpapi.API) httpapi.Handler { return httpapi.Transactions(api, d.prepaid()) })
}

// AutopayEnable is PUT /v1/autopay.
func AutopayEnable(d *Deps) (httpapi.Handler, error) {
	return d.Endpoint(func(api *httpapi.API) httpapi.Handler { return httpapi.AutopayEnable(api, d.prepaid()) })
}

// AutopayDisable is DELETE /v1/autopay.
func AutopayDisable(d *Deps) (httpapi.Handler, error) {
	return d.Endpoint(func(api *httpapi.API) httpapi.Handler { return httpapi.AutopayDisable(api, d.prepaid()) })
}

// DirectDebit is PUT /v1/customer/direct-debit.
func DirectDebit(d *Deps) (httpapi.Handler, error) {
	return d.Endpoint(func(api *httpapi.API) httpapi.Handler { return httpapi.DirectDebitSetup(api, d.directDebit()) })
}

// StandingOrder is GET /v1/customer/standing-order.
func StandingOrder(d *Deps) (httpapi.Handler, error) {
	return d.Endpoint(func(api *httpapi.API) httpapi.Handler { return httpapi.StandingOrder(api, d.directDebit()) })
}

// CorrectionRequest is POST /v1/invoices/{invoiceId}/correction-requests.
func CorrectionRequest(d *Deps) (httpapi.Handler, error) {
	svc, err := d.corrections()
	if err != nil {
		return httpapi.Handler{}, err
	}
	return d.Endpoint(func(api *httpapi.API) httpapi.Handler { return httpapi.CorrectionRequest(api, svc) })
}
