package notify

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sns"
)

type fakeSES struct {
	in  *sesv2.SendEmailInput
	err error
}

func (f *fakeSES) SendEmail(_ context.Context, in *sesv2.SendEmailInput, _ ...func(*sesv2.Options)) (*sesv2.SendEmailOutput, error) {
	f.in = in
	return &sesv2.SendEmailOutput{MessageId: aws.String("ses-1")}, f.err
}

type fakeSNS struct {
	in  *sns.PublishInput
	err error
}

func (f *fakeSNS) Publish(_ context.Context, in *sns.PublishInput, _ ...func(*sns.Options)) (*sns.PublishOutput, error) {
	f.in = in
	return &sns.PublishOutput{MessageId: aws.String("sns-1")}, f.err
}

func TestSESRequest(t *testing.T) {
	api := &fakeSES{}
	err := SES{API: api, From: "Acme <no-reply@acme.example>"}.Send(context.Background(),
		Rendered{Channel: "email", To: "jan@example.sk", Subject: "Predmet ž", Body: "Telo ž"})
	if err != nil {
		t.Fatal(err)
	}
	in := api.in
	if aws.ToString(in.FromEmailAddress) != "Acme <no-reply@acme.example>" || len(in.Destination.ToAddresses) != 1 || in.Destination.ToAddresses[0] != "jan@example.sk" {
		t.Errorf("addresses %+v", in)
	}
	s := in.Content.Simple
	if aws.ToString(s.Subject.Data) != "Predmet ž" || aws.ToString(s.Body.Text.Data) != "Telo ž" || aws.ToString(s.Body.Text.Charset) != "UTF-8" || s.Body.Html != nil {
		t.Errorf("content %+v", s)
	}
	api.err = errors.New("throttled")
	if err := (SES{API: api, From: "x@y"}).Send(context.Background(), Rendered{To: "a@b"}); err == nil {
		t.Error("SES error not returned")
	}
}

func TestSNSRequest(t *testing.T) {
	api := &fakeSNS{}
	if err := (SNS{API: api, SenderID: "AcmeNet"}).Send(context.Background(), Rendered{Channel: "sms", To: "+421900123456", Body: "kod 482913"}); err != nil {
		t.Fatal(err)
	}
	in := api.in
	if aws.ToString(in.PhoneNumber) != "+421900123456" || aws.ToString(in.Message) != "kod 482913" || in.TopicArn != nil {
		t.Errorf("publish %+v", in)
	}
	if a := in.MessageAttributes["AWS.SNS.SMS.SMSType"]; aws.ToString(a.StringValue) != "Transactional" || aws.ToString(a.DataType) != "String" {
		t.Errorf("SMSType %+v", a)
	}
	if a := in.MessageAttributes["AWS.SNS.SMS.SenderID"]; aws.ToString(a.StringValue) != "AcmeNet" {
		t.Errorf("SenderID %+v", a)
	}
	_ = (SNS{API: api}).Send(context.Background(), Rendered{To: "+1", Body: "x"})
	if _, ok := api.in.MessageAttributes["AWS.SNS.SMS.SenderID"]; ok {
		t.Error("empty sender id sent")
	}
}
