// Command legacy-import imports a legacy system's export (a directory or a
// .zip with customers.jsonl, persons.jsonl, contracts.jsonl, invoices.jsonl,
// calls.csv, traffic.csv, ...; format in README.md, "Importing from a
// legacy system") into a clientzone deployment through the back-office
// admin API, signing requests with SigV4 (credentials from the default
// chain). Every request is an idempotent upsert: run it again to resume.
//
//	legacy-import -base-url https://abc123.execute-api.eu-central-1.amazonaws.com -region eu-central-1 export.zip
//	legacy-import -base-url http://localhost:8080 -no-sign infra/cmd/legacy-import/testdata/export
//
// Exit status: 0 when every record was imported, 1 when some failed (see
// the report file), 2 on a usage or setup error.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"

	"github.com/clientzone/clientzone/infra/legacyimport"
)

func main() { os.Exit(run()) }

func run() int {
	fs := flag.NewFlagSet("legacy-import", flag.ContinueOnError)
	baseURL := fs.String("base-url", "", "API base URL, e.g. https://<api-id>.execute-api.<region>.amazonaws.com (required unless -dry-run)")
	region := fs.String("region", os.Getenv("AWS_REGION"), "AWS region of the API (SigV4 scope); default $AWS_REGION")
	profile := fs.String("profile", "", "AWS shared-config profile (default chain when empty)")
	concurrency := fs.Int("concurrency", 4, "requests in flight at a time")
	dryRun := fs.Bool("dry-run", false, "read and check the export, print the plan, send nothing")
	noSign := fs.Bool("no-sign", false, "send unsigned requests (local dev server)")
	retries := fs.Int("retries", 5, "retries of a request on 429, 5xx or network errors (exponential backoff)")
	batch := fs.Int("batch", 500, "calls / traffic records per request (1-1000)")
	only := fs.String("only", "", "comma-separated kinds to import (default all): "+strings.Join(legacyimport.Kinds, ","))
	report := fs.String("report", "legacy-import-report.jsonl", "file receiving one JSON line per failed record")
	quiet := fs.Bool("quiet", false, "no progress bar")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "usage: legacy-import [flags] <export directory or .zip>\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(os.Args[1:]); err != nil {
		return 2
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	var kinds []string
	for _, k := range strings.Split(*only, ",") {
		if k = strings.TrimSpace(k); k != "" {
			kinds = append(kinds, k)
		}
	}
	plan, err := legacyimport.Load(fs.Arg(0), legacyimport.PlanOptions{BatchSize: *batch, Only: kinds})
	if err != nil {
		fmt.Fprintln(os.Stderr, "legacy-import:", err)
		return 2
	}
	if *dryRun {
		for _, k := range legacyimport.Kinds {
			recs := 0
			for _, r := range plan.Requests[k] {
				recs += len(r.Records)
			}
			if recs > 0 {
				fmt.Printf("%-18s %6d records in %5d requests\n", k, recs, len(plan.Requests[k]))
			}
		}
		for _, f := range plan.Invalid {
			fmt.Printf("invalid: %s:%d %s\n", f.File, f.Line, f.Detail)
		}
		if len(plan.Invalid) > 0 {
			return 1
		}
		return 0
	}
	if *baseURL == "" {
		fmt.Fprintln(os.Stderr, "legacy-import: -base-url is required")
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	o := legacyimport.Options{BaseURL: *baseURL, Region: *region, Concurrency: *concurrency, Retries: *retries, ReportPath: *report}
	if !*quiet {
		o.Progress = os.Stderr
	}
	if !*noSign {
		opts := []func(*config.LoadOptions) error{}
		if *region != "" {
			opts = append(opts, config.WithRegion(*region))
		}
		if *profile != "" {
			opts = append(opts, config.WithSharedConfigProfile(*profile))
		}
		cfg, err := config.LoadDefaultConfig(ctx, opts...)
		if err != nil {
			fmt.Fprintln(os.Stderr, "legacy-import: AWS config:", err)
			return 2
		}
		if cfg.Region == "" {
			fmt.Fprintln(os.Stderr, "legacy-import: -region (or AWS_REGION) is required to sign requests")
			return 2
		}
		if _, err := cfg.Credentials.Retrieve(ctx); err != nil {
			fmt.Fprintln(os.Stderr, "legacy-import: AWS credentials:", err)
			return 2
		}
		o.Region, o.Credentials = cfg.Region, cfg.Credentials
	}
	sum, err := legacyimport.Run(ctx, plan, o)
	if sum != nil {
		fmt.Fprintf(os.Stderr, "imported %d of %d records in %s (%d requests, %d retries); %d failed\n",
			sum.OK, sum.Records, sum.Elapsed.Round(time.Millisecond), sum.Requests, sum.Retries, len(sum.Failures))
		if len(sum.Failures) > 0 {
			fmt.Fprintf(os.Stderr, "failed records are listed in %s; fix them and run the import again (upserts are idempotent)\n", *report)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "legacy-import:", err)
		return 2
	}
	if len(sum.Failures) > 0 {
		return 1
	}
	return 0
}
