package policy_test

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/hearth-home/hearth/power/policy"
)

// The example of the package documentation: a Raspberry Pi 4 (idle 2.7 W,
// maximum 6.4 W) through a week.
func ExamplePolicy_Evaluate() {
	p := policy.Policy{
		Watts:    4,
		Schedule: "mon-fri 23:00-07:00 12W\nsat,sun 00:00-24:00 5W\n* 13:00-15:00 off",
	}
	home := time.FixedZone("UTC+1", 60*60)
	at := func(day, hh int) time.Time { return time.Date(2025, time.January, day, hh, 0, 0, 0, home) }
	const mon, tue, wed, sat = 13, 7, 8, 11
	inputs := func(now time.Time, tempC float64, signals ...policy.Signal) policy.Inputs {
		return policy.Inputs{Now: now, MaxW: 6.4, IdleW: 2.7, TempC: tempC, Signals: signals}
	}
	for _, in := range []policy.Inputs{
		inputs(at(tue, 3), 50),
		inputs(at(tue, 3), 74),
		inputs(at(mon, 3), math.NaN()),
		inputs(at(wed, 10), math.NaN()),
		inputs(at(wed, 10), math.NaN(), policy.Signal{Kind: "solar", Watts: 3.5, Source: "inverter", Expires: at(wed, 11)}),
		inputs(at(wed, 10), math.NaN(), policy.Signal{Kind: "heat", Demand: 0.5, Source: "thermostat", Expires: at(wed, 11)}),
		inputs(at(wed, 10), math.NaN(), policy.Signal{Kind: "heat", Demand: 0.5, Source: "thermostat", Expires: at(wed, 9)}),
		inputs(at(wed, 10), 76),
		inputs(at(wed, 14), math.NaN()),
		inputs(at(sat, 10), math.NaN()),
		inputs(at(sat, 14), math.NaN()),
	} {
		b := p.Evaluate(in)
		fmt.Print(in.Now.Format("Mon 15:04"))
		if !math.IsNaN(in.TempC) {
			fmt.Printf(", %.0f °C", in.TempC)
		}
		fmt.Printf(": %v W", b.Watts)
		if b.Paused {
			fmt.Print(", paused")
		}
		fmt.Printf("\n\t%s\n", strings.Join(b.Reasons, "\n\t"))
	}
	// Output:
	// Tue 03:00, 50 °C: 6.4 W
	// 	schedule: mon-fri 23:00-07:00 12W
	// 	capped at this device's maximum of 6.4 W
	// Tue 03:00, 74 °C: 3.84 W
	// 	schedule: mon-fri 23:00-07:00 12W
	// 	capped at this device's maximum of 6.4 W
	// 	thermal: 74.0 °C, derated to 60%
	// Mon 03:00: 4 W
	// 	constant 4 W (no schedule rule matches)
	// Wed 10:00: 4 W
	// 	constant 4 W (no schedule rule matches)
	// Wed 10:00: 3.5 W
	// 	constant 4 W (no schedule rule matches)
	// 	solar surplus 3.5 W (inverter)
	// Wed 10:00: 3.2 W
	// 	constant 4 W (no schedule rule matches)
	// 	heat demand 50% × 6.4 W = 3.2 W (thermostat)
	// Wed 10:00: 4 W
	// 	constant 4 W (no schedule rule matches)
	// 	signal heat (thermostat) expired 1h ago, ignored
	// Wed 10:00, 76 °C: 1.6 W, paused
	// 	constant 4 W (no schedule rule matches)
	// 	thermal: 76.0 °C, derated to 40%
	// 	budget 1.6 W is below this device's idle draw of 2.7 W: all work paused
	// Wed 14:00: 0 W, paused
	// 	schedule: * 13:00-15:00 off
	// 	budget 0 W is below this device's idle draw of 2.7 W: all work paused
	// Sat 10:00: 5 W
	// 	schedule: sat,sun 00:00-24:00 5W
	// Sat 14:00: 0 W, paused
	// 	schedule: * 13:00-15:00 off
	// 	budget 0 W is below this device's idle draw of 2.7 W: all work paused
}

func ExampleParseSchedule() {
	s, err := policy.ParseSchedule(`# night tariff: compute more at night
default 6W
mon-fri 23:00-07:00 12W
sat,sun 00:00-24:00 10W
*       13:00-15:00 0W     # quiet hours (0 W pauses work)`)
	if err != nil {
		panic(err)
	}
	home := time.FixedZone("UTC+1", 60*60)
	for _, t := range []time.Time{
		time.Date(2025, time.January, 7, 3, 0, 0, 0, home),   // Tuesday, Monday's night
		time.Date(2025, time.January, 8, 14, 0, 0, 0, home),  // Wednesday, quiet hours
		time.Date(2025, time.January, 8, 16, 0, 0, 0, home),  // Wednesday afternoon
		time.Date(2025, time.January, 11, 16, 0, 0, 0, home), // Saturday afternoon
	} {
		w, _ := s.At(t)
		fmt.Printf("%s: %v W\n", t.Format("Mon 15:04"), w)
	}
	fmt.Println(s)

	_, err = policy.ParseSchedule("default 6W\nmon-fri 23:00-07:00 12W\nmnd 10:00-11:00 3W")
	fmt.Println(err)
	// Output:
	// Tue 03:00: 12 W
	// Wed 14:00: 0 W
	// Wed 16:00: 6 W
	// Sat 16:00: 10 W
	// default 6W
	// mon-fri 23:00-07:00 12W
	// sat,sun 00:00-24:00 10W
	// * 13:00-15:00 0W
	// invalid power policy: schedule line 3: unknown day "mnd" (want mon tue wed thu fri sat sun, a range like mon-fri, a list like sat,sun, or *)
}

func ExampleSplit() {
	devices := []policy.Share{
		{ID: "pi4", IdleW: 2.7, MaxW: 6.4},
		{ID: "pi5", IdleW: 3, MaxW: 8},
		{ID: "plug", IdleW: 5, MaxW: 7},
	}
	for _, total := range []float64{10, 15.7, 30} {
		got, err := policy.Split(total, devices)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%v W:", total)
		for _, id := range slices.Sorted(maps.Keys(got)) {
			fmt.Printf(" %s %.2f W", id, got[id])
		}
		fmt.Println()
	}
	// Output:
	// 10 W: pi4 4.53 W pi5 5.47 W plug 0.00 W
	// 15.7 W: pi4 4.43 W pi5 5.34 W plug 5.93 W
	// 30 W: pi4 6.40 W pi5 8.00 W plug 7.00 W
}
