package light

import (
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/hearth-home/hearth/store"
)

// checkpoint is a finalized beacon block root the client may start from.
type checkpoint struct {
	Root common.Hash `json:"root"`
	Slot uint64      `json:"slot"`
	// Network guards against a store moved to another network.
	Network string `json:"network"`
}

const checkpointKey = "checkpoint"

func (c *Client) loadCheckpoint() (checkpoint, bool, error) {
	var cp checkpoint
	var ok bool
	if c.cfg.DB == nil {
		return cp, false, nil
	}
	err := c.cfg.DB.View(func(tx *store.Tx) error {
		var err error
		ok, err = tx.GetJSON(c.cfg.Bucket, checkpointKey, &cp)
		return err
	})
	if ok && cp.Network != c.cfg.Network.Name {
		return checkpoint{}, false, fmt.Errorf("light client: this gateway's store follows %s, not %s: use another --data dir", cp.Network, c.cfg.Network.Name)
	}
	return cp, ok, err
}

func (c *Client) saveCheckpoint(cp checkpoint) error {
	cp.Network = c.cfg.Network.Name
	if c.cfg.DB == nil {
		return nil
	}
	return c.cfg.DB.Update(func(tx *store.Tx) error {
		return tx.PutJSON(c.cfg.Bucket, checkpointKey, cp)
	})
}

// slotTime is when slot began.
func (c *Client) slotTime(slot uint64) time.Time {
	return time.Unix(int64(c.cfg.Network.Beacon.GenesisTime+12*slot), 0)
}

// currentSlot is the slot at the client's clock.
func (c *Client) currentSlot() uint64 {
	now := c.cfg.Clock().Unix()
	g := int64(c.cfg.Network.Beacon.GenesisTime)
	if now < g {
		return 0
	}
	return uint64(now-g) / 12
}

// howToGetCheckpoint tells the owner where a fresh checkpoint comes from.
const howToGetCheckpoint = "get the root of a recent finalized beacon block " +
	"(from a beacon explorer such as beaconcha.in, or GET /eth/v1/beacon/headers/finalized on a beacon node you trust) " +
	"and pass it with --chain-checkpoint 0x..."
