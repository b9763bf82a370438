package clientzone

import "time"

// Purposes of a card payment.
const (
	PaymentForInvoice = "invoice"
	PaymentForTopUp   = "top-up"
	PaymentForRenewal = "renewal" // renews ServiceID for Periods billing periods
)

// Payment states.
const (
	PaymentPending   = "pending"
	PaymentSucceeded = "succeeded"
	PaymentFailed    = "failed"
	PaymentExpired   = "expired"
)

// Payment is one card payment attempt through a payment provider: created
// with a provider checkout, completed by the provider's signed webhook.
type Payment struct {
	ID          string     `json:"id"`
	CustomerID  string     `json:"-"`
	PersonID    string     `json:"-"` // who started it
	Purpose     string     `json:"purpose"`
	InvoiceID   string     `json:"invoiceId,omitempty"`
	ServiceID   string     `json:"serviceId,omitempty"`
	Periods     int        `json:"periods,omitempty"`
	Amount      Money      `json:"amount"`
	Provider    string     `json:"provider"`
	CheckoutID  string     `json:"-"`
	CheckoutURL string     `json:"checkoutUrl,omitempty"`
	ExpiresAt   time.Time  `json:"expiresAt"`
	Status      string     `json:"status"`
	CreatedAt   time.Time  `json:"createdAt"`
	CompletedAt *time.Time `json:"completedAt,omitempty"`
	// SettledInvoiceID is the invoice paid or issued by the settlement.
	SettledInvoiceID string `json:"settledInvoiceId,omitempty"`
}
