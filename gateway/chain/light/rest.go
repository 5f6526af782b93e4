package light

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/beacon/merkle"
	"github.com/ethereum/go-ethereum/beacon/types"
	"github.com/ethereum/go-ethereum/common"

	"github.com/hearth-home/hearth/gateway/chain"
)

// The four requests of the beacon light-client REST API that the client
// makes, decoded into go-ethereum's beacon types and validated as far as
// an answer can be on its own (hashes, Merkle branches); signatures are
// checked by the committee chain. go-ethereum's beacon/light/api does the
// same, but it brings its sync scheduler, an SSE client and package
// testing into the binary (0.7 MB on arm64, docs/architecture.md), and
// takes no context.

// Errors of the REST client.
var (
	// errNotFound is returned for a 404: the endpoint has no such data
	// (yet), which is not a lie.
	errNotFound = errors.New("404 Not Found")
)

// maxAnswer bounds an answer: an update with its committee is about 55 KB
// in JSON; a bootstrap about the same.
const maxAnswer = 4 << 20

// rest is one beacon node's REST API.
type rest struct {
	base   string
	client *http.Client
}

func newREST(base string) *rest {
	return &rest{base: base, client: &http.Client{Timeout: 10 * time.Second}}
}

// get fetches path and decodes the JSON answer into v.
func (r *rest) get(ctx context.Context, path string, query url.Values, v any) error {
	u := r.base + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	resp, err := r.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return errNotFound
	case resp.StatusCode != http.StatusOK:
		return fmt.Errorf("%s: HTTP status %d", path, resp.StatusCode)
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswer+1))
	if err != nil {
		return err
	}
	if len(body) > maxAnswer {
		return fmt.Errorf("%w: %s: answer larger than %d bytes", errMalformed, path, maxAnswer)
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("%w: %s: %w", errMalformed, path, err)
	}
	return nil
}

// errMalformed marks an answer that does not decode: classify counts it as
// unverified.
var errMalformed = errors.New("malformed answer")

type jsonBeaconHeader struct {
	Beacon types.Header `json:"beacon"`
}

type jsonHeaderWithExecProof struct {
	Beacon          types.Header    `json:"beacon"`
	Execution       json.RawMessage `json:"execution"`
	ExecutionBranch merkle.Values   `json:"execution_branch"`
}

func (h *jsonHeaderWithExecProof) decode(version string) (types.HeaderWithExecProof, error) {
	exec, err := types.ExecutionHeaderFromJSON(version, h.Execution)
	if err != nil {
		return types.HeaderWithExecProof{}, fmt.Errorf("%w: execution header: %w", errMalformed, err)
	}
	return types.HeaderWithExecProof{Header: h.Beacon, PayloadHeader: exec, PayloadBranch: h.ExecutionBranch}, nil
}

// bootstrap fetches the committee at checkpoint root, checked against the
// root and the header's state.
func (r *rest) bootstrap(ctx context.Context, root common.Hash) (*types.BootstrapData, error) {
	var data struct {
		Version string `json:"version"`
		Data    struct {
			Header          jsonBeaconHeader               `json:"header"`
			Committee       *types.SerializedSyncCommittee `json:"current_sync_committee"`
			CommitteeBranch merkle.Values                  `json:"current_sync_committee_branch"`
		} `json:"data"`
	}
	if err := r.get(ctx, "/eth/v1/beacon/light_client/bootstrap/"+root.Hex(), nil, &data); err != nil {
		return nil, err
	}
	if data.Data.Committee == nil {
		return nil, fmt.Errorf("%w: bootstrap without a sync committee", errMalformed)
	}
	if h := data.Data.Header.Beacon.Hash(); h != root {
		return nil, fmt.Errorf("%w: bootstrap header %s is not the checkpoint %s", chain.ErrUnverified, h, root)
	}
	bd := &types.BootstrapData{Version: data.Version, Header: data.Data.Header.Beacon,
		CommitteeBranch: data.Data.CommitteeBranch, CommitteeRoot: data.Data.Committee.Root(), Committee: data.Data.Committee}
	if err := bd.Validate(); err != nil {
		return nil, fmt.Errorf("%w: bootstrap committee: %w", chain.ErrUnverified, err)
	}
	return bd, nil
}

// update fetches the best committee update of period, with the next
// period's committee, checked against the update's branches (its
// signature is the committee chain's to check).
func (r *rest) update(ctx context.Context, period uint64) (*types.LightClientUpdate, *types.SerializedSyncCommittee, error) {
	var data []struct {
		Version string `json:"version"`
		Data    struct {
			Header                  jsonBeaconHeader              `json:"attested_header"`
			NextSyncCommittee       types.SerializedSyncCommittee `json:"next_sync_committee"`
			NextSyncCommitteeBranch merkle.Values                 `json:"next_sync_committee_branch"`
			FinalizedHeader         *jsonBeaconHeader             `json:"finalized_header,omitempty"`
			FinalityBranch          merkle.Values                 `json:"finality_branch,omitempty"`
			SyncAggregate           types.SyncAggregate           `json:"sync_aggregate"`
			SignatureSlot           common.Decimal                `json:"signature_slot"`
		} `json:"data"`
	}
	q := url.Values{"start_period": {strconv.FormatUint(period, 10)}, "count": {"1"}}
	if err := r.get(ctx, "/eth/v1/beacon/light_client/updates", q, &data); err != nil {
		return nil, nil, err
	}
	if len(data) != 1 {
		return nil, nil, fmt.Errorf("%w: %d committee updates for one period", errMalformed, len(data))
	}
	d := data[0]
	u := &types.LightClientUpdate{
		Version: d.Version,
		AttestedHeader: types.SignedHeader{Header: d.Data.Header.Beacon, Signature: d.Data.SyncAggregate,
			SignatureSlot: uint64(d.Data.SignatureSlot)},
		NextSyncCommitteeRoot:   d.Data.NextSyncCommittee.Root(),
		NextSyncCommitteeBranch: d.Data.NextSyncCommitteeBranch,
		FinalityBranch:          d.Data.FinalityBranch,
	}
	if d.Data.FinalizedHeader != nil {
		u.FinalizedHeader = &d.Data.FinalizedHeader.Beacon
	}
	if got := u.AttestedHeader.Header.SyncPeriod(); got != period {
		return nil, nil, fmt.Errorf("%w: the update for period %d is from period %d", chain.ErrUnverified, period, got)
	}
	if err := u.Validate(); err != nil {
		return nil, nil, fmt.Errorf("%w: committee update: %w", chain.ErrUnverified, err)
	}
	return u, &d.Data.NextSyncCommittee, nil
}

// optimistic fetches the newest head the endpoint's committee signed.
func (r *rest) optimistic(ctx context.Context) (types.OptimisticUpdate, error) {
	var data struct {
		Version string `json:"version"`
		Data    struct {
			Attested      jsonHeaderWithExecProof `json:"attested_header"`
			Aggregate     types.SyncAggregate     `json:"sync_aggregate"`
			SignatureSlot common.Decimal          `json:"signature_slot"`
		} `json:"data"`
	}
	if err := r.get(ctx, "/eth/v1/beacon/light_client/optimistic_update", nil, &data); err != nil {
		return types.OptimisticUpdate{}, err
	}
	attested, err := data.Data.Attested.decode(data.Version)
	if err != nil {
		return types.OptimisticUpdate{}, err
	}
	return types.OptimisticUpdate{Attested: attested, Signature: data.Data.Aggregate, SignatureSlot: uint64(data.Data.SignatureSlot)}, nil
}

// finality fetches the newest finalized header the endpoint can prove.
func (r *rest) finality(ctx context.Context) (types.FinalityUpdate, error) {
	var data struct {
		Version string `json:"version"`
		Data    struct {
			Attested       jsonHeaderWithExecProof `json:"attested_header"`
			Finalized      jsonHeaderWithExecProof `json:"finalized_header"`
			FinalityBranch merkle.Values           `json:"finality_branch"`
			Aggregate      types.SyncAggregate     `json:"sync_aggregate"`
			SignatureSlot  common.Decimal          `json:"signature_slot"`
		} `json:"data"`
	}
	if err := r.get(ctx, "/eth/v1/beacon/light_client/finality_update", nil, &data); err != nil {
		return types.FinalityUpdate{}, err
	}
	attested, err := data.Data.Attested.decode(data.Version)
	if err != nil {
		return types.FinalityUpdate{}, err
	}
	finalized, err := data.Data.Finalized.decode(data.Version)
	if err != nil {
		return types.FinalityUpdate{}, err
	}
	return types.FinalityUpdate{Version: data.Version, Attested: attested, Finalized: finalized,
		FinalityBranch: data.Data.FinalityBranch, Signature: data.Data.Aggregate, SignatureSlot: uint64(data.Data.SignatureSlot)}, nil
}
