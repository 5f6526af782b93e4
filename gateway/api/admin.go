package api

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"time"

	"github.com/hearth-home/hearth/internal/http1"
)

// Admin is the owner's client: a Client with the calls that need the admin
// token. They are a type of their own so that the agent, which links
// Client, does not carry them: its containerd client looks methods up by
// name, which keeps every exported method of every linked type.
type Admin struct {
	*Client
}

// Status describes the gateway.
func (c *Admin) Status(ctx context.Context) (Status, error) {
	var out Status
	return out, c.do(ctx, "GET", "/v1/status", nil, &out)
}

// Members lists the pool.
func (c *Admin) Members(ctx context.Context) ([]Member, error) {
	var out []Member
	return out, c.do(ctx, "GET", "/v1/pool/members", nil, &out)
}

// Approve pairs a pending node; id may be a unique prefix of at least seven
// characters.
func (c *Admin) Approve(ctx context.Context, id string) (Member, error) {
	var out Member
	return out, c.do(ctx, "POST", "/v1/pool/members/"+url.PathEscape(id)+"/approve", nil, &out)
}

// Release lets a quarantined device (Member.Quarantined) take certified
// work again; id as for Approve.
func (c *Admin) Release(ctx context.Context, id string) (Member, error) {
	var out Member
	return out, c.do(ctx, "POST", "/v1/pool/members/"+url.PathEscape(id)+"/release", nil, &out)
}

// SubmitJob submits a spec whose app and inputs are already uploaded.
func (c *Admin) SubmitJob(ctx context.Context, spec JobSpec) (Job, error) {
	var out Job
	return out, c.do(ctx, "POST", "/v1/jobs", spec, &out)
}

// Jobs lists jobs, newest first.
func (c *Admin) Jobs(ctx context.Context) ([]Job, error) {
	var out []Job
	return out, c.do(ctx, "GET", "/v1/jobs", nil, &out)
}

// Job returns one job with its tasks.
func (c *Admin) Job(ctx context.Context, id string) (JobDetail, error) {
	var out JobDetail
	return out, c.do(ctx, "GET", "/v1/jobs/"+url.PathEscape(id), nil, &out)
}

// CancelJob cancels a job that has not finished: its queued tasks never
// run and its running ones are stopped. It returns the job, now canceled.
// A finished job (done, failed or already canceled) gives ErrConflict, an
// unknown one ErrNotFound.
func (c *Admin) CancelJob(ctx context.Context, id string) (Job, error) {
	var out Job
	return out, c.do(ctx, "POST", "/v1/jobs/"+url.PathEscape(id)+"/cancel", nil, &out)
}

// SetBudget sets (or, with a nil policy, clears) a device's budget or the
// pool's total.
func (c *Admin) SetBudget(ctx context.Context, req BudgetRequest) (Budgets, error) {
	var out Budgets
	return out, c.do(ctx, "POST", "/v1/pool/budget", req, &out)
}

// Budgets lists the budgets set at the gateway.
func (c *Admin) Budgets(ctx context.Context) (Budgets, error) {
	var out Budgets
	return out, c.do(ctx, "GET", "/v1/pool/budget", nil, &out)
}

// Signal posts a solar or heat signal for a device or the pool.
func (c *Admin) Signal(ctx context.Context, req SignalRequest) error {
	return c.do(ctx, "POST", "/v1/pool/signal", req, nil)
}

// Power returns the pool's power history for the last span: one sample a
// second for up to an hour, one a minute (the minute's mean) for longer
// spans, up to seven days.
func (c *Admin) Power(ctx context.Context, span time.Duration) (PoolPower, error) {
	var out PoolPower
	return out, c.do(ctx, "GET", "/v1/pool/power?since="+url.QueryEscape(span.String()), nil, &out)
}

// Energy returns energy per device and day, for the last days days
// (today included), oldest first.
func (c *Admin) Energy(ctx context.Context, days int) ([]EnergyDay, error) {
	var out []EnergyDay
	return out, c.do(ctx, "GET", fmt.Sprintf("/v1/pool/energy?days=%d", days), nil, &out)
}

// MaxFirmwareBundle is the largest bundle ImportFirmware may send: a few
// slot images for each of a few boards.
const MaxFirmwareBundle = 512 << 20

// ImportFirmware uploads an update bundle (a tar of a signed repository,
// from hearth-release bundle) of size bytes for the gateway to verify and
// serve to its devices. A bundle the gateway refuses changes nothing and
// the error says why.
func (c *Admin) ImportFirmware(ctx context.Context, bundle io.Reader, size int64) (FirmwareImport, error) {
	req := &http1.Request{Method: "POST", Path: "/v1/firmware/import", Header: http1.Header{},
		Body: bundle, ContentLength: size}
	req.Header.Set("Content-Type", "application/x-tar")
	var out FirmwareImport
	return out, c.doReq(ctx, req, &out)
}

// Firmware describes the gateway's firmware mirror, its rollouts and the
// devices' firmware, by board.
func (c *Admin) Firmware(ctx context.Context) (Firmware, error) {
	var out Firmware
	return out, c.do(ctx, "GET", "/v1/firmware", nil, &out)
}

// SetMQTTSignal maps an MQTT topic to a power signal (replacing the
// mapping of the same topic and kind).
func (c *Admin) SetMQTTSignal(ctx context.Context, s MQTTSignal) error {
	return c.do(ctx, "POST", "/v1/pool/signals/mqtt", s, nil)
}

// RemoveMQTTSignal removes the mapping of topic (of kind, or of both kinds
// when kind is empty).
func (c *Admin) RemoveMQTTSignal(ctx context.Context, topic, kind string) error {
	return c.do(ctx, "DELETE", "/v1/pool/signals/mqtt?topic="+url.QueryEscape(topic)+"&kind="+url.QueryEscape(kind), nil, nil)
}

// MQTTSignals lists the topics mapped to power signals.
func (c *Admin) MQTTSignals(ctx context.Context) ([]MQTTSignal, error) {
	var out []MQTTSignal
	return out, c.do(ctx, "GET", "/v1/pool/signals/mqtt", nil, &out)
}

// Call makes an owner's call to the gateway as it is, for a caller that
// passes calls on (hearth dashboard's page): path is the escaped path with
// its query. It returns the answer's status, content type and body, which
// the caller must close, whatever the status.
func (c *Admin) Call(ctx context.Context, method, path, contentType string, body io.Reader, size int64) (int, string, io.ReadCloser, error) {
	req := &http1.Request{Method: method, Path: path, Header: http1.Header{}}
	if body != nil && size > 0 {
		req.Body, req.ContentLength = body, size
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.send(ctx, req)
	if err != nil {
		return 0, "", nil, err
	}
	return resp.StatusCode, resp.Header.Get("Content-Type"), resp.Body, nil
}

// DashboardLogin asks for a login link to the gateway's own dashboard
// listener (hearth dashboard --lan, --viewer).
func (c *Admin) DashboardLogin(ctx context.Context, req DashboardLoginRequest) (DashboardLink, error) {
	var out DashboardLink
	return out, c.do(ctx, "POST", "/v1/dashboard/login", req, &out)
}

// AddStorageUser makes a backup user and returns it with its password.
func (c *Admin) AddStorageUser(ctx context.Context, req StorageUserRequest) (StorageUser, error) {
	var out StorageUser
	return out, c.do(ctx, "POST", "/v1/storage/users", req, &out)
}

// StorageUsers lists the backup users.
func (c *Admin) StorageUsers(ctx context.Context) ([]StorageUser, error) {
	var out []StorageUser
	return out, c.do(ctx, "GET", "/v1/storage/users", nil, &out)
}

// RemoveStorageUser takes a backup user's access away.
func (c *Admin) RemoveStorageUser(ctx context.Context, name string) error {
	return c.do(ctx, "DELETE", "/v1/storage/users/"+url.PathEscape(name), nil, nil)
}

// StorageStatus is where the backups live and how safe they are.
func (c *Admin) StorageStatus(ctx context.Context) (StorageStatus, error) {
	var out StorageStatus
	return out, c.do(ctx, "GET", "/v1/storage/status", nil, &out)
}

// StorageRepair starts a repair pass, or finds the one under way, and
// returns its progress; StorageStatus follows it.
func (c *Admin) StorageRepair(ctx context.Context, req StorageRepairRequest) (StorageRepair, error) {
	var out StorageRepair
	return out, c.do(ctx, "POST", "/v1/storage/repair", req, &out)
}

// StorageRecover rebuilds a lost gateway's backup metadata from the
// catalogs the devices keep.
func (c *Admin) StorageRecover(ctx context.Context, req StorageRecoverRequest) (StorageRecovery, error) {
	var out StorageRecovery
	return out, c.do(ctx, "POST", "/v1/storage/recover", req, &out)
}
