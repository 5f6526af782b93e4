package gateway

import (
	"testing"
	"time"

	"github.com/hearth-home/hearth/internal/identity"
	"github.com/hearth-home/hearth/store"
)

// The energy kept in memory for more devices than one transaction writes
// (flushChunk) is stored whole, over several transactions, and added to
// what was stored before: nothing written twice, nothing left behind.
func TestFlushEnergyInChunks(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{})
	const devices = 2*flushChunk + 37
	day := dayOf(time.Now())
	node := func(i int) identity.NodeID { return identity.NodeID{byte(i), byte(i >> 8), 0xee} }
	for round := 1; round <= 2; round++ {
		for i := range devices {
			tg.addEnergy(node(i), map[string]energyRecord{day: {DeviceWh: float64(i), Tasks: 1}}, nil, nil)
		}
		if err := tg.flushEnergy(); err != nil {
			t.Fatal(err)
		}
		tg.energyBuf.mu.Lock()
		left := len(tg.energyBuf.days)
		tg.energyBuf.mu.Unlock()
		if left != 0 {
			t.Fatalf("round %d: %d device-days left in memory after the flush", round, left)
		}
		err := tg.db.View(func(tx *store.Tx) error {
			for i := range devices {
				var e energyRecord
				if ok, err := tx.GetJSON(bucketEnergy, energyKey(day, node(i)), &e); err != nil || !ok {
					t.Fatalf("round %d: device %d's energy not stored (%v)", round, i, err)
				}
				if e.Tasks != round || e.DeviceWh != float64(i*round) {
					t.Fatalf("round %d: device %d stored %+v, want %d tasks and %d Wh", round, i, e, round, i*round)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
