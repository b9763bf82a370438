package app

import (
	"os"

	"github.com/aws/aws-sdk-go-v2/service/eventbridge"

	"github.com/clientzone/clientzone/shared/notify"
)

// eventBridge returns the deliverer of outbox events: PutEvents on the bus
// EVENT_BUS_NAME ("default" when unset), read here because only the outbox
// sender publishes.
func (d *Deps) eventBridge() notify.EventBridge {
	bus := os.Getenv("EVENT_BUS_NAME")
	if bus == "" {
		bus = "default"
	}
	return notify.EventBridge{API: eventbridge.NewFromConfig(d.AWS), Bus: bus}
}
