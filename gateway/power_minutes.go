package gateway

// The power history's minute tier: beside the last hour of the devices'
// samples (one a second, in memory), the gateway keeps one sample a
// minute per device for seven days, on disk, for the week's plots
// (GET /v1/pool/power?since=7d). Netdata keeps its tiers so. A device's
// hour is one record of 60 fixed-size slots, written as each minute ends:
// a week is 168 records of 961 bytes per device, and a minute costs one
// small write, stored with the energy's every few seconds (addEnergy). The minute that runs when the
// gateway stops is not stored, and the hours of a device that no longer
// reports stay until it reports again.

import (
	"encoding/binary"
	"fmt"
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
	// bucketPowerMinutes: node ID + "/" + the hour (Unix seconds, 12
	// digits) -> minuteHour.
	bucketPowerMinutes = "power_minutes"
	// minuteSpan is how long the minute tier keeps a device's minutes.
	minuteSpan = 7 * 24 * time.Hour
	// slotSize: watts, budget, work and temperature as float32 (NaN: no
	// sample in that minute; temperature NaN: unknown).
	slotSize = 16
	// hourRecord is a stored hour: a version byte, then 60 slots.
	hourRecord = 1 + 60*slotSize
)

// minuteAcc sums one device's samples of the minute that runs.
type minuteAcc struct {
	t                   time.Time // the minute's start; zero before any sample
	n, temps            int
	watts, budget, work float64
	temp                float64
}

func (a *minuteAcc) add(s api.PowerSample) {
	a.n++
	a.watts += s.Watts
	a.budget += s.BudgetW
	a.work += s.Work
	if s.TempC != nil {
		if a.temps == 0 || *s.TempC > a.temp {
			a.temp = *s.TempC
		}
		a.temps++
	}
}

// sample is the minute's mean (and hottest temperature).
func (a *minuteAcc) sample() api.PowerSample {
	n := float64(a.n)
	s := api.PowerSample{T: a.t, Watts: a.watts / n, BudgetW: a.budget / n, Work: a.work / n}
	if a.temps > 0 {
		t := a.temp
		s.TempC = &t
	}
	return s
}

// minuteOf adds sample s to node's minute, and returns the minute that s
// ends, if it ends one.
func (g *Gateway) minuteOfLocked(node identity.NodeID, s api.PowerSample) (api.PowerSample, bool) {
	if g.power.minutes == nil {
		g.power.minutes = map[identity.NodeID]*minuteAcc{}
	}
	a := g.power.minutes[node]
	if a == nil {
		a = &minuteAcc{}
		g.power.minutes[node] = a
	}
	t := s.T.Truncate(time.Minute)
	var done api.PowerSample
	ended := false
	if !a.t.Equal(t) {
		if a.n > 0 && t.After(a.t) {
			done, ended = a.sample(), true
		}
		*a = minuteAcc{t: t}
	}
	a.add(s)
	return done, ended
}

// tierKey is a power history record's key, in the minute tier (t an
// hour) and the seconds tier (t a minute): the node, then t in Unix
// seconds on 12 digits, so that a node's records sort by time.
func tierKey(node identity.NodeID, t time.Time) string {
	return fmt.Sprintf("%s/%012d", node, t.Unix())
}

// putMinutes stores node's ended minutes, in the records of their hours,
// and drops the node's hours older than minuteSpan.
func putMinutes(tx *store.Tx, node identity.NodeID, minutes []api.PowerSample, now time.Time) error {
	for _, s := range minutes {
		if !fitsFloat32(s.Watts, s.BudgetW, s.Work) {
			continue // a device's nonsense: it would be stored as infinity
		}
		hour := s.T.Truncate(time.Hour)
		key := tierKey(node, hour)
		rec := tx.Get(bucketPowerMinutes, key)
		if len(rec) != hourRecord {
			rec = emptyHour()
		}
		i := 1 + int(s.T.Sub(hour)/time.Minute)*slotSize
		temp := float32(math.NaN())
		if s.TempC != nil {
			temp = float32(*s.TempC)
		}
		for j, v := range []float32{float32(s.Watts), float32(s.BudgetW), float32(s.Work), temp} {
			binary.LittleEndian.PutUint32(rec[i+4*j:], math.Float32bits(v))
		}
		if err := tx.Put(bucketPowerMinutes, key, rec); err != nil {
			return err
		}
	}
	if len(minutes) == 0 {
		return nil
	}
	return dropBefore(tx, bucketPowerMinutes, node, tierKey(node, now.Add(-minuteSpan).Truncate(time.Hour)))
}

// dropBefore deletes node's records in bucket whose keys sort before
// oldest: keys of node ID, "/" and a fixed-width time, so that the old
// ones come first.
func dropBefore(tx *store.Tx, bucket string, node identity.NodeID, oldest string) error {
	var old []string
	err := tx.Scan(bucket, node.String()+"/", func(k string, _ []byte) error {
		if k >= oldest {
			return errStopScan
		}
		old = append(old, k)
		return nil
	})
	if err != nil && err != errStopScan {
		return err
	}
	for _, k := range old {
		if err := tx.Delete(bucket, k); err != nil {
			return err
		}
	}
	return nil
}

func fitsFloat32(xs ...float64) bool {
	for _, x := range xs {
		if math.Abs(x) > math.MaxFloat32 {
			return false
		}
	}
	return true
}

func emptyHour() []byte {
	rec := make([]byte, hourRecord)
	rec[0] = 1
	nan := math.Float32bits(float32(math.NaN()))
	for i := 1; i < hourRecord; i += 4 {
		binary.LittleEndian.PutUint32(rec[i:], nan)
	}
	return rec
}

// minuteSamples reads the minutes the gateway keeps from since on, per
// device.
func (g *Gateway) minuteSamples(since time.Time) (map[string][]api.PowerSample, error) {
	if err := g.flushEnergy(); err != nil {
		return nil, err
	}
	out := map[string][]api.PowerSample{}
	err := g.db.View(func(tx *store.Tx) error {
		return tx.Scan(bucketPowerMinutes, "", func(k string, rec []byte) error {
			node, h, ok := strings.Cut(k, "/")
			if !ok || len(rec) != hourRecord || rec[0] != 1 {
				return nil // not a record of this version: skipped
			}
			unix, err := strconv.ParseInt(h, 10, 64) // decimal: fmt.Sscan would read the leading zeros as octal
			if err != nil {
				return nil
			}
			hour := time.Unix(unix, 0)
			if hour.Add(time.Hour).Before(since) {
				return nil
			}
			for m := range 60 {
				i := 1 + m*slotSize
				var v [4]float32
				for j := range v {
					v[j] = math.Float32frombits(binary.LittleEndian.Uint32(rec[i+4*j:]))
				}
				t := hour.Add(time.Duration(m) * time.Minute).UTC()
				if math.IsNaN(float64(v[0])) || math.IsInf(float64(v[0]), 0) || t.Before(since) {
					continue
				}
				s := api.PowerSample{T: t, Watts: float64(v[0]), BudgetW: float64(v[1]), Work: float64(v[2])}
				if !math.IsNaN(float64(v[3])) {
					c := float64(v[3])
					s.TempC = &c
				}
				out[node] = append(out[node], s)
			}
			return nil
		})
	})
	for _, ss := range out {
		slices.SortFunc(ss, func(a, b api.PowerSample) int { return a.T.Compare(b.T) })
	}
	return out, err
}
