package home

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/hearthtest/netnstest"
)

// Options shape a Home. The zero value is a gateway and three agents that
// pair with the join token.
type Options struct {
	// Agents is the number of agents. Default 3.
	Agents int
	// GatewayOnly starts no agent (Agents still sizes the network): for
	// devices that join otherwise, such as a VM on a tap (AddTap).
	GatewayOnly bool
	// Bin is the directory holding hearth, hearth-agent, hearth-gateway.
	// Default: bin/ at the module root.
	Bin string
	// Dir holds every node's data dir and log. Default: a new temp dir,
	// removed by Close.
	Dir string
	// Prefix starts the namespaces' names. Default "hh".
	Prefix string
	// NoToken starts agents without the join token: they wait as pending.
	NoToken bool
	// Heartbeat is the gateway's --heartbeat. Default 1s.
	Heartbeat time.Duration
	// AgentArgs are extra flags for every agent (e.g. --slots 2).
	AgentArgs []string
	// PerAgent shapes agents one by one: entry i applies to agent i+1.
	// Agents past its end, and zero entries, are plain agents.
	PerAgent []AgentOptions
	// GatewayArgs are extra flags for the gateway (e.g. --dev-chain).
	GatewayArgs []string
	// Log receives every process's output, prefixed by its name.
	// Default: only kept in the nodes' log files.
	Log io.Writer
}

// AgentOptions shape one agent of a Home. The zero value is a plain agent:
// Bin/hearth-agent, named agent-N, finding the gateway over mDNS.
type AgentOptions struct {
	// Name is the agent's --name and its log's name. Default "agent-N".
	Name string
	// Binary is the agent's executable, e.g. one built for another
	// architecture. Default: hearth-agent in Options.Bin.
	Binary string
	// Wrapper runs Binary under another program, e.g.
	// []string{"qemu-arm-static"} for an ARM build on an amd64 host. The
	// wrapper must exec or emulate Binary in its own process, so that
	// signals reach the agent. Default: none.
	Wrapper []string
	// Join gives the agent the gateway's address (--join) instead of
	// letting it find the gateway over mDNS: programs under qemu-user
	// cannot join multicast groups.
	Join bool
	// Args are extra flags for this agent, after Options.AgentArgs.
	Args []string
	// HostMounts enters only the node's network namespace (nsenter --net),
	// keeping the host's mounts: `ip netns exec` mounts a sysfs of the
	// namespace's own, without the cgroup file systems, where runc cannot
	// make a container's cgroup.
	HostMounts bool
}

// Home is a running simulated home.
type Home struct {
	opts    Options
	net     *netnstest.Home
	ownDir  bool
	Token   string
	Creds   string // credentials file for the CLI
	GwAddr  string // gateway's host:port inside the home
	Gateway *Proc
	Agents  []*Proc
}

// Proc is a node process.
type Proc struct {
	Name    string
	NS      string
	DataDir string
	Started time.Time

	cmd0 string // ip (netns exec) or nsenter, which exec the node
	args []string
	home *Home
	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
}

// Start builds the network, initialises and starts the gateway, and starts
// the agents. It does not wait for them to pair: see WaitReady.
func Start(ctx context.Context, opts Options) (h *Home, err error) {
	if opts.Agents <= 0 {
		opts.Agents = 3
	}
	if opts.Prefix == "" {
		opts.Prefix = "hh"
	}
	if opts.Heartbeat <= 0 {
		opts.Heartbeat = time.Second
	}
	if opts.Bin == "" {
		opts.Bin = filepath.Join(moduleRoot(), "bin")
	}
	for _, b := range []string{"hearth", "hearth-agent", "hearth-gateway"} {
		if _, err := os.Stat(filepath.Join(opts.Bin, b)); err != nil {
			return nil, fmt.Errorf("%s not built in %s: run `make build` first", b, opts.Bin)
		}
	}
	h = &Home{opts: opts}
	if opts.Dir == "" {
		if h.opts.Dir, err = os.MkdirTemp("", "hearth-home-"); err != nil {
			return nil, err
		}
		h.ownDir = true
	}
	defer func() {
		if err != nil {
			h.Close()
		}
	}()
	if h.net, err = netnstest.Build(opts.Prefix, opts.Agents+1); err != nil {
		return nil, err
	}
	gw := h.net.Nodes[0]
	h.GwAddr = net.JoinHostPort(gw.IP.String(), strconv.Itoa(api.DefaultPort))
	gwDir := filepath.Join(h.opts.Dir, "gateway")
	common := []string{"--data-dir", gwDir, "--listen", ":" + strconv.Itoa(api.DefaultPort), "--advertise", h.GwAddr}
	out, err := netnstest.CommandContext(ctx, gw.Namespace, filepath.Join(opts.Bin, "hearth-gateway"), append([]string{"init"}, common...)...).CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("hearth-gateway init: %v\n%s", err, out)
	}
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "Join token:"); ok {
			h.Token = strings.TrimSpace(v)
		}
	}
	if h.Token == "" {
		return nil, fmt.Errorf("hearth-gateway init printed no join token:\n%s", out)
	}
	h.Creds = filepath.Join(gwDir, "credentials.json")
	h.Gateway = h.newProc("gateway", gw.Namespace, gwDir, filepath.Join(opts.Bin, "hearth-gateway"),
		append(append(common, "--iface", gw.Interface, "--heartbeat", opts.Heartbeat.String(), "--log-level", "debug"), opts.GatewayArgs...)...)
	if err := h.Gateway.Start(); err != nil {
		return nil, err
	}
	for i := range opts.Agents {
		if opts.GatewayOnly {
			break
		}
		if _, err := h.AddAgent(i + 1); err != nil {
			return nil, err
		}
	}
	return h, nil
}

// AddAgent starts an agent on node i (1..Agents) with a fresh data dir,
// shaped by Options.PerAgent[i-1] when there is one.
func (h *Home) AddAgent(i int) (*Proc, error) {
	n := h.net.Nodes[i]
	var ao AgentOptions
	if i-1 < len(h.opts.PerAgent) {
		ao = h.opts.PerAgent[i-1]
	}
	name := ao.Name
	if name == "" {
		name = fmt.Sprintf("agent-%d", i)
	}
	bin := ao.Binary
	if bin == "" {
		bin = filepath.Join(h.opts.Bin, "hearth-agent")
	}
	dir := filepath.Join(h.opts.Dir, fmt.Sprintf("%s-%d", name, time.Now().UnixNano()))
	args := []string{"--data-dir", dir, "--name", name, "--iface", n.Interface, "--log-level", "debug"}
	if ao.Join {
		args = append(args, "--join", h.GwAddr)
	}
	if !h.opts.NoToken {
		args = append(args, "--token", h.Token)
	}
	args = append(append(args, h.opts.AgentArgs...), ao.Args...)
	if len(ao.Wrapper) > 0 {
		args = append(append(slices.Clone(ao.Wrapper[1:]), bin), args...)
		bin = ao.Wrapper[0]
	}
	p := h.newProc(name, n.Namespace, dir, bin, args...)
	if ao.HostMounts {
		p.cmd0 = "nsenter"
		p.args = append([]string{"--net=/run/netns/" + n.Namespace, "--"}, append([]string{bin}, args...)...)
	}
	if i-1 < len(h.Agents) {
		h.Agents[i-1].Kill()
		h.Agents[i-1] = p
	} else {
		h.Agents = append(h.Agents, p)
	}
	return p, p.Start()
}

func (h *Home) newProc(name, ns, dir, bin string, args ...string) *Proc {
	return &Proc{Name: name, NS: ns, DataDir: dir, cmd0: "ip", args: append([]string{"netns", "exec", ns, bin}, args...), home: h}
}

// Start (re)starts the process with its data dir as it is.
func (p *Proc) Start() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := os.MkdirAll(p.DataDir, 0o700); err != nil {
		return err
	}
	logf, err := os.OpenFile(filepath.Join(p.DataDir, "..", p.Name+".log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	var out io.Writer = logf
	if p.home.opts.Log != nil {
		out = io.MultiWriter(logf, &prefixWriter{w: p.home.opts.Log, prefix: p.Name + "| "})
	}
	cmd := exec.Command(p.cmd0, p.args...)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	p.Started = time.Now()
	if err := cmd.Start(); err != nil {
		logf.Close()
		return fmt.Errorf("start %s: %w", p.Name, err)
	}
	p.cmd, p.done = cmd, make(chan struct{})
	done := p.done
	go func() {
		cmd.Wait()
		logf.Close()
		close(done)
	}()
	return nil
}

// Kill sends SIGKILL to the process (`ip netns exec` execs it, so the pid
// is the node's) and waits for it.
func (p *Proc) Kill() { p.signal(syscall.SIGKILL) }

// Stop asks the process to stop (SIGTERM), then kills it after 5 s.
func (p *Proc) Stop() {
	p.signal(syscall.SIGTERM)
}

func (p *Proc) signal(sig syscall.Signal) {
	p.mu.Lock()
	cmd, done := p.cmd, p.done
	p.mu.Unlock()
	if cmd == nil {
		return
	}
	syscall.Kill(-cmd.Process.Pid, sig)
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
}

// Pid is the node process's pid, 0 when not running.
func (p *Proc) Pid() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd == nil {
		return 0
	}
	select {
	case <-p.done:
		return 0
	default:
		return p.cmd.Process.Pid
	}
}

// Log returns what the process has printed so far.
func (p *Proc) Log() string {
	b, _ := os.ReadFile(filepath.Join(p.DataDir, "..", p.Name+".log"))
	return string(b)
}

// CLI runs `hearth args...` in the gateway's namespace with the owner's
// credentials and returns its stdout; stderr is in the error.
func (h *Home) CLI(ctx context.Context, args ...string) ([]byte, error) {
	return h.CLIAs(ctx, h.Creds, args...)
}

// CLIAs runs `hearth args...` in the gateway's namespace with the
// credentials file creds (another gateway's on the home's network, say)
// and returns its stdout; stderr is in the error.
func (h *Home) CLIAs(ctx context.Context, creds string, args ...string) ([]byte, error) {
	cmd := netnstest.CommandContext(ctx, h.net.Nodes[0].Namespace, filepath.Join(h.opts.Bin, "hearth"), append([]string{"--credentials", creds}, args...)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return out, fmt.Errorf("hearth %s: %v: %s", strings.Join(args, " "), err, stderr.String())
	}
	return out, nil
}

// Market runs `hearth market args...` in the gateway's namespace, where
// the gateway's market.json says where its market is, and returns its
// stdout; stderr is in the error.
func (h *Home) Market(ctx context.Context, args ...string) ([]byte, error) {
	args = append(append([]string{"market"}, args...), "--market", filepath.Join(filepath.Dir(h.Creds), "market.json"))
	cmd := netnstest.CommandContext(ctx, h.net.Nodes[0].Namespace, filepath.Join(h.opts.Bin, "hearth"), args...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return out, fmt.Errorf("hearth %s: %v: %s", strings.Join(args, " "), err, stderr.String())
	}
	return out, nil
}

// CLIJSON runs a CLI command with -o json and decodes its output into v.
func (h *Home) CLIJSON(ctx context.Context, v any, args ...string) error {
	out, err := h.CLI(ctx, append(args, "-o", "json")...)
	if err != nil {
		return err
	}
	return json.Unmarshal(out, v)
}

// Members lists the pool through the CLI.
func (h *Home) Members(ctx context.Context) ([]api.Member, error) {
	var ms []api.Member
	return ms, h.CLIJSON(ctx, &ms, "pool", "ls")
}

// WaitReady waits until n members are ready, or ctx ends.
func (h *Home) WaitReady(ctx context.Context, n int) ([]api.Member, error) {
	for {
		ms, err := h.Members(ctx)
		ready := 0
		for _, m := range ms {
			if m.State == api.MemberReady {
				ready++
			}
		}
		if err == nil && ready >= n {
			return ms, nil
		}
		select {
		case <-ctx.Done():
			return ms, fmt.Errorf("%d of %d members ready (last error: %v): %w", ready, n, err, ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// AddTap adds a tap device to the home's bridge for a VM: see
// netnstest.Home.AddTap.
func (h *Home) AddTap() (netnstest.Tap, error) { return h.net.AddTap() }

// ReplaceGateway is a gateway whose disk was lost: it kills the gateway,
// deletes its data dir, initialises a new one in its place (a new
// identity, join token and credentials, at the same paths) and starts it.
// The agents are pinned to the old one: RejoinAgent pairs one again.
func (h *Home) ReplaceGateway(ctx context.Context) error {
	h.Gateway.Kill()
	if err := os.RemoveAll(h.Gateway.DataDir); err != nil {
		return err
	}
	gw := h.net.Nodes[0]
	common := []string{"--data-dir", h.Gateway.DataDir, "--listen", ":" + strconv.Itoa(api.DefaultPort), "--advertise", h.GwAddr}
	out, err := netnstest.CommandContext(ctx, gw.Namespace, filepath.Join(h.opts.Bin, "hearth-gateway"), append([]string{"init"}, common...)...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("hearth-gateway init: %v\n%s", err, out)
	}
	h.Token = ""
	for _, line := range strings.Split(string(out), "\n") {
		if v, ok := strings.CutPrefix(line, "Join token:"); ok {
			h.Token = strings.TrimSpace(v)
		}
	}
	if h.Token == "" {
		return fmt.Errorf("hearth-gateway init printed no join token:\n%s", out)
	}
	return h.Gateway.Start()
}

// RejoinAgent restarts agent i (1..Agents) with its data dir (its
// identity) and flags, but the current join token: after ReplaceGateway,
// it pairs with the new gateway.
func (h *Home) RejoinAgent(i int) error {
	p := h.Agents[i-1]
	p.Kill()
	p.mu.Lock()
	at := slices.Index(p.args, "--token")
	if at >= 0 && at+1 < len(p.args) {
		p.args[at+1] = h.Token
	} else {
		p.args = append(p.args, "--token", h.Token)
	}
	p.mu.Unlock()
	return p.Start()
}

// Close stops every process and deletes the network and, when Start made
// it, the data dir.
func (h *Home) Close() error {
	var procs []*Proc
	if h.Gateway != nil {
		procs = append(procs, h.Gateway)
	}
	procs = append(procs, h.Agents...)
	var wg sync.WaitGroup
	for _, p := range procs {
		wg.Add(1)
		go func() { defer wg.Done(); p.Stop() }()
	}
	wg.Wait()
	var err error
	if h.net != nil {
		err = h.net.Close()
	}
	if h.ownDir {
		err = errors.Join(err, os.RemoveAll(h.opts.Dir))
	}
	return err
}

// moduleRoot finds the directory holding go.mod, from the working directory up.
func moduleRoot() string {
	dir, _ := os.Getwd()
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return dir
		}
	}
}

type prefixWriter struct {
	mu     sync.Mutex
	w      io.Writer
	prefix string
	mid    bool
}

func (p *prefixWriter) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []byte
	for _, c := range b {
		if !p.mid {
			out = append(out, p.prefix...)
			p.mid = true
		}
		out = append(out, c)
		if c == '\n' {
			p.mid = false
		}
	}
	_, err := p.w.Write(out)
	return len(b), err
}
