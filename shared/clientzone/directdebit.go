package clientzone

import "time"

// Prepaid balance settings, direct debit (SEPA mandate), standing-order
// information and invoice correction requests.

// Autopay methods.
const (
	// AutopayFromBalance pays unpaid invoices from the prepaid balance when
	// it covers them.
	AutopayFromBalance = "balance"
)

// Autopay is a customer's autopay setting: the daily scheduler pays unpaid
// invoices automatically by Method when enabled.
type Autopay struct {
	Enabled bool   `json:"enabled"`
	Method  string `json:"method,omitempty"`
	// Threshold, when set, is the largest invoice total paid automatically.
	Threshold *Money    `json:"threshold,omitempty"`
	UpdatedAt time.Time `json:"updatedAt,omitempty"`
	UpdatedBy string    `json:"updatedBy,omitempty"`
}

// Direct-debit mandate states.
const (
	MandateActive    = "active"
	MandateCancelled = "cancelled"
)

// DirectDebitMandate is a SEPA direct-debit mandate the customer signed in
// the client zone. IBAN is stored in full (the provider collects from it)
// and shown to clients only masked (MaskedIBAN).
type DirectDebitMandate struct {
	ID            string    `json:"id"` // mandate reference
	CustomerID    string    `json:"-"`
	IBAN          string    `json:"-"`
	MaskedIBAN    string    `json:"iban"`
	AccountHolder string    `json:"accountHolder"`
	SignedAt      time.Time `json:"signedAt"`
	SignedBy      string    `json:"signedBy,omitempty"` // person id
	Status        string    `json:"status"`
}

// CorrectionRequest is a customer's request to correct an issued invoice;
// it costs a configured admin fee, issued as its own invoice.
type CorrectionRequest struct {
	ID           string    `json:"id"`
	CustomerID   string    `json:"-"`
	InvoiceID    string    `json:"invoiceId"`
	Reason       string    `json:"reason"`
	Fields       []string  `json:"fields,omitempty"`
	FeeInvoiceID string    `json:"feeInvoiceId,omitempty"`
	RequestedBy  string    `json:"requestedBy"`
	Status       string    `json:"status"` // "open"
	CreatedAt    time.Time `json:"createdAt"`
}
