package contracts

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// UpsertTariff creates or replaces tariff t of the catalogue (back office).
func (s *Service) UpsertTariff(ctx context.Context, t *clientzone.Tariff) (*clientzone.Tariff, error) {
	if !slices.Contains(clientzone.ServiceKinds, t.Kind) {
		return nil, fieldError("kind", "oneof", "Unknown service kind.")
	}
	t.UpdatedAt = s.Clock.Now().UTC()
	if err := s.Store.PutTariff(ctx, t); err != nil {
		return nil, err
	}
	return t, nil
}

// ContractUpsert is a back-office upsert of a contract.
type ContractUpsert struct {
	Contract *clientzone.Contract
	// PendingSet lists the services whose request carried
	// pendingTariffChange: their Service.PendingTariffChange is stored
	// (nil clears it). Other services keep their stored pending change
	// (unless they now have its tariff: the change was applied).
	PendingSet map[string]bool
	// TerminationStatus, when set (accepted, rejected, withdrawn),
	// resolves the pending termination request.
	TerminationStatus string
}

// UpsertContract creates or replaces contract u.Contract of customer
// c.CustomerID with its services (back office): services not listed are
// removed. The customer must exist; every tariff must be in the catalogue
// and every price in the customer's currency. A suspended service without
// a suspension kind keeps its stored kind, else it is a provider
// suspension (the back office's block); a voluntary one keeps its fee
// start date. Pending tariff changes are kept unless the request carries
// (or clears) them. A pending termination request is resolved as asked,
// or accepted when the contract becomes terminated. Every service write is
// conditional on the version read (409 when a customer changed the
// contract meanwhile).
func (s *Service) UpsertContract(ctx context.Context, u *ContractUpsert) (*ContractView, error) {
	c := u.Contract
	cu, err := s.Store.Customer(ctx, c.CustomerID)
	if err != nil {
		if clientzone.ErrorCode(err) == clientzone.ENOTFOUND {
			return nil, ErrCustomerNotFound
		}
		return nil, err
	}
	currency := cu.Currency
	if currency == "" {
		currency = s.Currency
	}
	tariffs, err := s.Store.Tariffs(ctx, "")
	if err != nil {
		return nil, err
	}
	catalog := map[string]*clientzone.Tariff{}
	for _, t := range tariffs {
		catalog[t.ID] = t
	}
	old, err := s.Store.Contract(ctx, c.CustomerID, c.ID)
	if err != nil && clientzone.ErrorCode(err) != clientzone.ENOTFOUND {
		return nil, err
	}
	stored := map[string]clientzone.Service{}
	if old != nil {
		for _, svc := range old.Services {
			stored[svc.ID] = svc
		}
	}
	now := s.Clock.Now().UTC()
	seen := map[string]bool{}
	for i, svc := range c.Services {
		field := fmt.Sprintf("services[%d]", i)
		switch {
		case seen[svc.ID]:
			return nil, fieldError(field+".id", "unique", "Two services have the same id.")
		case !slices.Contains(clientzone.ServiceKinds, svc.Kind):
			return nil, fieldError(field+".kind", "oneof", "Unknown service kind.")
		case catalog[svc.TariffID] == nil:
			return nil, fieldError(field+".tariffId", "unknown", "There is no such tariff.")
		case svc.Price.Currency != currency:
			return nil, fieldError(field+".price.currency", "currency", "Prices must be in the customer's currency.")
		case svc.Status == clientzone.StatusSuspended && svc.SuspendedOn == "":
			return nil, fieldError(field+".suspendedOn", "required", "A suspended service needs the date its suspension started.")
		case svc.Status != clientzone.StatusSuspended && svc.SuspendedOn != "":
			return nil, fieldError(field+".suspendedOn", "excluded", "Only a suspended service has a suspension date.")
		case svc.Status != clientzone.StatusSuspended && svc.SuspensionKind != "":
			return nil, fieldError(field+".suspensionKind", "excluded", "Only a suspended service has a suspension kind.")
		}
		for name, d := range map[string]string{"nextChargeDate": svc.NextChargeDate, "expiresOn": svc.ExpiresOn, "suspendedOn": svc.SuspendedOn} {
			if d == "" {
				continue
			}
			if _, err := time.Parse(time.DateOnly, d); err != nil {
				return nil, fieldError(field+"."+name, "date", "Give a date as YYYY-MM-DD.")
			}
		}
		prev, existed := stored[svc.ID]
		next := &c.Services[i]
		next.ContractID = c.ID
		next.Version = prev.Version // the write is conditional on it
		// Suspension kind and fee start.
		if next.Status == clientzone.StatusSuspended {
			wasSuspended := existed && prev.Status == clientzone.StatusSuspended && prev.SuspendedOn == next.SuspendedOn
			if next.SuspensionKind == "" {
				next.SuspensionKind = clientzone.SuspensionProvider
				if wasSuspended {
					next.SuspensionKind = suspensionKind(prev.SuspensionKind)
				}
			}
			if next.SuspensionKind == clientzone.SuspensionVoluntary {
				if wasSuspended && prev.FeesFrom != "" {
					next.FeesFrom = prev.FeesFrom
				} else {
					next.FeesFrom = addDays(next.SuspendedOn, FreeSuspensionDays)
				}
			}
		}
		// Pending tariff change.
		if u.PendingSet[svc.ID] {
			if pc := next.PendingTariffChange; pc != nil {
				t := catalog[pc.TariffID]
				if t == nil {
					return nil, fieldError(field+".pendingTariffChange.tariffId", "unknown", "There is no such tariff.")
				}
				if _, err := time.Parse(time.DateOnly, pc.EffectiveOn); err != nil {
					return nil, fieldError(field+".pendingTariffChange.effectiveOn", "date", "Give a date as YYYY-MM-DD.")
				}
				pc.TariffName, pc.Price = t.Name, t.Price
				if pc.RequestedAt.IsZero() {
					pc.RequestedAt = now
				}
			}
		} else if existed && prev.PendingTariffChange != nil && prev.PendingTariffChange.TariffID != next.TariffID {
			next.PendingTariffChange = prev.PendingTariffChange
		} else {
			next.PendingTariffChange = nil
		}
		seen[svc.ID] = true
	}
	if c.Status == clientzone.StatusSuspended {
		for _, svc := range c.Services {
			if svc.SuspendedOn != "" && (c.SuspendedOn == "" || svc.SuspendedOn < c.SuspendedOn) {
				c.SuspendedOn = svc.SuspendedOn
			}
		}
		if c.SuspendedOn == "" {
			c.SuspendedOn = now.Format(time.DateOnly)
		}
		if c.SuspensionKind == "" {
			c.SuspensionKind = clientzone.SuspensionProvider
			if old != nil && old.Status == clientzone.StatusSuspended && old.SuspendedOn == c.SuspendedOn {
				c.SuspensionKind = suspensionKind(old.SuspensionKind)
			}
		}
		if c.SuspensionKind == clientzone.SuspensionVoluntary {
			if old != nil && old.Status == clientzone.StatusSuspended && old.SuspendedOn == c.SuspendedOn && old.FeesFrom != "" {
				c.FeesFrom = old.FeesFrom
			} else {
				c.FeesFrom = addDays(c.SuspendedOn, FreeSuspensionDays)
			}
		}
	} else {
		if c.SuspensionKind != "" {
			return nil, fieldError("suspensionKind", "excluded", "Only a suspended contract has a suspension kind.")
		}
		c.SuspendedOn, c.FeesFrom = "", ""
	}
	pending := old != nil && old.Termination != nil && old.Termination.Status == clientzone.TerminationPending
	switch {
	case u.TerminationStatus != "":
		if !pending {
			return nil, ErrNoPendingTermination
		}
		c.Termination = &clientzone.TerminationRequest{Status: u.TerminationStatus, ResolvedAt: &now}
	case pending && c.Status == clientzone.StatusTerminated:
		c.Termination = &clientzone.TerminationRequest{Status: clientzone.TerminationAccepted, ResolvedAt: &now}
	default:
		c.Termination = nil
	}
	if err := s.Store.PutContract(ctx, c, ""); err != nil {
		return nil, err
	}
	return s.Get(ctx, c.CustomerID, c.ID)
}

// ErrNoPendingTermination: a termination request can only be resolved
// while pending.
var ErrNoPendingTermination = clientzone.Errorf(clientzone.ECONFLICT, "This contract has no pending termination request.")
