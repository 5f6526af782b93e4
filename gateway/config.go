package gateway

import (
	"log/slog"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/registry"
)

// Config configures a gateway. The zero value works, except DataDir.
type Config struct {
	// DataDir holds the gateway's database, blobs and credentials. Required.
	DataDir string
	// Listen is the API's address. Default ":7443".
	Listen string
	// Advertise is the host:port written into the credentials file for the
	// CLI. Default: 127.0.0.1 with Listen's port.
	Advertise string
	// MQTT is the household's MQTT broker, mqtt://[user[:pass]@]host[:port]
	// or mqtts://...; empty: streams get no messages (docs/streams.md).
	MQTT string
	// MQTTPassword, when set, is the broker's password (it then stays out
	// of MQTT, which shows in the process list).
	MQTTPassword string
	// Heartbeat is how often agents are asked to report. Default 2s.
	Heartbeat time.Duration
	// SuspectAfter marks a member suspect after this much silence.
	// Default 3 heartbeats.
	SuspectAfter time.Duration
	// LostAfter marks a member lost and revokes its leases. Default 4
	// heartbeats: a pool of thousands learns of a dead device within 10 s
	// (docs/scale.md), and a device on slow Wi-Fi still has 8 s.
	LostAfter time.Duration
	// LeaseTTL is how long a lease lives without a renewing heartbeat.
	// Default 5 heartbeats.
	LeaseTTL time.Duration
	// RestartGrace is how long, at least, a task lease loaded at the
	// gateway's start waits for its device to renew it. Default 30 s:
	// after a restart, thousands of devices come back in a crowd, 3,000 in
	// 10 to 25 s here (docs/scale.md), and a lease that expired meanwhile
	// throws away work done while the gateway was down.
	RestartGrace time.Duration
	// MaxBlobBytes caps one uploaded blob. Default 1 GiB.
	MaxBlobBytes int64
	// CallTimeout bounds reading a call and writing its answer, and how
	// long an idle connection is kept (net/http's ReadTimeout,
	// WriteTimeout and IdleTimeout), so that a peer that stalls does not
	// hold a connection for ever. Blob transfers get longer, by their
	// size (at least blobRate bytes a second). It must exceed the longest
	// lease poll (30 s). Default 2 minutes.
	CallTimeout time.Duration
	// Registry says how to reach image registries, to resolve the image of
	// an oci job (JobSpec.Image) at submit. Default: HTTPS, plain HTTP on
	// loopback.
	Registry registry.Options
	// Placement chooses how queued tasks go to devices: PlacementSpeed
	// (the default) holds a task back from a device when the devices that
	// report a faster speed would finish the queue before it finished the
	// task (docs/scheduling.md); PlacementFIFO gives the oldest task that
	// fits to whichever device asks first.
	Placement string
	// NoTailCopies turns off tail copies: when a job's queue is empty and
	// a device waits for work, the gateway gives it a copy of the job's
	// task that has run longest beyond the job's usual task time, and
	// takes whichever result comes first (docs/scheduling.md).
	NoTailCopies bool
	// FirmwareRoot is the TUF root.json (the release repository's
	// 1.root.json) that imported update bundles are verified against.
	// Default: none, and then firmware updates are off: the import answers
	// with an error, the devices' mirror with 404.
	FirmwareRoot string
	// MaxFirmwareBundle bounds an imported bundle. Default
	// api.MaxFirmwareBundle (512 MiB).
	MaxFirmwareBundle int64
	// FirmwareBatch is how many devices a rollout offers its release to at
	// once, after the canary committed it. Default 3.
	FirmwareBatch int
	// FirmwareStall is how long a device offered a release may take to
	// commit it before the rollout stops waiting for it (its offer stands,
	// but no longer counts against the batch; a canary that is not ready
	// gives its place to another). Default 30 minutes.
	FirmwareStall time.Duration
	// FirmwareStatus is the firmware status file of the appliance this
	// gateway runs on (hearth-init's /run/hearth/firmware.json), and
	// Updater its updater (hearth-update): with both, a gateway-role
	// appliance updates itself from its own mirror, once the devices of
	// its board have the release (selfupdate.go). Default: none, and the
	// gateway does not update itself.
	FirmwareStatus, Updater string
	// Logger receives the gateway's logs. Default: discard.
	Logger *slog.Logger
	// Version is reported in status. Default "dev".
	Version string
}

func (c Config) withDefaults() Config {
	if c.Listen == "" {
		c.Listen = ":7443"
	}
	if c.Heartbeat <= 0 {
		c.Heartbeat = 2 * time.Second
	}
	if c.SuspectAfter <= 0 {
		c.SuspectAfter = 3 * c.Heartbeat
	}
	if c.LostAfter <= 0 {
		c.LostAfter = 4 * c.Heartbeat
	}
	if c.LeaseTTL <= 0 {
		c.LeaseTTL = 5 * c.Heartbeat
	}
	if c.RestartGrace <= 0 {
		c.RestartGrace = 30 * time.Second
	}
	if c.CallTimeout <= 0 {
		c.CallTimeout = 2 * time.Minute
	}
	if c.MaxBlobBytes <= 0 {
		c.MaxBlobBytes = 1 << 30
	}
	if c.MaxFirmwareBundle <= 0 {
		c.MaxFirmwareBundle = api.MaxFirmwareBundle
	}
	if c.FirmwareBatch <= 0 {
		c.FirmwareBatch = 3
	}
	if c.FirmwareStall <= 0 {
		c.FirmwareStall = 30 * time.Minute
	}
	if c.Placement == "" {
		c.Placement = PlacementSpeed
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	if c.Version == "" {
		c.Version = "dev"
	}
	return c
}
