package demo

import (
	"context"
	"time"

	"github.com/clientzone/clientzone/shared/clientzone"
)

// Demo tariff ids used by the samples in events/ and the tests.
const (
	TariffOptik1000 = "optik-1000"
	TariffPublicIP  = "public-ip"
	TariffTVStart   = "tv-start"
	// AddonSK is the extra service (web backup) on contract SK.
	AddonSK = "01JDEM0SK0000000000000SVC5"
)

// Catalog is the demo tariff catalogue: Slovak internet, VoIP, TV, hosting
// and domain tariffs (the demo services' optik-500, voip-basic, web-profi,
// domain-sk among them), addons (public and static IP, TV packages, web
// backup) and the Hungarian tárhely tariffs.
func Catalog(now time.Time) []*clientzone.Tariff {
	eur := func(cents int64) clientzone.Money { return clientzone.Money{Amount: cents, Currency: "EUR"} }
	huf := func(fill int64) clientzone.Money { return clientzone.Money{Amount: fill, Currency: "HUF"} }
	speed := func(down, up string) map[string]string {
		return map[string]string{"downloadMbps": down, "uploadMbps": up}
	}
	ts := []*clientzone.Tariff{
		{ID: "optik-100", Kind: clientzone.ServiceInternet, Name: "Optik 100/20", Description: "Optický internet 100/20 Mb/s bez viazanosti.",
			Price: eur(1490), BillingPeriod: "monthly", Parameters: speed("100", "20"), Available: true},
		{ID: "optik-300", Kind: clientzone.ServiceInternet, Name: "Optik 300/50", Description: "Optický internet 300/50 Mb/s.",
			Price: eur(1990), BillingPeriod: "monthly", Parameters: speed("300", "50"), Available: true},
		{ID: "optik-500", Kind: clientzone.ServiceInternet, Name: "Optik 500/100", Description: "Optický internet 500/100 Mb/s.",
			Price: eur(2490), BillingPeriod: "monthly", Parameters: speed("500", "100"), Available: true},
		{ID: TariffOptik1000, Kind: clientzone.ServiceInternet, Name: "Optik 1000/300", Description: "Optický internet 1 Gb/s s verejnou IPv6.",
			Price: eur(3490), BillingPeriod: "monthly", Parameters: speed("1000", "300"), Available: true},
		{ID: "dsl-20", Kind: clientzone.ServiceInternet, Name: "DSL 20/2", Description: "Pôvodný DSL tarif, už sa nepredáva.",
			Price: eur(1290), BillingPeriod: "monthly", Parameters: speed("20", "2"), Available: false},
		{ID: TariffPublicIP, Kind: clientzone.ServiceInternet, Name: "Verejná IP adresa", Description: "Jedna verejná IPv4 adresa (dynamicky pridelená).",
			Price: eur(300), BillingPeriod: "monthly", Addon: true, Available: true},
		{ID: "static-ip", Kind: clientzone.ServiceInternet, Name: "Statická IP adresa", Description: "Pevná verejná IPv4 adresa s reverzným DNS záznamom.",
			Price: eur(500), BillingPeriod: "monthly", Addon: true, Parameters: map[string]string{"ipv4": "1"}, Available: true},
		{ID: "voip-basic", Kind: clientzone.ServiceVoIP, Name: "VoIP Basic", Description: "Pevná linka, volania za minútu.",
			Price: eur(500), BillingPeriod: "monthly", Parameters: map[string]string{"freeMinutes": "0"}, Available: true},
		{ID: "voip-unlimited", Kind: clientzone.ServiceVoIP, Name: "VoIP Neobmedzene", Description: "Neobmedzené volania do pevných a mobilných sietí v SR.",
			Price: eur(1200), BillingPeriod: "monthly", Parameters: map[string]string{"freeMinutes": "unlimited"}, Available: true},
		{ID: TariffTVStart, Kind: clientzone.ServiceTV, Name: "TV Štart", Description: "IPTV balík 60 staníc k internetu.",
			Price: eur(799), BillingPeriod: "monthly", Addon: true, Parameters: map[string]string{"channels": "60"}, Available: true},
		{ID: "tv-plus", Kind: clientzone.ServiceTV, Name: "TV Plus", Description: "IPTV balík 120 staníc vrátane HD a archívu.",
			Price: eur(1299), BillingPeriod: "monthly", Addon: true, Parameters: map[string]string{"channels": "120", "archiveDays": "7"}, Available: true},
		{ID: "web-start", Kind: clientzone.ServiceHosting, Name: "Webhosting Štart", Description: "1 doména, 5 GB, 5 schránok.",
			Price: eur(2990), BillingPeriod: "yearly", Parameters: map[string]string{"diskGB": "5", "mailboxes": "5"}, Available: true},
		{ID: "web-profi", Kind: clientzone.ServiceHosting, Name: "Webhosting Profi", Description: "5 domén, 50 GB, neobmedzene schránok.",
			Price: eur(5990), BillingPeriod: "yearly", Parameters: map[string]string{"diskGB": "50", "mailboxes": "unlimited"}, Available: true},
		{ID: "web-backup", Kind: clientzone.ServiceHosting, Name: "Denná záloha webu", Description: "Denné zálohy webhostingu s 30-dňovou históriou.",
			Price: eur(1200), BillingPeriod: "yearly", Addon: true, Parameters: map[string]string{"retentionDays": "30"}, Available: true},
		{ID: "domain-sk", Kind: clientzone.ServiceDomain, Name: "Doména .sk", Description: "Registrácia a predĺženie domény .sk.",
			Price: eur(1500), BillingPeriod: "yearly", Available: true},
		{ID: "tarhely-start", Kind: clientzone.ServiceHosting, Name: "Tárhely Start", Description: "1 domain, 10 GB tárhely.",
			Price: huf(2400000), BillingPeriod: "yearly", Parameters: map[string]string{"diskGB": "10"}, Available: true},
		{ID: "tarhely-business", Kind: clientzone.ServiceHosting, Name: "Tárhely Business", Description: "10 domain, 100 GB tárhely, napi mentés.",
			Price: huf(4800000), BillingPeriod: "yearly", Parameters: map[string]string{"diskGB": "100"}, Available: true},
	}
	for _, t := range ts {
		t.UpdatedAt = now.UTC()
	}
	return ts
}

// SeedCatalog writes the demo tariff catalogue.
func SeedCatalog(ctx context.Context, s interface {
	PutTariff(context.Context, *clientzone.Tariff) error
}, now time.Time) error {
	for _, t := range Catalog(now) {
		if err := s.PutTariff(ctx, t); err != nil {
			return err
		}
	}
	return nil
}
