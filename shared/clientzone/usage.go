package clientzone

import "time"

// Call directions.
const (
	CallOutgoing = "outgoing"
	CallIncoming = "incoming"
)

// Call is one VoIP call of a contract, as rated by the provider's switch.
// A call is identified by its start time and id together: re-ingesting the
// same call replaces it.
type Call struct {
	ID              string    `json:"id"`
	ContractID      string    `json:"contractId"`
	StartedAt       time.Time `json:"startedAt"`
	Direction       string    `json:"direction"` // outgoing or incoming
	From            string    `json:"from"`
	To              string    `json:"to"`
	Destination     string    `json:"destination"` // zone or destination name, e.g. "Slovakia mobile"
	DurationSeconds int       `json:"durationSeconds"`
	Price           Money     `json:"price"`
}

// TrafficDay is the data transferred on one day (UTC) by a contract, or by
// one of its IP addresses when IP is set.
type TrafficDay struct {
	Date          string `json:"date"` // YYYY-MM-DD
	IP            string `json:"ip,omitempty"`
	DownloadBytes int64  `json:"downloadBytes"`
	UploadBytes   int64  `json:"uploadBytes"`
}

// Service protocol kinds.
const (
	ProtocolInstallation = "installation"
	ProtocolHandover     = "handover"
	ProtocolRepair       = "repair"
	ProtocolOther        = "other"
)

// ServiceProtocol is a signed record of technical work on a contract
// (installation, handover, repair).
type ServiceProtocol struct {
	ID          string `json:"id"`
	ContractID  string `json:"contractId"`
	Number      string `json:"number"`
	Kind        string `json:"kind"`
	Date        string `json:"date"` // YYYY-MM-DD
	Title       string `json:"title"`
	Technician  string `json:"technician,omitempty"`
	Summary     string `json:"summary,omitempty"`
	DocumentURL string `json:"documentUrl,omitempty"`
}

// Support request states.
const (
	SupportOpen       = "open"
	SupportInProgress = "in_progress"
	SupportResolved   = "resolved"
	SupportClosed     = "closed"
)

// SupportRequest is a technical support request about a contract, as kept
// by the provider's helpdesk.
type SupportRequest struct {
	ID         string     `json:"id"`
	ContractID string     `json:"contractId"`
	Number     string     `json:"number"`
	OpenedAt   time.Time  `json:"openedAt"`
	ClosedAt   *time.Time `json:"closedAt,omitempty"`
	Status     string     `json:"status"`
	Subject    string     `json:"subject"`
	Resolution string     `json:"resolution,omitempty"`
}
