// Package files builds the functions that use the S3 bucket for ticket
// attachments, and gives the bucket's store to package pdf (invoice PDFs).
// It is apart from package app so that only these functions link and
// initialise the S3 client (cold start and size).
package files

import (
	"errors"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/clientzone/clientzone/shared/app"
	"github.com/clientzone/clientzone/shared/httpapi"
	"github.com/clientzone/clientzone/shared/s3store"
)

// Clients returns a client of the bucket's S3 endpoint (S3_ENDPOINT on a
// local stack, path-style there) and a presigner with the same endpoint
// and credentials.
func Clients(d *app.Deps) (*s3.Client, *s3.PresignClient) {
	client := s3.NewFromConfig(d.AWS, func(o *s3.Options) {
		if d.Config.S3Endpoint != "" {
			o.BaseEndpoint = aws.String(d.Config.S3Endpoint)
			o.UsePathStyle = true
		}
	})
	return client, s3.NewPresignClient(client)
}

// Bucket is the store of the bucket BUCKET_NAME.
func Bucket(d *app.Deps) (*s3store.Store, error) {
	if d.Config.BucketName == "" {
		return nil, errors.New("app: BUCKET_NAME is required")
	}
	client, presign := Clients(d)
	return s3store.New(client, presign, d.Config.BucketName), nil
}

// TicketGet is GET /v1/tickets/{ticketId}: attachments come with
// presigned download links from the bucket (none without BUCKET_NAME).
func TicketGet(d *app.Deps) (httpapi.Handler, error) {
	svc, err := d.Tickets()
	if err == nil && d.Config.BucketName != "" {
		svc.Downloads, err = Bucket(d)
	}
	return app.With(d, svc, err, httpapi.GetTicket)
}

// TicketReply is POST /v1/tickets/{ticketId}/replies: the attachments a
// reply claims are checked in the bucket (uploaded, declared size) and
// lose their pending tag (s3store.Store.Claim), so the lifecycle rule of
// abandoned uploads keeps them.
func TicketReply(d *app.Deps) (httpapi.Handler, error) {
	svc, err := d.Tickets()
	if err == nil {
		svc.Objects, err = Bucket(d)
	}
	return app.With(d, svc, err, httpapi.ReplyTicket)
}

// TicketAttachmentUpload is POST /v1/tickets/{ticketId}/attachments: the
// presigned upload URLs point into the bucket, under attachments/, and tag
// the upload pending (s3store.PendingTag).
func TicketAttachmentUpload(d *app.Deps) (httpapi.Handler, error) {
	svc, err := d.Tickets()
	if err == nil {
		svc.Uploads, err = Bucket(d)
	}
	return app.With(d, svc, err, httpapi.UploadTicketAttachment)
}
