// Package outbox builds the outbox sender: the DynamoDB stream function that
// delivers outbox messages. It is apart from package app so that only this
// function links and initialises the SES, SNS and EventBridge clients (cold
// start and size of every other function).
package outbox

import (
	"os"

	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/clientzone/clientzone/shared/app"
	"github.com/clientzone/clientzone/shared/notify"
)

// Sender builds the stream handler: email through SES from EMAIL_FROM, SMS
// through SNS with sender id SMS_SENDER_ID, events through EventBridge to
// EVENT_BUS_NAME ("default" when unset); read here because only this
// function has them.
func Sender(d *app.Deps) (*notify.Sender, error) {
	r, err := notify.NewRenderer(d.Config.Brand)
	if err != nil {
		return nil, err
	}
	from := os.Getenv("EMAIL_FROM")
	if from == "" {
		from = d.Config.Brand + " <no-reply@example.com>"
	}
	bus := os.Getenv("EVENT_BUS_NAME")
	if bus == "" {
		bus = "default"
	}
	return &notify.Sender{
		Store:    d.DB,
		Renderer: r,
		Email:    notify.SES{API: sesv2.NewFromConfig(d.AWS), From: from},
		SMS:      notify.SNS{API: sns.NewFromConfig(d.AWS), SenderID: os.Getenv("SMS_SENDER_ID")},
		Events:   notify.EventBridge{API: eventbridge.NewFromConfig(d.AWS), Bus: bus},
		Clock:    d.Clock,
		Logger:   d.Logger,
		Metrics:  d.Metrics,
	}, nil
}
