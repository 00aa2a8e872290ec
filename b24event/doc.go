// Package b24event receives the events a Bitrix24 portal sends: typed, verified, and without loss.
package b24event

// Data is the Go type of an event's data: a structure of the generated events package
// (eventdata.OnCrmDealAdd), which names its event.
type Data interface{ EventName() string }
