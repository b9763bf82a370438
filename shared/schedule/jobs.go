package schedule

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/clientzone/clientzone/shared/billing"
	"github.com/clientzone/clientzone/shared/clientzone"
)

// ReminderOffsets are the days before expiry an expiry reminder is sent.
var ReminderOffsets = []int{60, 30, 14, 7, 1}

// OverdueOffsets are the days after the due date an overdue reminder is
// sent (due yesterday, a week ago, two weeks ago).
var OverdueOffsets = []int{1, 7, 14}

// markerKeep is how long reminder markers are kept: past any rerun.
const markerKeep = 90 * 24 * time.Hour

// ExpiryReminders emails the admins of customers whose services expire in
// exactly 60, 30, 14, 7 or 1 days (template "expiry-reminder").
type ExpiryReminders struct{ Env *Env }

func (*ExpiryReminders) Name() string { return "expiry-reminders" }

func (j *ExpiryReminders) Run(ctx context.Context, now time.Time) (Report, error) {
	r := j.Env.begin(j.Name(), now)
	for _, off := range ReminderOffsets {
		expires := day(r.now, off)
		n, err := r.db.ServicesExpiringOn(ctx, expires, func(s *ScheduledService) error {
			r.step(ctx, func(ctx context.Context) (outcome, error) {
				if s.ExpiresOn != expires { // index entry stale: renewed
					return skipped, nil
				}
				to, err := r.recipients(ctx, s.CustomerID, func(n clientzone.Notifications) bool { return n.Expiry })
				if err != nil {
					return 0, err
				}
				return r.notify(ctx, fmt.Sprintf("REMINDER#%s#%s#%d", s.ID, s.ExpiresOn, off), markerKeep, s.CustomerID,
					"expiry-reminder", map[string]string{"serviceName": s.Name, "expiresOn": s.ExpiresOn, "daysLeft": strconv.Itoa(off)}, to)
			})
			return nil
		})
		r.pages(n)
		if err != nil {
			return r.finish(err)
		}
	}
	return r.finish(nil)
}

// OverdueReminders emails the admins of customers whose invoices are still
// unpaid 1, 7 and 14 days after the due date (template "invoice-overdue").
type OverdueReminders struct{ Env *Env }

func (*OverdueReminders) Name() string { return "overdue-reminders" }

func (j *OverdueReminders) Run(ctx context.Context, now time.Time) (Report, error) {
	r := j.Env.begin(j.Name(), now)
	for _, off := range OverdueOffsets {
		due := day(r.now, -off)
		n, err := r.db.InvoicesDueOn(ctx, due, func(inv *clientzone.Invoice) error {
			r.step(ctx, func(ctx context.Context) (outcome, error) {
				// The index keeps paid invoices: the status decides.
				if inv.Status != clientzone.InvoiceUnpaid || inv.DueOn != due {
					return skipped, nil
				}
				to, err := r.recipients(ctx, inv.CustomerID, func(n clientzone.Notifications) bool { return n.Invoices })
				if err != nil {
					return 0, err
				}
				return r.notify(ctx, fmt.Sprintf("OVERDUE#%s#%d", inv.ID, off), markerKeep, inv.CustomerID, "invoice-overdue",
					map[string]string{"invoiceNumber": inv.Number, "dueOn": inv.DueOn, "amount": formatMoney(inv.Total)}, to)
			})
			return nil
		})
		r.pages(n)
		if err != nil {
			return r.finish(err)
		}
	}
	return r.finish(nil)
}

// formatMoney renders minor units as "12.34 EUR".
func formatMoney(m clientzone.Money) string {
	sign := ""
	if m.Amount < 0 {
		sign = "-"
	}
	return fmt.Sprintf("%s%d.%02d %s", sign, abs(m.Amount/100), abs(m.Amount%100), m.Currency)
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}

// FreeSuspensionDays is how many days a suspension stored without its
// fee start date (before FeesFrom existed) is free: such a service
// suspended on day D is charged from day D+60 on.
const FreeSuspensionDays = 60

// SuspensionFees charges, for every voluntarily suspended service whose
// fee start date (FeesFrom, set on suspension from the contract's free
// days left that year, see contracts.FreeSuspensionDays) has come, the
// daily fee of today's date, once per service and day (ledger reference
// "suspension-fee:<sid>:<date>"). A provider suspension (the back
// office's block) is never charged. A day the job did not run is not
// charged later.
type SuspensionFees struct{ Env *Env }

func (*SuspensionFees) Name() string { return "suspension-fees" }

func (j *SuspensionFees) Run(ctx context.Context, now time.Time) (Report, error) {
	r := j.Env.begin(j.Name(), now)
	today := day(r.now, 0)
	firstCharged := day(r.now, -FreeSuspensionDays) // suspended on or before this day
	n, err := r.db.SuspendedServices(ctx, func(s *ScheduledService) error {
		r.step(ctx, func(ctx context.Context) (outcome, error) {
			if s.SuspendedOn == "" || (s.SuspensionKind != "" && s.SuspensionKind != clientzone.SuspensionVoluntary) {
				return skipped, nil
			}
			if s.FeesFrom != "" && s.FeesFrom > today || s.FeesFrom == "" && s.SuspendedOn > firstCharged {
				return skipped, nil
			}
			cur := s.Price.Currency
			if cur == "" {
				cur = j.Env.Currency
			}
			fee, ok := j.Env.SuspensionFees[cur]
			if !ok || fee <= 0 {
				return skipped, nil
			}
			tx := r.db.NewJobTx()
			if err := tx.Ledger(&clientzone.Transaction{CustomerID: s.CustomerID, Kind: clientzone.TxnFee,
				Amount:      clientzone.Money{Amount: -fee, Currency: cur},
				Description: fmt.Sprintf("Suspension of %s, %s", s.Name, today),
				Reference:   "suspension-fee:" + s.ID + ":" + today, CreatedAt: r.now}, billing.LedgerOptions{}); err != nil {
				return 0, err
			}
			err := tx.Commit(ctx)
			if errors.Is(err, billing.ErrDuplicateReference) {
				return skipped, nil
			}
			if err != nil {
				return 0, err
			}
			return done, nil
		})
		return nil
	})
	r.pages(n)
	return r.finish(err)
}

// Autopay pays from the prepaid balance, for customers with autopay
// enabled, every unpaid invoice due from AutopayDaysBack days ago to
// AutopayDaysAhead days ahead (one GSI2 DUE#<date> Query per day). Paying is
// once per invoice (conditional on unpaid, ledger reference
// "balance:<invoiceId>"); a balance too low skips the invoice until a
// later run.
type Autopay struct{ Env *Env }

func (*Autopay) Name() string { return "autopay" }

func (j *Autopay) Run(ctx context.Context, now time.Time) (Report, error) {
	r := j.Env.begin(j.Name(), now)
	pay := &billing.Prepaid{Store: r.db, Clock: clientzone.FixedClock(r.now), Currency: j.Env.Currency, Metrics: j.Env.Metrics}
	type setting struct {
		once sync1
		a    *clientzone.Autopay
		err  error
	}
	var settings syncMap[string, *setting]
	for d := -j.Env.AutopayDaysBack; d <= j.Env.AutopayDaysAhead; d++ {
		due := day(r.now, d)
		n, err := r.db.InvoicesDueOn(ctx, due, func(inv *clientzone.Invoice) error {
			if inv.Status != clientzone.InvoiceUnpaid {
				return nil // paid or cancelled: not a candidate
			}
			r.step(ctx, func(ctx context.Context) (outcome, error) {
				st := settings.load(inv.CustomerID, func() *setting { return &setting{} })
				st.once.do(func() { st.a, st.err = r.db.Autopay(ctx, inv.CustomerID) })
				if clientzone.ErrorCode(st.err) == clientzone.ENOTFOUND || (st.err == nil && !st.a.Enabled) {
					return skipped, nil
				}
				if st.err != nil {
					return 0, st.err
				}
				if t := st.a.Threshold; t != nil && t.Currency == inv.Total.Currency && inv.Total.Amount > t.Amount {
					return skipped, nil
				}
				_, err := pay.PayFromBalance(ctx, inv.CustomerID, inv.ID)
				switch {
				case err == nil:
					return done, nil
				case errors.Is(err, billing.ErrInvoiceNotUnpaid), errors.Is(err, billing.ErrInsufficientBalance),
					clientzone.ErrorCode(err) == clientzone.ECONFLICT:
					return skipped, nil
				}
				return 0, err
			})
			return nil
		})
		r.pages(n)
		if err != nil {
			return r.finish(err)
		}
	}
	return r.finish(nil)
}
