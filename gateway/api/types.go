package api

import (
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Duration is a time.Duration written as "30s" in JSON and YAML.
type Duration time.Duration

// D returns the time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

func (d Duration) String() string { return time.Duration(d).String() }

// MarshalText implements encoding.TextMarshaler.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// UnmarshalText accepts Go duration syntax ("1m30s"); a bare number is seconds.
func (d *Duration) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	if n, err := strconv.ParseFloat(s, 64); err == nil {
		// Converting NaN, an infinity or an overflowing float to an
		// integer gives a different wrong value on each platform.
		if ns := n * float64(time.Second); !(math.Abs(ns) < math.MaxInt64) {
			return fmt.Errorf("not a duration (like 30s or 2m): %q", s)
		}
		*d = Duration(n * float64(time.Second))
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("not a duration (like 30s or 2m): %q", s)
	}
	*d = Duration(v)
	return nil
}

// Bytes is a size written as "64Mi", "1G", "512k" or a plain number of bytes.
type Bytes int64

// MarshalText implements encoding.TextMarshaler.
func (b Bytes) MarshalText() ([]byte, error) {
	switch {
	case b != 0 && b%(1<<30) == 0:
		return []byte(fmt.Sprintf("%dGi", b>>30)), nil
	case b != 0 && b%(1<<20) == 0:
		return []byte(fmt.Sprintf("%dMi", b>>20)), nil
	case b != 0 && b%(1<<10) == 0:
		return []byte(fmt.Sprintf("%dKi", b>>10)), nil
	}
	return []byte(strconv.FormatInt(int64(b), 10)), nil
}

// UnmarshalText parses the forms MarshalText writes, plus decimal suffixes.
func (b *Bytes) UnmarshalText(t []byte) error {
	s := strings.TrimSpace(string(t))
	units := []struct {
		suffix string
		mult   int64
	}{{"Ki", 1 << 10}, {"Mi", 1 << 20}, {"Gi", 1 << 30}, {"k", 1e3}, {"K", 1e3}, {"M", 1e6}, {"G", 1e9}}
	mult := int64(1)
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSuffix(s, u.suffix), u.mult
			break
		}
	}
	n, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	// !(x < MaxInt64) also refuses NaN and the infinities, which convert
	// to a different wrong integer on each platform.
	if err != nil || n < 0 || !(n*float64(mult) < math.MaxInt64) {
		return fmt.Errorf("not a size (like 64Mi or 1Gi): %q", string(t))
	}
	*b = Bytes(n * float64(mult))
	return nil
}

// UnmarshalJSON accepts a number as well as a string.
func (b *Bytes) UnmarshalJSON(raw []byte) error {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return b.UnmarshalText([]byte(s))
	}
	return b.UnmarshalText(raw)
}

// UnmarshalJSON accepts a number of seconds as well as a string.
func (d *Duration) UnmarshalJSON(raw []byte) error {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return d.UnmarshalText([]byte(s))
	}
	return d.UnmarshalText(raw)
}

// BlobRef names content in the gateway's blob store.
type BlobRef struct {
	Digest string `json:"digest"`
	Size   int64  `json:"size"`
}

// MemberState is a node's standing in the pool.
type MemberState string

const (
	// MemberPending: the node has said hello without a valid join token and
	// waits for `hearth pool approve`. It gets no work.
	MemberPending MemberState = "pending"
	// MemberReady: paired and heard from recently.
	MemberReady MemberState = "ready"
	// MemberSuspect: paired, but heartbeats are late.
	MemberSuspect MemberState = "suspect"
	// MemberLost: paired, silent for long; its leases have been revoked.
	MemberLost MemberState = "lost"
)

// NodeInfo is what an agent says about itself. All of it is informative:
// identity comes from the TLS certificate, not from here.
type NodeInfo struct {
	Name     string   `json:"name"`
	OS       string   `json:"os"`
	Arch     string   `json:"arch"`
	Version  string   `json:"version"`
	Proto    int      `json:"proto"`
	Runtimes []string `json:"runtimes"`
	// Platforms are the image platforms the node's oci runtime runs, e.g.
	// "linux/arm/v7", "linux/arm/v6"; empty without one.
	Platforms   []string `json:"platforms,omitempty"`
	CPUs        int      `json:"cpus"`
	MemoryBytes uint64   `json:"memory_bytes"`
	// Slots is how many tasks the agent runs at once.
	Slots int `json:"slots"`
}

// HelloRequest opens an agent's session with the gateway.
type HelloRequest struct {
	Node NodeInfo `json:"node"`
	// JoinToken pairs the node at once when valid. Empty: the node waits
	// as pending for the owner's approval. Wrong: refused.
	JoinToken string `json:"join_token,omitempty"`
	// Firmware is the device's firmware status; nil from devices that are
	// not appliances (see FirmwareStatus).
	Firmware *FirmwareStatus `json:"firmware,omitempty"`
}

// HelloResponse tells the agent where it stands and how often to call.
type HelloResponse struct {
	State     MemberState `json:"state"`
	GatewayID string      `json:"gateway_id"`
	// Heartbeat is the interval the gateway expects heartbeats at.
	Heartbeat Duration `json:"heartbeat"`
	// LeaseTTL is how long a lease lives without renewal.
	LeaseTTL Duration `json:"lease_ttl"`
	Message  string   `json:"message,omitempty"`
}

// Heartbeat reports an agent's health and renews its running leases.
type Heartbeat struct {
	Load1      float64  `json:"load1"`
	MemoryFree uint64   `json:"memory_free"`
	TempC      *float64 `json:"temp_c,omitempty"`
	// DiskFree and DiskTotal are the space left for unprivileged
	// programs on the file system of the agent's data directory, and its
	// size, in bytes; absent when unknown.
	DiskFree  uint64 `json:"disk_free,omitempty"`
	DiskTotal uint64 `json:"disk_total,omitempty"`
	// Refusing says why the agent asks for no work, when it does not
	// (its disk is nearly full); empty when it takes work.
	Refusing    string   `json:"refusing,omitempty"`
	FreeSlots   int      `json:"free_slots"`
	Running     []string `json:"running"` // lease IDs
	Unsent      int      `json:"unsent"`  // results waiting in the agent's outbox
	UptimeMilli int64    `json:"uptime_ms"`
	// SentAt is the agent's clock when it sent the heartbeat: the gateway
	// corrects the samples' times by its difference from its own.
	SentAt time.Time `json:"sent_at,omitzero"`
	// Power is the power governor's status; nil from agents without one.
	Power *PowerStatus `json:"power,omitempty"`
	// Samples are the governor's one-second samples since the last
	// heartbeat the gateway answered (at most MaxHeartbeatSamples).
	Samples []PowerSample `json:"samples,omitempty"`
	// Speed is what the agent measured of its speed when it started; nil
	// until it has (and from agents that do not measure it). The gateway
	// keeps the last one it got.
	Speed *Speed `json:"speed,omitempty"`
	// Firmware is the device's firmware status, as in HelloRequest.
	Firmware *FirmwareStatus `json:"firmware,omitempty"`
}

// Speed is how fast a device runs a fixed compute kernel (see package
// agent/speed), in iterations per second on one thread: in wasm, through
// the engine the device's wasm runtime uses, and natively. Zero: not
// measured. The gateway places tasks by it: wasm tasks by WasmOps, oci
// tasks by NativeOps.
type Speed struct {
	WasmOps   float64 `json:"wasm_ops"`
	NativeOps float64 `json:"native_ops,omitempty"`
}

// For is the speed that counts for tasks of runtime rt; 0 when unknown.
func (s *Speed) For(rt string) float64 {
	switch {
	case s == nil:
		return 0
	case rt == "oci":
		return s.NativeOps
	default:
		return s.WasmOps
	}
}

// MaxHeartbeatSamples bounds the samples in one heartbeat: ten minutes.
const MaxHeartbeatSamples = 600

// PowerStatus is what a device says of its power.
type PowerStatus struct {
	// Watts is the device's draw now: measured, or modeled from its work.
	Watts float64 `json:"watts"`
	// BudgetW is its budget now.
	BudgetW float64 `json:"budget_w"`
	// Source: a meter's name, or "model <profile>".
	Source   string `json:"source"`
	Measured bool   `json:"measured"`
	// SensorError: a meter exists but failed; the model stands in.
	SensorError string  `json:"sensor_error,omitempty"`
	IdleW       float64 `json:"idle_w"`
	MaxW        float64 `json:"max_w"`
	// Paused: the budget is below idle, or the device too hot: no work runs.
	Paused bool `json:"paused,omitempty"`
	// Reasons explain the budget.
	Reasons []string `json:"reasons,omitempty"`
	// Cores Hearth's tasks may use now, and use.
	AllowedCores float64 `json:"allowed_cores"`
	WorkCores    float64 `json:"work_cores"`
	// AgentWh is the energy above idle the agent's own work took since it
	// started: overhead, charged to no task.
	AgentWh float64 `json:"agent_wh,omitempty"`
}

// HeartbeatResponse answers a heartbeat.
type HeartbeatResponse struct {
	State MemberState `json:"state"`
	// Revoked lists leases from Running that the gateway no longer holds
	// for this agent (expired and given to another node, or job canceled):
	// the agent stops them and discards their results.
	Revoked []string `json:"revoked,omitempty"`
	// Power is what the owner asked of the device's power governor at
	// the gateway; nil: nothing (the device's own settings hold).
	Power *PowerControl `json:"power,omitempty"`
	// FirmwareUpdate, when set, asks the device to update to this release
	// (the rollout picked it); the device runs its updater once for it.
	FirmwareUpdate *FirmwareUpdate `json:"firmware_update,omitempty"`
	// NoStreams says that the pool has no stream partition to lease: the
	// agent need not hold a request for partitions open until a later
	// answer leaves it out. Absent (false) from gateways that predate it,
	// so that their agents ask as before.
	NoStreams bool `json:"no_streams,omitempty"`
}

// LeaseRequest asks for work that fits the agent's free capacity. The
// gateway holds the request open up to Wait when nothing is queued.
type LeaseRequest struct {
	Runtimes []string `json:"runtimes"`
	// Platforms the agent runs images for: an oci task is leased only when
	// its app has an image for one of them.
	Platforms []string `json:"platforms,omitempty"`
	Max       int      `json:"max"`
	FreeCPU   float64  `json:"free_cpu"`
	// HeadroomW is how many watts the device's budget leaves now; nil: no
	// power limit. The gateway gives queued work first to the waiting
	// device with the most headroom.
	HeadroomW  *float64 `json:"headroom_w,omitempty"`
	FreeMemory int64    `json:"free_memory"`
	Wait       Duration `json:"wait"`
	// Streams, when above zero, asks for stream partitions only, at most
	// this many, and Max, FreeCPU and FreeMemory are ignored: a partition
	// is a long-lived, mostly idle instance that takes no task slot.
	// Zero asks for tasks only.
	Streams int `json:"streams,omitempty"`
}

// Lease is one attempt of one task, given to one agent until Expires
// unless renewed by heartbeats.
type Lease struct {
	ID      string  `json:"id"` // "<job>/<index>/<attempt>"
	JobID   string  `json:"job_id"`
	Index   int     `json:"index"`
	Attempt int     `json:"attempt"`
	Runtime string  `json:"runtime"`
	App     BlobRef `json:"app"`
	// Image is JobSpec.Image, pinned to App.Digest: when set, the agent
	// pulls the app from its registry instead of fetching a blob.
	Image  string            `json:"image,omitempty"`
	Args   []string          `json:"args"`
	Env    map[string]string `json:"env,omitempty"`
	Inputs []InputRef        `json:"inputs,omitempty"`
	// Resources are the task's limits, defaults filled in.
	Resources Resources `json:"resources"`
	// User is JobSpec.User: who an oci task runs as.
	User string   `json:"user,omitempty"`
	TTL  Duration `json:"ttl"`
	// Stream, when set, makes this a stream partition's lease (see
	// StreamLease).
	Stream *StreamLease `json:"stream,omitempty"`
	// Replica numbers the replica of a certified task this lease runs,
	// from 1; 0 for a task that is not certified. The lease ID then reads
	// "<job>/<index>.<replica>/<attempt>".
	Replica int `json:"replica,omitempty"`
	// Deterministic asks the agent to run the task so that another device
	// gets the same bytes: a wasm task sees fixed clocks (the wall clock
	// from 2022-01-01 UTC and a monotonic clock from 0, both moving 1 ms
	// per reading, as wazero fakes them) and a fixed random source. Set for
	// certified tasks.
	Deterministic bool `json:"deterministic,omitempty"`
}

// LeaseResponse carries zero or more leases.
type LeaseResponse struct {
	Leases []Lease `json:"leases"`
}

// InputRef is an input file of a task: shown at /in/<Name>.
type InputRef struct {
	Name   string `json:"name"`
	Digest string `json:"digest"`
	Size   int64  `json:"size"`
}

// TaskResult is what an agent reports for one lease. The gateway accepts it
// once per (task, attempt); repeats are acknowledged as duplicates.
type TaskResult struct {
	LeaseID string `json:"lease_id"`
	JobID   string `json:"job_id"`
	Index   int    `json:"index"`
	Attempt int    `json:"attempt"`
	// Node is the reporting node's ID; filled in by the gateway from the
	// TLS peer, never trusted from the body.
	Node            string  `json:"node,omitempty"`
	ExitCode        int     `json:"exit_code"`
	Failure         string  `json:"failure,omitempty"` // sandbox.Failure
	Reason          string  `json:"reason,omitempty"`
	Stdout          []byte  `json:"stdout,omitempty"`
	Stderr          []byte  `json:"stderr,omitempty"`
	StdoutTruncated bool    `json:"stdout_truncated,omitempty"`
	StderrTruncated bool    `json:"stderr_truncated,omitempty"`
	Output          BlobRef `json:"output"` // tar of /out, see internal/tarball
	WallMilli       int64   `json:"wall_ms"`
	CPUMilli        int64   `json:"cpu_ms"`
	// EnergyWh is the energy the agent's power governor attributed to the
	// task: the device's power above idle, shared by CPU time. Not part of
	// Digest (another device spends other energy on the same result).
	EnergyWh float64 `json:"energy_wh,omitempty"`
	// Digest is ResultDigest of this result, checked by the gateway.
	Digest     string    `json:"digest"`
	FinishedAt time.Time `json:"finished_at"`
	// Replica is the lease's Replica.
	Replica int `json:"replica,omitempty"`
	// Seal is ResultSeal(reporting node, LeaseID, Digest): the digest
	// bound to the device and lease that computed it. Required for a
	// replica of a certified task; a result whose seal is not its own
	// device's is rejected.
	Seal string `json:"seal,omitempty"`
}

// ResultBatch reports finished leases.
type ResultBatch struct {
	Results []TaskResult `json:"results"`
}

// AckStatus says what became of one reported result.
type AckStatus string

const (
	// AckAccepted: recorded as the task's result.
	AckAccepted AckStatus = "accepted"
	// AckDuplicate: this (task, attempt) was already recorded.
	AckDuplicate AckStatus = "duplicate"
	// AckStale: the lease was no longer this agent's (expired and moved);
	// the result is dropped.
	AckStale AckStatus = "stale"
	// AckRejected: malformed (e.g. digest does not match); dropped.
	AckRejected AckStatus = "rejected"
)

// Ack answers one result. Every status is final: the agent removes the
// result from its outbox on any Ack, and keeps it only on transport errors.
type Ack struct {
	LeaseID string    `json:"lease_id"`
	Status  AckStatus `json:"status"`
	Error   string    `json:"error,omitempty"`
}

// ResultAck answers a ResultBatch, one Ack per result in order.
type ResultAck struct {
	Acks []Ack `json:"acks"`
}

// Member is the gateway's view of a node, as `hearth pool ls` shows it.
type Member struct {
	ID        string      `json:"id"`
	State     MemberState `json:"state"`
	Node      NodeInfo    `json:"node"`
	Addr      string      `json:"addr"`
	PairedAt  *time.Time  `json:"paired_at,omitempty"`
	LastSeen  time.Time   `json:"last_seen"`
	Load1     float64     `json:"load1"`
	MemFree   uint64      `json:"memory_free"`
	TempC     *float64    `json:"temp_c,omitempty"`
	DiskFree  uint64      `json:"disk_free,omitempty"`
	DiskTotal uint64      `json:"disk_total,omitempty"`
	Refusing  string      `json:"refusing,omitempty"` // why it asks for no work, from its last heartbeat
	Running   int         `json:"running"`
	Completed int         `json:"completed"`
	// Power is the device's power status, from its last heartbeat.
	Power *PowerStatus `json:"power,omitempty"`
	// Speed is what the device measured of its speed; nil when unknown.
	Speed *Speed `json:"speed,omitempty"`
	// Firmware is the device's last firmware status; nil for devices that
	// are not appliances.
	Firmware *FirmwareStatus `json:"firmware,omitempty"`
	// Quarantined says why the device takes no certified work: it was
	// caught returning wrong results (docs/certification.md); empty
	// otherwise.
	Quarantined string `json:"quarantined,omitempty"`
}

// JobState is a job's progress.
type JobState string

const (
	JobRunning JobState = "running"
	// JobDone: every task has a result with exit code 0 and no failure.
	JobDone JobState = "done"
	// JobFailed: every task is finished and at least one failed for good
	// (a non-zero exit, or a failure after the retry limit).
	JobFailed JobState = "failed"
	// JobCanceled: the owner (or the market, for a reclaimed order)
	// canceled the job before it ended: its tasks that had not finished
	// are canceled and never run again; those that had keep their results.
	JobCanceled JobState = "canceled"
)

// Final reports whether nothing more happens to a job in state s.
func (s JobState) Final() bool { return s == JobDone || s == JobFailed || s == JobCanceled }

// TaskState is a task's progress.
type TaskState string

const (
	TaskQueued TaskState = "queued"
	TaskLeased TaskState = "leased"
	TaskDone   TaskState = "done"
	TaskFailed TaskState = "failed"
	// TaskCanceled: its job was canceled before the task finished. It has
	// no result; a result that comes in for it later is stale.
	TaskCanceled TaskState = "canceled"
	// TaskVerifying: a certified task whose replicas have not yet agreed
	// (see Task.Replicas).
	TaskVerifying TaskState = "verifying"
)

// TaskCounts sums a job's tasks by state.
type TaskCounts struct {
	Queued   int `json:"queued"`
	Leased   int `json:"leased"`
	Done     int `json:"done"`
	Failed   int `json:"failed"`
	Canceled int `json:"canceled,omitempty"`
	// Verifying counts a certified job's tasks whose replicas have not yet
	// agreed.
	Verifying int `json:"verifying,omitempty"`
}

// Job is a submitted job.
type Job struct {
	ID       string     `json:"id"`
	Spec     JobSpec    `json:"spec"`
	State    JobState   `json:"state"`
	Counts   TaskCounts `json:"counts"`
	Created  time.Time  `json:"created"`
	Finished *time.Time `json:"finished,omitempty"`
	// EnergyWh sums the energy of the tasks' latest results (in a job's
	// detail only).
	EnergyWh float64 `json:"energy_wh,omitempty"`
	// Replicas counts a certified job's replicas by state (Counts counts
	// its tasks); nil for other jobs.
	Replicas *TaskCounts `json:"replicas,omitempty"`
	// Nondeterministic, for a certified job of class any, says that the
	// app's results split along the devices' classes: its tasks then run
	// in one class.
	Nondeterministic string `json:"nondeterministic,omitempty"`
}

// Task is one task of a job with its latest attempt.
type Task struct {
	JobID   string    `json:"job_id"`
	Index   int       `json:"index"`
	State   TaskState `json:"state"`
	Attempt int       `json:"attempt"`
	// Node runs (or ran) the latest attempt.
	Node string `json:"node,omitempty"`
	// History says why earlier attempts ended, oldest first.
	History []string    `json:"history,omitempty"`
	Result  *TaskResult `json:"result,omitempty"`
	// LeasedAt is when the latest attempt was handed out; DoneAt when its
	// result was accepted (gateway clock). Their difference is the
	// dispatch-to-result latency.
	LeasedAt *time.Time `json:"leased_at,omitempty"`
	DoneAt   *time.Time `json:"done_at,omitempty"`
	// Replicas are a certified task's replicas, in the order they were
	// made; Certification says how its result was taken.
	Replicas      []Replica      `json:"replicas,omitempty"`
	Certification *Certification `json:"certification,omitempty"`
}

// Replica is one replica of a certified task.
type Replica struct {
	Replica int       `json:"replica"`
	State   TaskState `json:"state"`
	Attempt int       `json:"attempt"`
	Node    string    `json:"node,omitempty"`
	// Class is the equivalence class of the device that ran it
	// (runtime/engine/architecture).
	Class string `json:"class,omitempty"`
	// Digest is its result's ResultDigest once reported.
	Digest string `json:"digest,omitempty"`
	// Weight is its device's weight in the vote when it was counted.
	Weight int `json:"weight,omitempty"`
	// Vote says how it stands against the canonical result: "agrees",
	// "dissents", "discredited" (its device was since caught lying, and
	// the task decided again without it), "challenges" (a known-answer
	// check that dissented from a result not certain enough to judge a
	// device by), or empty while undecided.
	Vote string `json:"vote,omitempty"`
	// Ringer marks a known-answer check of its device: a replica of a task
	// already certified by other devices. Its answer judges its device,
	// never the task.
	Ringer bool `json:"ringer,omitempty"`
}

// Certification says how a certified task's result was taken.
type Certification struct {
	// How: "quorum" (replicas agreed), "trusted" (one device's word, its
	// credibility above the trust asked for), "inconclusive" (no
	// agreement within max_replicas) or "" while verifying.
	How string `json:"how,omitempty"`
	// Confidence is the agreeing group's share of the vote, by iExec's
	// rule: group / total, against CertifySpec.Trust.
	Confidence float64 `json:"confidence"`
	// Canonical is the accepted result's digest.
	Canonical string `json:"canonical,omitempty"`
	// Waiting says what a verifying task waits for, in words.
	Waiting string `json:"waiting,omitempty"`
}

// JobDetail is a job with its tasks.
type JobDetail struct {
	Job
	Tasks []Task `json:"tasks"`
}

// Status describes the gateway.
type Status struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	Proto   int    `json:"proto"`
	Members int    `json:"members"`
	Jobs    int    `json:"jobs"`
	Queued  int    `json:"queued"`
	// Chain describes the market's chain connection when there is one:
	// its mode (verified, local, trusted) and, when trusted, a warning.
	Chain string `json:"chain,omitempty"`
}

// DashboardLoginRequest asks the gateway for a login link to its dashboard.
type DashboardLoginRequest struct {
	// Role is "admin" (a one-time link, good for a minute) or "viewer"
	// (the reusable read-only link of a wall display).
	Role string `json:"role"`
}

// DashboardLink is a login link to the gateway's own dashboard listener.
// The host is the caller's to choose (the one it reaches the gateway by):
// the link is Scheme://HOST:Port + Path.
type DashboardLink struct {
	Scheme string `json:"scheme"`
	// Listen is the address the dashboard listens on; Port its port.
	Listen string `json:"listen"`
	Port   int    `json:"port"`
	Path   string `json:"path"`
	// Loopback: the dashboard listens on loopback only, so the link works
	// on the gateway's own machine (start it with --dashboard :7380 for
	// the LAN).
	Loopback bool `json:"loopback"`
	// Fingerprint is the SHA-256 of its TLS certificate, when TLS.
	Fingerprint string `json:"fingerprint,omitempty"`
}

// StorageUserRequest makes a backup user (hearth storage user add).
type StorageUserRequest struct {
	Name string `json:"name"`
	// Quota bounds the repository, in bytes; 0: the disk's room.
	Quota      int64 `json:"quota,omitempty"`
	AppendOnly bool  `json:"append_only,omitempty"`
}

// StorageUser is a backup user. Password is set only in the answer that
// made it. The repository is https://NAME:PASSWORD@HOST:Port/NAME/, HOST
// being whichever the gateway answers to (its certificate names it).
type StorageUser struct {
	Name       string    `json:"name"`
	Password   string    `json:"password,omitempty"`
	Quota      int64     `json:"quota,omitempty"`
	AppendOnly bool      `json:"append_only,omitempty"`
	Created    time.Time `json:"created"`
	// Used is what the repository holds, in bytes.
	Used int64 `json:"used"`
	// Port is the storage listener's; CertPEM its certificate (restic
	// --cacert) and Fingerprint the certificate's SHA-256.
	Port        int    `json:"port"`
	CertPEM     string `json:"cert_pem,omitempty"`
	Fingerprint string `json:"fingerprint,omitempty"`
}

// StorageStatus is the backup storage's state (hearth storage status).
type StorageStatus struct {
	// On is where the backups live: "devices" or "gateway".
	On string `json:"on"`
	// K and M are the coding new files get now: K data and M parity
	// shards, on the devices live now; any M of them may be lost.
	K int `json:"k,omitempty"`
	M int `json:"m,omitempty"`
	// Files and Bytes are restic's files; Stored is what they take on
	// the devices (shards and copies).
	Files  int64 `json:"files"`
	Bytes  int64 `json:"bytes"`
	Stored int64 `json:"stored"`
	// AtRisk is the files with a shard on a device that is not connected
	// now: they survive fewer further losses than they were coded for.
	AtRisk  int64           `json:"at_risk"`
	Devices []StorageDevice `json:"devices,omitempty"`
	// Repair is the repair pass under way, or the last one.
	Repair StorageRepair `json:"repair"`
}

// StorageRepairRequest asks for a repair pass (hearth storage repair): the
// answer is its number (StorageRepair.Pass); the status shows it once it
// runs.
type StorageRepairRequest struct {
	// Scrub has every device check its shards as well.
	Scrub bool `json:"scrub,omitempty"`
	// Now counts the devices away now as lost, without waiting for the
	// gateway's --storage-repair-after.
	Now bool `json:"now,omitempty"`
}

// StorageRepair is a repair pass: it looks at every file, rebuilds
// those with a shard on a lost device or found missing or damaged, and
// with Scrub has every device check its shards' hashes.
type StorageRepair struct {
	// Pass numbers the passes since the gateway started; a pass asked
	// for runs after the one under way.
	Pass     int       `json:"pass"`
	Running  bool      `json:"running"`
	Scrub    bool      `json:"scrub,omitempty"`
	Now      bool      `json:"now,omitempty"`
	Started  time.Time `json:"started,omitzero"`
	Finished time.Time `json:"finished,omitzero"`
	// Files is how many the pass looks at, Checked how many it has.
	Files   int `json:"files"`
	Checked int `json:"checked"`
	// Damaged is shards found missing or damaged on a connected device.
	Damaged int `json:"damaged"`
	// Rebuilt: files whose bad shards were rebuilt on other devices;
	// Recoded: files coded anew for fewer devices; Lost: files with
	// fewer than k good shards.
	Rebuilt int `json:"rebuilt"`
	Recoded int `json:"recoded"`
	Lost    int `json:"lost"`
	// Postponed: files whose repair waits because the devices it needs
	// are at their power budgets (the next pass tries again).
	Postponed int `json:"postponed,omitempty"`
	// Collected: shards a scrub found that no file names (an upload
	// a crash cut short), deleted.
	Collected int    `json:"collected,omitempty"`
	Error     string `json:"error,omitempty"`
}

// StorageDevice is a device that keeps shards, as its last poll said.
type StorageDevice struct {
	Node   string    `json:"node"`
	Name   string    `json:"name,omitempty"`
	Live   bool      `json:"live"`
	Seen   time.Time `json:"seen"`
	Free   int64     `json:"free"`
	Used   int64     `json:"used"`
	Shards int       `json:"shards"`
}

// StorageCatalogLabel derives the key that signs the backup storage's
// catalogs from the owner's admin token: OwnerKey(token, this).
const StorageCatalogLabel = "hearth storage catalog v1"

// StorageRecoverRequest rebuilds a lost gateway's backup metadata from
// the catalogs on the devices (hearth storage recover): Key is the old
// owner's catalog key, api.OwnerKey(old token, storage.CatalogLabel), in
// hex.
type StorageRecoverRequest struct {
	Key string `json:"key"`
}

// StorageRecovery says what Recover found.
type StorageRecovery struct {
	// Devices is how many devices listed their catalogs; Catalog the one
	// used, written at Written.
	Devices int       `json:"devices"`
	Catalog string    `json:"catalog"`
	Written time.Time `json:"written"`
	Files   int64     `json:"files"`
	Bytes   int64     `json:"bytes"`
	Users   int       `json:"users"`
}
