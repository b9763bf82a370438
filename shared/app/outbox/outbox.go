// Package outbox builds the outbox sender: the DynamoDB stream function that
// delivers outbox messages. It is apart from package app so that only this
// function links and initialises the SES, SNS and EventBridge clients (cold
// start and size of every other function).
package outbox

import (
	"github.com/aws/aws-sdk-go-v2/service/eventbridge"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/clientzone/clientzone/shared/app"
	"github.com/clientzone/clientzone/shared/notify"
)

// Sender builds the stream handler: email through SES from
// Config.EmailFrom, SMS through SNS with sender id Config.SMSSenderID,
// events through EventBridge to Config.EventBusName.
func Sender(d *app.Deps) (*notify.Sender, error) {
	r, err := notify.NewRenderer(d.Config.Brand)
	if err != nil {
		return nil, err
	}
	return &notify.Sender{
		Store:    d.DB,
		Renderer: r,
		Email:    notify.SES{API: sesv2.NewFromConfig(d.AWS), From: d.Config.EmailFrom},
		SMS:      notify.SNS{API: sns.NewFromConfig(d.AWS), SenderID: d.Config.SMSSenderID},
		Events:   notify.EventBridge{API: eventbridge.NewFromConfig(d.AWS), Bus: d.Config.EventBusName},
		Clock:    d.Clock,
		Logger:   d.Logger,
		Metrics:  d.Metrics,
	}, nil
}
