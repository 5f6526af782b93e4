package gateway

// The power history's seconds tier: the devices' samples of the last hour,
// one a second, kept in bbolt rather than in memory. A device's minute is
// one record, written when the minute ends, with the energy every few
// seconds (flushEnergy); memory holds only the minute that runs. An hour
// in memory was 290 KB a device, 0.85 GB for 3,000 (docs/scale.md); on
// disk it is 60 records of at most 2.7 KB. A record: a version byte, then
// per sample its milliseconds into the minute (uint16) and watts, budget,
// busy, work and temperature as float32 (NaN: no temperature). The
// records of a device that stopped reporting stay until it reports again,
// as the minute tier's do.

import (
	"encoding/binary"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/hearth-home/hearth/gateway/api"
	"github.com/hearth-home/hearth/internal/identity"
	"github.com/hearth-home/hearth/store"
)

const (
	// bucketPowerSeconds: node ID + "/" + the minute (Unix seconds, 12
	// digits) -> a minute's samples.
	bucketPowerSeconds = "power_seconds"
	secondSlot         = 2 + 5*4
)

// secondsAcc holds one device's samples of the minute that runs.
type secondsAcc struct {
	minute  time.Time
	samples []api.PowerSample
	last    time.Time // the last sample kept, of any minute
}

// addSecondLocked keeps sample s of node in the minute that runs, and
// returns the samples of the minute it ends, if it ends one.
func (g *Gateway) addSecondLocked(node identity.NodeID, s api.PowerSample) []api.PowerSample {
	if g.power.recent == nil {
		g.power.recent = map[identity.NodeID]*secondsAcc{}
	}
	a := g.power.recent[node]
	if a == nil {
		a = &secondsAcc{}
		g.power.recent[node] = a
	}
	var done []api.PowerSample
	if m := s.T.Truncate(time.Minute); !a.minute.Equal(m) {
		done = a.samples
		a.minute, a.samples = m, nil
	}
	a.samples = append(a.samples, s)
	a.last = s.T
	return done
}

// lastSampleLocked is when node's last kept sample was taken; zero when
// none was since the gateway started.
func (g *Gateway) lastSampleLocked(node identity.NodeID) time.Time {
	if a := g.power.recent[node]; a != nil {
		return a.last
	}
	return time.Time{}
}

// putSeconds stores a device's ended minutes (each all in one minute),
// merged with what is stored of the same minutes (samples sent again
// after a lost answer or a restart), and drops its minutes older than
// historySpan.
func putSeconds(tx *store.Tx, node identity.NodeID, minutes [][]api.PowerSample, now time.Time) error {
	for _, ss := range minutes {
		if len(ss) == 0 {
			continue
		}
		minute := ss[0].T.Truncate(time.Minute)
		key := tierKey(node, minute)
		old, _ := decodeSeconds(minute, tx.Get(bucketPowerSeconds, key))
		if err := tx.Put(bucketPowerSeconds, key, encodeSeconds(minute, mergeSamples(old, ss))); err != nil {
			return err
		}
	}
	if len(minutes) == 0 {
		return nil
	}
	return dropBefore(tx, bucketPowerSeconds, node, tierKey(node, now.Add(-historySpan-time.Minute).Truncate(time.Minute)))
}

// mergeSamples is a and b by time, one sample per millisecond (b's wins).
func mergeSamples(a, b []api.PowerSample) []api.PowerSample {
	if len(a) == 0 {
		return b
	}
	byMs := map[int64]api.PowerSample{}
	for _, s := range append(a, b...) {
		byMs[s.T.UnixMilli()] = s
	}
	out := make([]api.PowerSample, 0, len(byMs))
	for _, s := range byMs {
		out = append(out, s)
	}
	slices.SortFunc(out, func(x, y api.PowerSample) int { return x.T.Compare(y.T) })
	return out
}

func encodeSeconds(minute time.Time, ss []api.PowerSample) []byte {
	rec := make([]byte, 1, 1+len(ss)*secondSlot)
	rec[0] = 1
	for _, s := range ss {
		ms := s.T.Sub(minute).Milliseconds()
		if ms < 0 || ms >= 60_000 || !fitsFloat32(s.Watts, s.BudgetW, s.Busy, s.Work) {
			continue
		}
		temp := float32(math.NaN())
		if s.TempC != nil {
			temp = float32(*s.TempC)
		}
		rec = binary.LittleEndian.AppendUint16(rec, uint16(ms))
		for _, v := range []float32{float32(s.Watts), float32(s.BudgetW), float32(s.Busy), float32(s.Work), temp} {
			rec = binary.LittleEndian.AppendUint32(rec, math.Float32bits(v))
		}
	}
	return rec
}

// decodeSeconds reads a record of the minute; a record of another version
// or length reads as none.
func decodeSeconds(minute time.Time, rec []byte) ([]api.PowerSample, bool) {
	if len(rec) == 0 || rec[0] != 1 || (len(rec)-1)%secondSlot != 0 {
		return nil, false
	}
	var out []api.PowerSample
	for i := 1; i < len(rec); i += secondSlot {
		ms := binary.LittleEndian.Uint16(rec[i:])
		var v [5]float32
		for j := range v {
			v[j] = math.Float32frombits(binary.LittleEndian.Uint32(rec[i+2+4*j:]))
		}
		s := api.PowerSample{T: minute.Add(time.Duration(ms) * time.Millisecond).UTC(),
			Watts: float64(v[0]), BudgetW: float64(v[1]), Busy: float64(v[2]), Work: float64(v[3])}
		if !math.IsNaN(float64(v[4])) {
			t := float64(v[4])
			s.TempC = &t
		}
		out = append(out, s)
	}
	return out, true
}

// secondSamples reads the devices' samples from since on, within the hour
// kept: the stored minutes, and the minute that runs from memory.
func (g *Gateway) secondSamples(since time.Time) (map[identity.NodeID][]api.PowerSample, error) {
	if err := g.flushEnergy(); err != nil {
		return nil, err
	}
	out := map[identity.NodeID][]api.PowerSample{}
	from := since.Truncate(time.Minute).Unix()
	err := g.db.View(func(tx *store.Tx) error {
		return tx.Scan(bucketPowerSeconds, "", func(k string, rec []byte) error {
			node, m, ok := strings.Cut(k, "/")
			unix, err := strconv.ParseInt(m, 10, 64) // decimal: Sscan would read the leading zeros as octal
			if !ok || err != nil || unix < from {
				return nil
			}
			id, err := identity.ParseNodeID(node)
			if err != nil {
				return nil
			}
			ss, _ := decodeSeconds(time.Unix(unix, 0), rec)
			out[id] = append(out[id], ss...)
			return nil
		})
	})
	g.mu.Lock()
	for id, a := range g.power.recent {
		// After a restart, samples sent again may be of a minute
		// already stored.
		out[id] = mergeSamples(out[id], slices.Clone(a.samples))
	}
	g.mu.Unlock()
	for id, ss := range out {
		i, _ := slices.BinarySearchFunc(ss, since, func(s api.PowerSample, t time.Time) int { return s.T.Compare(t) })
		if i == len(ss) {
			delete(out, id)
			continue
		}
		out[id] = ss[i:]
	}
	return out, err
}
