package clientzone

import "time"

// ChannelEvent is the outbox channel of domain events: the sender publishes
// them to the Amazon EventBridge bus (Template is the detail-type, Data
// "detail" the JSON detail).
const ChannelEvent = "event"

// EventSource is the EventBridge source of every event of this backend.
const EventSource = "clientzone"

// Authorized message types: each is routed to its department by an
// EventBridge rule on the detail-type "clientzone.message.<type>".
const (
	MessageBilling        = "billing"
	MessageTechnical      = "technical"
	MessageContractChange = "contract_change"
	MessageComplaint      = "complaint"
	MessageCancellation   = "cancellation"
	MessageOther          = "other"
)

// MessageTypes lists every authorized message type.
var MessageTypes = []string{MessageBilling, MessageTechnical, MessageContractChange, MessageComplaint, MessageCancellation, MessageOther}

// Authorized message states.
const (
	MessageReceived   = "received"
	MessageInProgress = "in_progress"
	MessageAnswered   = "answered"
	MessageClosed     = "closed"
)

// AuthorizedMessage is a typed request a logged-in person sends on behalf
// of the customer (for a contract or the whole account), routed to the
// competent department.
type AuthorizedMessage struct {
	ID         string    `json:"id"`
	CustomerID string    `json:"customerId"`
	PersonID   string    `json:"personId"`
	ContractID string    `json:"contractId,omitempty"`
	Type       string    `json:"type"`
	Subject    string    `json:"subject"`
	Body       string    `json:"body"`
	Status     string    `json:"status"`
	CreatedAt  time.Time `json:"createdAt"`
	UpdatedAt  time.Time `json:"updatedAt"`
	// Answer is the department's latest answer (back office), AnsweredAt
	// when it was given and AnsweredBy the staff member who gave it.
	Answer     string     `json:"answer,omitempty" dynamodbav:",omitempty"`
	AnsweredAt *time.Time `json:"answeredAt,omitempty" dynamodbav:",omitempty"`
	AnsweredBy string     `json:"answeredBy,omitempty" dynamodbav:",omitempty"`
}

// MessageStatuses are the states the back office may set: a message starts
// received, and closed is final.
var MessageStatuses = []string{MessageInProgress, MessageAnswered, MessageClosed}

// Ticket categories.
const (
	TicketTechnical = "technical"
	TicketBilling   = "billing"
	TicketAccount   = "account"
	TicketOther     = "other"
)

// Ticket states. Open and awaiting_customer count as "open" in lists.
const (
	TicketOpen             = "open"
	TicketAwaitingCustomer = "awaiting_customer"
	TicketClosed           = "closed"
)

// Ticket is a support ticket with its conversation.
type Ticket struct {
	ID         string     `json:"id"`
	CustomerID string     `json:"-"`
	AuthorID   string     `json:"authorId"` // person who opened it
	ContractID string     `json:"contractId,omitempty"`
	Category   string     `json:"category"`
	Subject    string     `json:"subject"`
	Body       string     `json:"body"`
	Status     string     `json:"status"`
	Replies    int        `json:"replyCount"`
	CreatedAt  time.Time  `json:"createdAt"`
	UpdatedAt  time.Time  `json:"updatedAt"`
	ClosedAt   *time.Time `json:"closedAt,omitempty"`
}

// Reply authors.
const (
	ReplyByCustomer = "customer"
	ReplyByStaff    = "staff"
)

// TicketReply is one message of a ticket's conversation.
type TicketReply struct {
	ID            string    `json:"id"`
	TicketID      string    `json:"ticketId"`
	By            string    `json:"by"`                 // customer or staff
	PersonID      string    `json:"personId,omitempty"` // customer replies
	StaffName     string    `json:"staffName,omitempty"`
	Body          string    `json:"body"`
	AttachmentIDs []string  `json:"attachmentIds,omitempty"`
	CreatedAt     time.Time `json:"createdAt"`
}

// MaxAttachmentBytes bounds one ticket attachment (10 MiB).
const MaxAttachmentBytes = 10 << 20

// AttachmentTypes are the content types a ticket attachment may have.
var AttachmentTypes = []string{"application/pdf", "image/png", "image/jpeg", "text/plain"}

// TicketAttachment is a file uploaded to a ticket through a presigned URL
// and referenced by a reply.
type TicketAttachment struct {
	ID          string    `json:"id"`
	TicketID    string    `json:"ticketId"`
	FileName    string    `json:"fileName"`
	ContentType string    `json:"contentType"`
	Size        int64     `json:"size"`
	ReplyID     string    `json:"replyId,omitempty" dynamodbav:",omitempty"` // set once a reply references it
	Key         string    `json:"-"`                                         // S3 object key
	CreatedAt   time.Time `json:"createdAt"`
	// DownloadURL is a short-lived presigned link, set when reading a
	// ticket (never stored).
	DownloadURL string `json:"downloadUrl,omitempty" dynamodbav:"-"`
}

// Promotion is an offer shown in the client zone while valid, to the
// customers it targets.
type Promotion struct {
	ID string `json:"id"`
	// Title and Description by language; English is the fallback.
	Title       map[Language]string `json:"title"`
	Description map[Language]string `json:"description"`
	URL         string              `json:"url,omitempty"`
	ValidFrom   time.Time           `json:"validFrom"`
	ValidTo     time.Time           `json:"validTo"`
	// ServiceKinds, when set, limits the promotion to customers with a
	// service of one of these kinds.
	ServiceKinds []string `json:"serviceKinds,omitempty"`
	// Regions, when set, limits it to customers in these regions.
	Regions   []string  `json:"regions,omitempty"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// DocLink is a documentation link shown next to the promotions, with its
// title and URL per language (English is the fallback).
type DocLink struct {
	ID    string              `json:"id"`
	Title map[Language]string `json:"title"`
	URL   map[Language]string `json:"url"`
}
