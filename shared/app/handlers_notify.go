package app

import (
	"os"

	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/clientzone/clientzone/shared/notify"
)

// OutboxSender builds the DynamoDB stream handler that delivers outbox
// messages: email through SES from EMAIL_FROM, SMS through SNS with sender
// id SMS_SENDER_ID (both read here: only this function has them), events
// through EventBridge to EVENT_BUS_NAME.
func OutboxSender(d *Deps) (*notify.Sender, error) {
	r, err := notify.NewRenderer(d.Config.Brand)
	if err != nil {
		return nil, err
	}
	from := os.Getenv("EMAIL_FROM")
	if from == "" {
		from = d.Config.Brand + " <no-reply@example.com>"
	}
	return &notify.Sender{
		Store:    d.DB,
		Renderer: r,
		Email:    notify.SES{API: sesv2.NewFromConfig(d.AWS), From: from},
		SMS:      notify.SNS{API: sns.NewFromConfig(d.AWS), SenderID: os.Getenv("SMS_SENDER_ID")},
		Events:   d.eventBridge(),
		Clock:    d.Clock,
		Logger:   d.Logger,
	}, nil
}
