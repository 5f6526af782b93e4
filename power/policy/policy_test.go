package policy

import (
	"encoding/json"
	"math"
	"testing"
)

func TestPolicyCheck(t *testing.T) {
	for _, c := range []struct {
		name    string
		p       Policy
		wantErr string
	}{
		{"zero value", Policy{}, ""},
		{"constant", Policy{Watts: 5}, ""},
		{"above the maximum", Policy{Watts: 12}, ""},
		{"schedule", Policy{Schedule: "default 6W\nmon-fri 23:00-07:00 12W"}, ""},
		{"limits", Policy{SoftC: 60, HardC: 90}, ""},
		{"soft only, below the default hard", Policy{SoftC: 75}, ""},
		{"watts absurd", Policy{Watts: 900}, "watts: budget 900 W is more than ten times this device's maximum of 6.4 W"},
		{"watts negative", Policy{Watts: -2}, "watts: budget -2 W is negative"},
		{"watts NaN", Policy{Watts: math.NaN()}, "watts: budget NaN W is not a number"},
		{"schedule syntax", Policy{Schedule: "default 6W\nmnd 10:00-11:00 1W"}, `schedule line 2: unknown day "mnd"`},
		{"schedule value", Policy{Schedule: "default 6W\n\nmon 10:00-11:00 65W"}, "schedule line 3: budget 65 W is more than ten times this device's maximum of 6.4 W"},
		{"schedule default value", Policy{Schedule: "# x\ndefault 100W"}, "schedule line 2: budget 100 W is more than ten times"},
		{"soft above the default hard", Policy{SoftC: 85}, "soft_c 85 °C must be below hard_c 80 °C (the default)"},
		{"hard below the default soft", Policy{HardC: 60}, "soft_c 70 °C (the default) must be below hard_c 60 °C"},
		{"soft equals hard", Policy{SoftC: 75, HardC: 75}, "soft_c 75 °C must be below hard_c 75 °C"},
		{"soft negative", Policy{SoftC: -5}, "soft_c -5 °C is outside 0..150 °C"},
		{"hard too hot", Policy{HardC: 200}, "hard_c 200 °C is outside 0..150 °C"},
		{"hard NaN", Policy{HardC: math.NaN()}, "hard_c NaN °C is outside 0..150 °C"},
	} {
		t.Run(c.name, func(t *testing.T) { checkErr(t, c.p.Check(6.4), c.wantErr) })
	}
}

func TestPolicyCheckUnknownMaximum(t *testing.T) {
	checkErr(t, Policy{Watts: 900, Schedule: "default 1000W"}.Check(0), "")
	checkErr(t, Policy{Watts: -1}.Check(0), "watts: budget -1 W is negative")
}

// A policy survives JSON, with the field names the API uses, and its
// schedule's normalised text is a schedule that gives the same budgets.
func TestPolicyJSON(t *testing.T) {
	p := Policy{Watts: 4, Schedule: "# night\nMON-fri 23:00-7:00 12.0W\n*  13:00-15:00 off # quiet", SoftC: 65, HardC: 85}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"watts":4,"schedule":"# night\nMON-fri 23:00-7:00 12.0W\n*  13:00-15:00 off # quiet","soft_c":65,"hard_c":85}`
	if string(b) != want {
		t.Errorf("JSON = %s\nwant   %s", b, want)
	}
	var back Policy
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	s, err := ParseSchedule(back.Schedule)
	if err != nil {
		t.Fatal(err)
	}
	norm := Policy{Watts: back.Watts, Schedule: s.String(), SoftC: back.SoftC, HardC: back.HardC}
	if norm.Schedule != "mon-fri 23:00-07:00 12W\n* 13:00-15:00 off" {
		t.Errorf("normalised schedule = %q", norm.Schedule)
	}
	for _, now := range []int{mon, tue, wed, sat} {
		for h := range 24 {
			in := Inputs{Now: on(now, h, 30), MaxW: 6.4, IdleW: 2.7, TempC: 75}
			a, b := p.Evaluate(in), norm.Evaluate(in)
			if a.Watts != b.Watts || a.Paused != b.Paused {
				t.Errorf("at %v: original %+v, normalised %+v", in.Now, a, b)
			}
		}
	}
	if b, _ := json.Marshal(Policy{}); string(b) != "{}" {
		t.Errorf("zero Policy JSON = %s, want {}", b)
	}
}
