package clientzone

import (
	"strings"
	"time"
)

// Proforma purposes.
const (
	ProformaForInvoice = "invoice" // pays an existing unpaid invoice
	ProformaRenewal    = "renewal" // renews a hosting/domain/cloud service when credited
	ProformaTopUp      = "top-up"  // credits the prepaid balance
)

// Proforma states.
const (
	ProformaOpen      = "open"
	ProformaPaid      = "paid"
	ProformaCancelled = "cancelled"
)

// Proforma (díjbekérő, zálohová faktúra) is a payment request for a bank
// transfer. It is not a tax document: the tax invoice is issued once the
// transfer is credited (an invoice proforma pays its existing invoice, which
// then is the tax document).
//
// VariableSymbol rule: the customer's variable symbol followed by a 3-digit
// per-customer sequence (001, 002, ...; 4 digits from the 1000th), so a bank
// line carrying it finds exactly this proforma, and a line carrying only the
// customer's symbol still finds the customer.
type Proforma struct {
	ID             string     `json:"id"`
	CustomerID     string     `json:"-"`
	Number         string     `json:"number"`
	VariableSymbol string     `json:"variableSymbol"`
	Amount         Money      `json:"amount"`
	Purpose        string     `json:"purpose"`
	InvoiceID      string     `json:"invoiceId,omitempty"`
	ServiceID      string     `json:"serviceId,omitempty"`
	Periods        int        `json:"periods,omitempty"`
	Description    string     `json:"description"`
	Status         string     `json:"status"`
	IssuedOn       string     `json:"issuedOn"` // YYYY-MM-DD
	DueOn          string     `json:"dueOn"`    // YYYY-MM-DD
	PaidAt         *time.Time `json:"paidAt,omitempty"`
	PaidInvoiceID  string     `json:"paidInvoiceId,omitempty"` // the tax invoice of the payment
	CreatedAt      time.Time  `json:"createdAt"`
}

// BankTransfer is what a customer needs to pay a proforma by bank transfer.
type BankTransfer struct {
	IBAN           string `json:"iban"`
	BIC            string `json:"bic"`
	Beneficiary    string `json:"beneficiary"`
	VariableSymbol string `json:"variableSymbol"`
	Amount         Money  `json:"amount"`
	DueOn          string `json:"dueOn"`
	// QR is an EPC069-12 ("SEPA credit transfer") QR payload: banking apps
	// scan it to fill in the transfer.
	QR string `json:"qr"`
}

// NormalizeVariableSymbol is the stored and compared form of a variable
// symbol: trimmed, leading zeros dropped (banks drop them).
func NormalizeVariableSymbol(vs string) string { return strings.TrimLeft(strings.TrimSpace(vs), "0") }
