package agent

import (
	"fmt"
	"sync"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/identity"
	"github.com/hearth-home/hearth/store"
)

const (
	bucketAgent  = "agent"
	keyGatewayID = "gateway_id"
)

// pin decides which gateway the agent talks to. Its check runs inside every
// TLS handshake, so a gateway with another key never sees a request.
type pin struct {
	mu     sync.Mutex
	id     identity.NodeID // zero: trust on first use
	source string          // where id came from, for logs
	seen   identity.NodeID // proven by the latest handshake while id is zero
	stored identity.NodeID // what the store holds
}

// resolvePin applies the order documented on Config.GatewayID.
func resolvePin(cfg Config, db *store.DB) (*pin, error) {
	p := &pin{}
	err := db.View(func(tx *store.Tx) error {
		if raw := tx.Get(bucketAgent, keyGatewayID); raw != nil {
			id, err := identity.ParseNodeID(string(raw))
			if err != nil {
				return fmt.Errorf("stored gateway ID: %w", err)
			}
			p.stored = id
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var fromToken, fromConfig identity.NodeID
	if cfg.JoinToken != "" {
		tok, err := api.ParseJoinToken(cfg.JoinToken)
		if err != nil {
			return nil, fmt.Errorf("join token: %w", err)
		}
		fromToken = tok.Gateway
	}
	if cfg.GatewayID != "" {
		id, err := identity.ParseNodeID(cfg.GatewayID)
		if err != nil {
			return nil, fmt.Errorf("gateway ID: %w", err)
		}
		fromConfig = id
	}
	switch {
	case !fromToken.IsZero() && !fromConfig.IsZero() && fromToken != fromConfig:
		return nil, fmt.Errorf("%w: the join token names gateway %s, the gateway ID is %s", ErrPinConflict, fromToken.Short(), fromConfig.Short())
	case !fromToken.IsZero():
		p.id, p.source = fromToken, "join token"
	case !fromConfig.IsZero():
		p.id, p.source = fromConfig, "configured gateway ID"
	case !p.stored.IsZero():
		p.id, p.source = p.stored, "earlier pairing"
	}
	return p, nil
}

// check is the TLS pin callback.
func (p *pin) check(got identity.NodeID) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.id.IsZero() {
		p.seen = got
		return nil
	}
	return identity.Pin(p.id)(got)
}

// want returns the pinned ID, zero while trusting on first use.
func (p *pin) want() identity.NodeID {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.id
}

// describe returns the pinned ID and where it came from, for logs.
func (p *pin) describe() (id identity.NodeID, source string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.id, p.source
}

// pairedBefore reports whether the pinned gateway has paired this agent
// before (its ID is stored only then).
func (p *pin) pairedBefore() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return !p.id.IsZero() && p.id == p.stored
}

// paired pins the gateway that just paired this agent and remembers it in
// db. It reports whether this was trust on first use.
func (p *pin) paired(db *store.DB) (tofu bool, id identity.NodeID, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.id.IsZero() {
		if p.seen.IsZero() {
			return false, id, fmt.Errorf("no gateway ID proven during the handshake")
		}
		p.id, p.source, tofu = p.seen, "first use", true
	}
	if p.stored == p.id {
		return tofu, p.id, nil
	}
	err = db.Update(func(tx *store.Tx) error {
		return tx.Put(bucketAgent, keyGatewayID, []byte(p.id.String()))
	})
	if err == nil {
		p.stored = p.id
	}
	return tofu, p.id, err
}
