package devserver

import (
	"github.com/clientzone/clientzone/shared/app"
	"github.com/clientzone/clientzone/shared/app/cardpay"
	"github.com/clientzone/clientzone/shared/app/files"
	"github.com/clientzone/clientzone/shared/app/pdf"
)

// Constructors maps each function's folder name to the constructor its
// functions/<name>/main.go passes to app.Build.
var Constructors = map[string]app.Constructor{
	"status":         app.Status,
	"login":          app.Login,
	"me":             app.Me,
	"invoices-list":  app.InvoicesList,
	"invoice-get":    app.InvoiceGet,
	"invoice-pdf":    pdf.InvoicePdf,
	"persons-list":   app.PersonsList,
	"person-create":  app.PersonCreate,
	"person-get":     app.PersonGet,
	"person-update":  app.PersonUpdate,
	"person-disable": app.PersonDisable,
	"audit-log":      app.AuditLog,
	"persons-import": app.PersonsImport,

	// Account requests and password recovery.
	"account-request":         app.AccountRequest,
	"account-request-confirm": app.AccountRequestConfirm,
	"password-reset":          app.PasswordReset,
	"password-reset-confirm":  app.PasswordResetConfirm,
	"temporary-password":      app.TemporaryPassword,

	// Sessions: refresh, logout, password change, profile.
	"refresh":         app.Refresh,
	"logout":          app.Logout,
	"password-change": app.PasswordChange,
	"me-update":       app.MeUpdate,

	// Back-office customer and invoice upserts (CRM / billing sync, legacy import).
	"customer-upsert": app.CustomerUpsert,
	"invoice-upsert":  app.InvoiceUpsert,

	// Authorization PIN and billing data.
	"customer":            app.Customer,
	"billing-data-update": app.BillingDataUpdate,
	"pin-change":          app.PinChange,
	"pin-issue":           app.PinIssue,

	// Prepaid balance, autopay, direct debit, standing orders, corrections.
	"balance":            app.Balance,
	"transactions":       app.Transactions,
	"autopay-enable":     app.AutopayEnable,
	"autopay-disable":    app.AutopayDisable,
	"direct-debit":       app.DirectDebit,
	"standing-order":     app.StandingOrder,
	"correction-request": app.CorrectionRequest,

	// Card payments.
	"invoice-payment": cardpay.InvoicePayment,
	"top-up":          cardpay.TopUp,
	"payment-webhook": cardpay.PaymentWebhook,

	// Proformas, bank statements, renewals.
	"proforma-create":       app.ProformaCreate,
	"proformas-list":        app.ProformasList,
	"service-renewal":       cardpay.ServiceRenewal,
	"bank-statement-import": app.BankStatementImport,

	// Contracts, tariffs, addons, suspension, termination.
	"contracts-list":      app.ContractsList,
	"contract-get":        app.ContractGet,
	"tariffs-list":        app.TariffsList,
	"tariff-upsert":       app.TariffUpsert,
	"tariff-change":       app.TariffChange,
	"addon-add":           app.AddonAdd,
	"addon-remove":        app.AddonRemove,
	"suspension-start":    app.SuspensionStart,
	"suspension-end":      app.SuspensionEnd,
	"termination-request": app.TerminationRequest,
	"contract-upsert":     app.ContractUpsert,

	// Authorized messages, support tickets, promotions, status back office.
	"messages-list":            app.MessagesList,
	"message-create":           app.MessageCreate,
	"message-get":              app.MessageGet,
	"message-status-update":    app.MessageStatusUpdate,
	"ticket-create":            app.TicketCreate,
	"tickets-list":             app.TicketsList,
	"ticket-get":               files.TicketGet,
	"ticket-reply":             files.TicketReply,
	"ticket-close":             app.TicketClose,
	"ticket-attachment-upload": files.TicketAttachmentUpload,
	"ticket-staff-reply":       app.TicketStaffReply,
	"status-component-upsert":  app.StatusComponentUpsert,
	"status-incident-upsert":   app.StatusIncidentUpsert,
	"promotions-list":          app.PromotionsList,
	"promotion-upsert":         app.PromotionUpsert,

	// Usage (calls, traffic) and contract history, with their ingestion.
	"calls-list":              app.CallsList,
	"traffic":                 app.Traffic,
	"traffic-by-ip":           app.TrafficByIp,
	"service-protocols":       app.ServiceProtocols,
	"support-requests":        app.SupportRequests,
	"calls-ingest":            app.CallsIngest,
	"traffic-ingest":          app.TrafficIngest,
	"service-protocol-upsert": app.ServiceProtocolUpsert,
	"support-request-upsert":  app.SupportRequestUpsert,
}
