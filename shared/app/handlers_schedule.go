package app

import (
	"context"
	"fmt"
	"os"
	"strconv"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo"
	"github.com/clientzone/clientzone/shared/schedule"
)

// DefaultSuspensionDailyFee is SUSPENSION_DAILY_FEE when unset (minor
// units per currency).
const DefaultSuspensionDailyFee = "EUR:50,HUF:200"

// JobEnv is the scheduled jobs' environment for d. Settings (getenv):
// SUSPENSION_DAILY_FEE ("EUR:50,HUF:200"), AUTOPAY_DAYS_AHEAD (default 3)
// and AUTOPAY_DAYS_BACK (default 30).
func JobEnv(d *Deps, getenv func(string) string) (*schedule.Env, error) {
	fees := getenv("SUSPENSION_DAILY_FEE")
	if fees == "" {
		fees = DefaultSuspensionDailyFee
	}
	f, err := schedule.ParseFees(fees)
	if err != nil {
		return nil, fmt.Errorf("app: SUSPENSION_DAILY_FEE: %w", err)
	}
	days := func(name string, def int) (int, error) {
		v := getenv(name)
		if v == "" {
			return def, nil
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > 90 {
			return 0, fmt.Errorf("app: %s must be 0..90 days", name)
		}
		return n, nil
	}
	ahead, err := days("AUTOPAY_DAYS_AHEAD", 3)
	if err != nil {
		return nil, err
	}
	back, err := days("AUTOPAY_DAYS_BACK", 30)
	if err != nil {
		return nil, err
	}
	return &schedule.Env{NewStore: dynamo.JobStores(d.Dynamo, d.Config.TableName), Logger: d.Logger, Metrics: d.Metrics,
		DefaultLanguage: clientzone.Language(d.Config.DefaultLanguage), Currency: d.Config.Currency,
		SuspensionFees: f, AutopayDaysAhead: ahead, AutopayDaysBack: back}, nil
}

// BuildJob loads the dependencies from the environment and returns the
// Lambda handler of scheduled job name: what functions/*-job/main.go do
// once per cold start.
func BuildJob(ctx context.Context, name string) (func(context.Context, schedule.Input) (schedule.Report, error), error) {
	d, err := LambdaDeps(ctx)
	if err != nil {
		return nil, err
	}
	env, err := JobEnv(d, os.Getenv)
	if err != nil {
		return nil, err
	}
	job, ok := schedule.Jobs(env)[name]
	if !ok {
		return nil, fmt.Errorf("app: no scheduled job %q", name)
	}
	return schedule.Handler(job, d.Clock, d.Metrics), nil
}
