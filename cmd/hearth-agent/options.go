package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"strconv"
	"strings"

	"github.com/hearth-home/hearth/agent"
	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/bytesize"
	"github.com/hearth-home/hearth/internal/identity"
	"github.com/hearth-home/hearth/internal/logflag"
)

// tokenEnv is the environment variable that may hold the join token.
const tokenEnv = "HEARTH_JOIN_TOKEN"

// options are the command line. They map onto agent.Config.
type options struct {
	dataDir   string
	name      string
	join      string
	gatewayID string
	token     string
	tokenFile string
	ifaces    string
	noMDNS    bool
	slots     int
	streams   int
	cache     int64
	minFree   int64
	storDir   string
	storQuota string
	fwStatus  string
	readyFile string
	updater   string
	oci       ociOptions
	power     powerOptions
	log       logflag.Flags
	version   bool
}

func (o *options) flags(out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("hearth-agent", flag.ContinueOnError)
	fs.SetOutput(out)
	fs.Usage = func() {
		fmt.Fprint(out, usage)
		fs.PrintDefaults()
	}
	fs.StringVar(&o.dataDir, "data-dir", "", "where the agent keeps its identity, pinned gateway, unsent results and\ncaches (default /var/lib/hearth-agent as root, else\n$XDG_STATE_HOME/hearth/agent or ~/.local/state/hearth/agent)")
	fs.StringVar(&o.name, "name", "", "the device's name in \"hearth pool ls\" (default: the host name)")
	fs.StringVar(&o.join, "join", "", "the gateway's host:port, for networks where mDNS does not work, e.g.\n192.168.1.10:7443 (default: find the gateway over mDNS; the port defaults\nto "+strconv.Itoa(api.DefaultPort)+")")
	fs.StringVar(&o.gatewayID, "gateway-id", "", "trust only the gateway with this node ID (default: the ID in the join\ntoken, else the gateway this agent paired with before, else the first\ngateway that pairs it)")
	fs.StringVar(&o.token, "token", "", "the join token that \"hearth-gateway init\" printed, to pair without\napproval; process listings show it, so prefer --token-file or $"+tokenEnv)
	fs.StringVar(&o.tokenFile, "token-file", "", "a file holding the join token, e.g. on a Raspberry Pi's boot partition")
	fs.StringVar(&o.ifaces, "iface", "", "comma-separated network interfaces for mDNS, e.g. eth0,wlan0 (default: every\nup, multicast-capable interface with an address)")
	fs.BoolVar(&o.noMDNS, "no-mdns", false, "neither announce this agent nor look for the gateway over mDNS; needs\n--join (for tests and networks where multicast must not go)")
	fs.IntVar(&o.slots, "slots", 0, "how many tasks to run at once (default: one per CPU)")
	fs.IntVar(&o.streams, "streams", agent.DefaultStreams, "how many stream partitions to run at once, beside the tasks (0: none;\ndocs/streams.md)")
	fs.Int64Var(&o.cache, "cache-budget", 0, "bytes that cached apps and inputs may take before those no running task\nuses are removed, least recently used first (default 2 GiB; -1: no bound)")
	fs.Int64Var(&o.minFree, "min-free-disk", 0, "bytes that must stay free on the data directory's disk: below it the\nagent asks for no work and \"hearth pool ls\" says why (default 512 MiB;\n-1: never refuse)")
	fs.StringVar(&o.storDir, "storage-dir", "", "keep shards of the home's backups in this directory, e.g. a USB disk's\n/mnt/usb/hearth (docs/storage.md; default: none, this device keeps no backups)")
	fs.StringVar(&o.storQuota, "storage-quota", "", "at most this much of --storage-dir for backups, e.g. 200G (default: what\nthe disk has, less --min-free-disk)")
	fs.StringVar(&o.fwStatus, "firmware-status", "", "the device's firmware status file, reported to the gateway in every\nheartbeat (/run/hearth/firmware.json on Hearth OS; default: none)")
	fs.StringVar(&o.readyFile, "ready-file", "", "write this file once the agent is paired with its pinned gateway and three\nheartbeats in a row were answered (hearth-init commits a trial boot by it)")
	fs.StringVar(&o.updater, "updater", "", "the program to run when the gateway offers a firmware update, as\nPROGRAM --data-dir DIR --version V (default: none; offers are logged)")
	o.oci.register(fs)
	o.power.register(fs)
	o.log.Register(fs)
	fs.BoolVar(&o.version, "version", false, "print the version and exit")
	return fs
}

// setup is what the command line resolves to.
type setup struct {
	cfg    agent.Config // without runtimes and discovery, which serve adds
	ifaces []string
	noMDNS bool // no discovery at all
	oci    ociOptions
	power  powerOptions
	logger *slog.Logger
}

// resolve checks the options and reads the token, so that mistakes are
// reported before anything starts.
func (o options) resolve(getenv func(string) string, logTo io.Writer) (setup, error) {
	var s setup
	var err error
	if s.logger, err = o.newLogger(logTo); err != nil {
		return s, err
	}
	s.cfg = agent.Config{DataDir: o.dataDir, Name: o.name, Slots: o.slots, Streams: o.streams, Version: version, Logger: s.logger,
		CacheBudget: o.cache, MinFreeDisk: o.minFree, FirmwareStatus: o.fwStatus, ReadyFile: o.readyFile, Updater: o.updater}
	if s.cfg.DataDir == "" {
		s.cfg.DataDir = agent.DefaultDataDir()
	}
	if o.slots < 0 {
		return s, fmt.Errorf("--slots: %d is negative; give the number of tasks to run at once, or 0 for one per CPU", o.slots)
	}
	switch {
	case o.streams < 0:
		return s, fmt.Errorf("--streams: %d is negative; give the number of stream partitions to run at once, or 0 for none", o.streams)
	case o.streams == 0:
		s.cfg.Streams = -1 // none (Config's zero is its default)
	}
	if o.cache < -1 || o.minFree < -1 {
		return s, fmt.Errorf("--cache-budget %d, --min-free-disk %d: give bytes, 0 for the default, or -1", o.cache, o.minFree)
	}
	if s.cfg.StorageQuota, err = bytesize.Parse(o.storQuota); err != nil {
		return s, fmt.Errorf("--storage-quota %q: %w", o.storQuota, err)
	}
	if o.storQuota != "" && o.storDir == "" {
		return s, fmt.Errorf("--storage-quota without --storage-dir: name the directory that keeps the backup shards")
	}
	s.cfg.StorageDir = o.storDir
	if o.updater != "" {
		if st, err := os.Stat(o.updater); err != nil || st.IsDir() || st.Mode()&0o111 == 0 {
			return s, fmt.Errorf("--updater %s: not an executable file", o.updater)
		}
	}
	if o.join != "" {
		if s.cfg.Gateway, err = joinAddr(o.join); err != nil {
			return s, err
		}
	}
	if o.noMDNS && o.join == "" {
		return s, fmt.Errorf("--no-mdns needs --join host:port: without mDNS the agent has no other way to find the gateway")
	}
	s.noMDNS = o.noMDNS
	if o.gatewayID != "" {
		if _, err := identity.ParseNodeID(o.gatewayID); err != nil {
			return s, fmt.Errorf("--gateway-id: %v; copy the gateway ID that `hearth-gateway init` or `hearth status` prints", err)
		}
		s.cfg.GatewayID = o.gatewayID
	}
	if s.cfg.JoinToken, err = o.joinToken(getenv); err != nil {
		return s, err
	}
	if s.oci, err = o.oci.resolve(getenv); err != nil {
		return s, err
	}
	if err := checkLocalAPI(o.power.localAPI); err != nil {
		return s, err
	}
	s.power = o.power
	for _, name := range strings.Split(o.ifaces, ",") {
		if name = strings.TrimSpace(name); name != "" {
			s.ifaces = append(s.ifaces, name)
		}
	}
	return s, nil
}

// joinToken takes the token from --token, else --token-file, else the
// environment.
func (o options) joinToken(getenv func(string) string) (string, error) {
	tok, from := o.token, "--token"
	switch {
	case o.token != "" && o.tokenFile != "":
		return "", fmt.Errorf("--token and --token-file both given; give one")
	case o.tokenFile != "":
		raw, err := os.ReadFile(o.tokenFile)
		if err != nil {
			return "", fmt.Errorf("--token-file: %w", err)
		}
		tok, from = strings.TrimSpace(string(raw)), "--token-file "+o.tokenFile
	case o.token == "":
		tok, from = strings.TrimSpace(getenv(tokenEnv)), "$"+tokenEnv
	}
	if tok == "" {
		return "", nil
	}
	if _, err := api.ParseJoinToken(tok); err != nil {
		return "", fmt.Errorf("%s: %v", from, err)
	}
	return tok, nil
}

// joinAddr accepts host:port, or a bare host with the default port.
func joinAddr(s string) (string, error) {
	bad := fmt.Errorf("--join: %q is not host:port, e.g. 192.168.1.10:%d", s, api.DefaultPort)
	if host, port, err := net.SplitHostPort(s); err == nil {
		if host == "" || port == "" {
			return "", bad
		}
		return s, nil
	}
	host := strings.TrimSuffix(strings.TrimPrefix(s, "["), "]")
	if host == "" || strings.ContainsAny(host, " /[]") {
		return "", bad
	}
	return net.JoinHostPort(host, strconv.Itoa(api.DefaultPort)), nil
}

func (o options) newLogger(w io.Writer) (*slog.Logger, error) { return o.log.Logger(w) }
