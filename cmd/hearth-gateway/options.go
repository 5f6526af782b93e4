package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hearth-home/hearth/gateway"
	"github.com/hearth-home/hearth/gateway/storage"
	"github.com/hearth-home/hearth/internal/logflag"
	"github.com/hearth-home/hearth/internal/registry"
)

// options are the command line. Flags map onto gateway.Config.
type options struct {
	dataDir     string
	listen      string
	advertise   string
	ifaces      string
	noMDNS      bool
	dev         bool
	heartbeat   time.Duration
	placement   string
	noTail      bool
	insecure    string
	fwRoot      string
	fwBatch     int
	fwStatus    string
	updater     string
	mqtt        string
	mqttPass    string // read from --mqtt-password-file
	mqttFile    string
	metrics     string
	pprof       string
	dashboard   string
	storage     string
	storageOn   string
	repairAfter time.Duration
	scrubEvery  time.Duration
	dashHosts   string
	// metricsToken is read from --metrics-token-file.
	metricsToken, metricsTokenFile string
	log                            logflag.Flags
	version                        bool
	market                         marketOptions
}

func (o *options) flags(out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("hearth-gateway", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprint(out, usage)
		fs.PrintDefaults()
	}
	fs.StringVar(&o.dataDir, "data-dir", "", "where the gateway keeps its database, blobs and credentials\n(default /var/lib/hearth-gateway as root, else ~/.local/state/hearth/gateway;\n with --dev ~/.local/state/hearth/dev)")
	fs.StringVar(&o.listen, "listen", "", "API address (default \":7443\"; with --dev \"127.0.0.1:7443\")")
	fs.StringVar(&o.advertise, "advertise", "", "host:port that the CLI should use, written into the credentials file\n(default 127.0.0.1 and the listen port)")
	fs.StringVar(&o.ifaces, "iface", "", "comma-separated network interfaces to announce on over mDNS (default: all\nmulticast interfaces; with --dev none unless given)")
	fs.BoolVar(&o.noMDNS, "no-mdns", false, "do not announce over mDNS; agents then need --join host:port")
	fs.BoolVar(&o.dev, "dev", false, "development mode: a gateway and an agent in one process, loopback only,\nno set-up; the CLI finds its credentials by itself")
	fs.DurationVar(&o.heartbeat, "heartbeat", 0, "interval agents report at; members are suspect after 3 and lost after 4\nmissed heartbeats (default 2s)")
	fs.BoolVar(&o.noTail, "no-tail-copies", false, "do not give an idle device a copy of a task that runs well past its job's\nusual time (docs/certification.md#tail-copies-jobs-that-do-not-wait-for-their-slowest-device)")
	fs.StringVar(&o.placement, "placement", gateway.PlacementSpeed, "how queued tasks go to devices: \"speed\" holds a task back from a device\nwhen faster ones would finish the queue sooner; \"fifo\" gives it to whichever\nasks first (docs/scheduling.md)")
	fs.StringVar(&o.insecure, "insecure-registry", "", registry.InsecureFlag)
	fs.StringVar(&o.fwRoot, "firmware-root", "", "the TUF root.json of Hearth's releases (the release repository's\n1.root.json) that imported update bundles are verified against; without\nit firmware updates are off (docs/firmware.md)")
	fs.StringVar(&o.fwStatus, "firmware-status", "", "the firmware status of the Hearth OS appliance this gateway runs on\n(hearth-init passes /run/hearth/firmware.json): with --updater, the gateway\nupdates the appliance too, once its devices have the release")
	fs.StringVar(&o.updater, "updater", "", "the appliance's updater (hearth-init passes the slot's hearth-update)")
	fs.StringVar(&o.mqtt, "mqtt", "", "the household's MQTT broker that streams read and publish to:\nmqtt://[user[:pass]@]host[:port] or mqtts://... (docs/streams.md); with\n--dev, default: a mosquitto of its own on loopback when it is installed")
	fs.StringVar(&o.mqttFile, "mqtt-password-file", "", "a file holding the MQTT broker's password, kept out of --mqtt (which\nthe process list shows)")
	fs.StringVar(&o.metrics, "metrics", "", "where to serve Prometheus metrics at /metrics, e.g. 127.0.0.1:7390\n(default off; with --dev 127.0.0.1:7390; \"off\" turns them off); an\naddress other than loopback needs --metrics-token-file (docs/operations.md)")
	fs.StringVar(&o.pprof, "pprof", "", "serve Go's profiler (net/http/pprof) on this loopback address, e.g.\n127.0.0.1:6060, to see where the gateway's CPU and memory go (default off;\ndocs/scale.md)")
	fs.StringVar(&o.metricsTokenFile, "metrics-token-file", "", "a file holding the bearer token that a scrape of --metrics must send\n(Prometheus: authorization: credentials_file)")
	fs.StringVar(&o.dashboard, "dashboard", "", "where to serve the household's web dashboard (default 127.0.0.1:7380, or a\nfree loopback port when that is taken; \"off\" turns it off): plain HTTP on\nloopback, TLS with a certificate of its own on any other address, e.g.\n:7380 for phones on the LAN; \"hearth dashboard\" opens it (docs/dashboard.md)")
	fs.StringVar(&o.storageOn, "storage-on", "", "where the backups live: \"devices\" (erasure-coded over the agents started\nwith --storage-dir, so that devices may be lost) or \"gateway\" (this\ndevice's disk only); default devices, with --dev gateway")
	fs.DurationVar(&o.repairAfter, "storage-repair-after", storage.DefaultRepairAfter, "how long a device that keeps backup shards may be away before they are\nrebuilt on the others (hearth storage repair --now does it at once)")
	fs.DurationVar(&o.scrubEvery, "storage-scrub-every", storage.DefaultScrubEvery, "how often every backup shard is read and checked on its device")
	fs.StringVar(&o.storage, "storage", "", "where to serve the home's backup storage for restic (its REST protocol over\nTLS), e.g. :7480 (default off; with --dev 127.0.0.1:7480); users come from\n\"hearth storage user add NAME\" (docs/storage.md)")
	fs.StringVar(&o.dashHosts, "dashboard-host", "", "comma-separated extra host names the dashboard answers to and its\ncertificate names (it always answers to loopback, its address, the host\nname and NAME.local)")
	fs.IntVar(&o.fwBatch, "firmware-batch", 3, "how many devices a firmware rollout updates at once, after its first\ndevice (the canary) committed the release")
	o.market.register(fs)
	o.log.Register(fs)
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
	return fs
}

func stateDir(sub string) string {
	if d := os.Getenv("XDG_STATE_HOME"); filepath.IsAbs(d) {
		return filepath.Join(d, "hearth", sub)
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "state", "hearth", sub)
	}
	return filepath.Join(os.TempDir(), "hearth-"+sub)
}

func (o options) config(logger *slog.Logger) gateway.Config {
	dir := o.dataDir
	if dir == "" {
		dir = "/var/lib/hearth-gateway"
		if os.Geteuid() != 0 {
			dir = stateDir("gateway")
		}
	}
	return gateway.Config{DataDir: dir, Listen: o.listen, Advertise: o.advertise, Heartbeat: o.heartbeat,
		Placement: o.placement, NoTailCopies: o.noTail, FirmwareRoot: o.fwRoot, FirmwareBatch: o.fwBatch, FirmwareStatus: o.fwStatus, Updater: o.updater, MQTT: o.mqtt, MQTTPassword: o.mqttPass, Registry: registry.Options{Insecure: registry.SplitHosts(o.insecure)}, Logger: logger, Version: version}
}

// readSecrets reads the files that flags name secrets in.
func (o *options) readSecrets() error {
	if o.mqttFile != "" {
		b, err := os.ReadFile(o.mqttFile)
		if err != nil {
			return fmt.Errorf("--mqtt-password-file: %w", err)
		}
		o.mqttPass = strings.TrimRight(string(b), "\r\n")
	}
	if o.mqtt != "" {
		if _, _, _, err := gateway.ParseMQTT(o.mqtt); err != nil {
			return err
		}
	}
	if o.metricsTokenFile != "" {
		b, err := os.ReadFile(o.metricsTokenFile)
		if err != nil {
			return fmt.Errorf("--metrics-token-file: %w", err)
		}
		if o.metricsToken = strings.TrimSpace(string(b)); len(o.metricsToken) < 16 {
			return fmt.Errorf("--metrics-token-file %s: the token is %d characters, want at least 16 (openssl rand -hex 16 makes one)", o.metricsTokenFile, len(o.metricsToken))
		}
	}
	return nil
}

func (o options) dashboardHosts() []string {
	var out []string
	for _, s := range strings.Split(o.dashHosts, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (o options) interfaces() []string {
	var out []string
	for _, s := range strings.Split(o.ifaces, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func (o options) logger(w io.Writer) (*slog.Logger, error) { return o.log.Logger(w) }
