package app

import (
	"context"
	"fmt"

	"github.com/clientzone/clientzone/shared/clientzone"
	"github.com/clientzone/clientzone/shared/dynamo"
	"github.com/clientzone/clientzone/shared/schedule"
)

// JobEnv is the scheduled jobs' environment for d: its table, the
// suspension fees and the autopay window of its Config.
func JobEnv(d *Deps) *schedule.Env {
	return &schedule.Env{NewStore: dynamo.JobStores(d.Dynamo, d.Config.TableName), Logger: d.Logger, Metrics: d.Metrics,
		DefaultLanguage: clientzone.Language(d.Config.DefaultLanguage), Currency: d.Config.Currency,
		SuspensionFees: d.Config.SuspensionDailyFees, AutopayDaysAhead: d.Config.AutopayDaysAhead, AutopayDaysBack: d.Config.AutopayDaysBack}
}

// BuildJob loads the dependencies from the environment and returns the
// Lambda handler of scheduled job name: what functions/*-job/main.go do
// once per cold start.
func BuildJob(ctx context.Context, name string) (func(context.Context, schedule.Input) (schedule.Report, error), error) {
	d, err := LambdaDeps(ctx)
	if err != nil {
		return nil, err
	}
	job, ok := schedule.Jobs(JobEnv(d))[name]
	if !ok {
		return nil, fmt.Errorf("app: no scheduled job %q", name)
	}
	return schedule.Handler(job, d.Clock, d.Metrics), nil
}
