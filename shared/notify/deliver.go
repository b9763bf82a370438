package notify

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	sestypes "github.com/aws/aws-sdk-go-v2/service/sesv2/types"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"
)

// SESAPI is the part of the SES v2 client SES uses.
type SESAPI interface {
	SendEmail(context.Context, *sesv2.SendEmailInput, ...func(*sesv2.Options)) (*sesv2.SendEmailOutput, error)
}

// SES delivers email through Amazon SES (v2 API), plain text in UTF-8.
type SES struct {
	API  SESAPI
	From string // EMAIL_FROM, a verified identity, e.g. "clientzone <no-reply@example.com>"
}

// Send implements Deliverer.
func (s SES) Send(ctx context.Context, m Rendered) error {
	utf8 := aws.String("UTF-8")
	_, err := s.API.SendEmail(ctx, &sesv2.SendEmailInput{
		FromEmailAddress: aws.String(s.From),
		Destination:      &sestypes.Destination{ToAddresses: []string{m.To}},
		Content: &sestypes.EmailContent{Simple: &sestypes.Message{
			Subject: &sestypes.Content{Data: aws.String(m.Subject), Charset: utf8},
			Body:    &sestypes.Body{Text: &sestypes.Content{Data: aws.String(m.Body), Charset: utf8}},
		}},
	})
	if err != nil {
		return fmt.Errorf("notify: ses: %w", err)
	}
	return nil
}

// SNSAPI is the part of the SNS client SNS uses.
type SNSAPI interface {
	Publish(context.Context, *sns.PublishInput, ...func(*sns.Options)) (*sns.PublishOutput, error)
}

// SNS delivers text messages through Amazon SNS direct publish to a phone
// number, as transactional SMS.
type SNS struct {
	API      SNSAPI
	SenderID string // SMS_SENDER_ID; up to 11 alphanumeric characters, empty for none
}

// Send implements Deliverer.
func (s SNS) Send(ctx context.Context, m Rendered) error {
	attrs := map[string]snstypes.MessageAttributeValue{
		"AWS.SNS.SMS.SMSType": {DataType: aws.String("String"), StringValue: aws.String("Transactional")},
	}
	if s.SenderID != "" {
		attrs["AWS.SNS.SMS.SenderID"] = snstypes.MessageAttributeValue{DataType: aws.String("String"), StringValue: aws.String(s.SenderID)}
	}
	_, err := s.API.Publish(ctx, &sns.PublishInput{PhoneNumber: aws.String(m.To), Message: aws.String(m.Body), MessageAttributes: attrs})
	if err != nil {
		return fmt.Errorf("notify: sns: %w", err)
	}
	return nil
}
