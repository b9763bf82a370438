package devserver

import "github.com/clientzone/clientzone/shared/app"

// Constructors maps each function's folder name to the constructor its
// functions/<name>/main.go passes to app.Build.
var Constructors = map[string]app.Constructor{
	"status":         app.Status,
	"login":          app.Login,
	"me":             app.Me,
	"invoices-list":  app.InvoicesList,
	"invoice-get":    app.InvoiceGet,
	"invoice-pdf":    app.InvoicePdf,
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
	"invoice-payment": app.InvoicePayment,
	"top-up":          app.TopUp,
	"payment-webhook": app.PaymentWebhook,

	// Proformas, bank statements, renewals.
	"proforma-create":       app.ProformaCreate,
	"proformas-list":        app.ProformasList,
	"service-renewal":       app.ServiceRenewal,
	"bank-statement-import": app.BankStatementImport,
}
