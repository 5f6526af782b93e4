// Package power knows what a device draws: the board profiles that model
// its power from the work it runs, when no meter measures it. Its
// sub-packages read the meters and sensors (sensor) and decide the budget
// from the owner's policy (policy); the agent's governor keeps the device
// under that budget.
package power

import (
	"fmt"
	"math"
	"strings"
)

// Profile models a board's power: IdleW when nothing runs, rising
// linearly with the number of busy cores to MaxW when all Cores are busy
// at full frequency. Below full frequency the part above idle scales with
// the frequency (dynamic power grows with it; the voltage steps that
// come with frequency steps are left out, which over-estimates at low
// frequencies: the safe side for a budget).
type Profile struct {
	// Name is the profile's name: "rpi4", "generic", ...
	Name string `json:"name"`
	// Board is what the profile is for, for people.
	Board string `json:"board"`
	// Match lists substrings of the device tree's model that select the
	// profile ("Raspberry Pi 4").
	Match []string `json:"-"`
	// IdleW and MaxW are the board's draw idle and with every core busy.
	IdleW float64 `json:"idle_w"`
	MaxW  float64 `json:"max_w"`
	// Cores is the number of cores MaxW was measured with; 0 takes the
	// device's own count (the generic profile).
	Cores int `json:"cores"`
	// Source says where the figures come from.
	Source string `json:"source"`
}

// Profiles are the built-in board profiles. The Raspberry Pi figures are
// the whole board, at the wall of its USB supply, idle with no display and
// under stress on every core, from published measurements; the
// SheevaPlug-class figure from Marvell's 2009 spec sheet (5-7 W). Measure
// your own board with a USB meter and give --power-idle and --power-max to
// do better (docs/power.md).
var Profiles = []Profile{
	{Name: "rpi-zero2w", Board: "Raspberry Pi Zero 2 W", Match: []string{"Raspberry Pi Zero 2"},
		IdleW: 0.6, MaxW: 3.0, Cores: 4, Source: "published measurements: about 0.6 W idle, 3 W under stress"},
	{Name: "rpi3b", Board: "Raspberry Pi 3 Model B/B+", Match: []string{"Raspberry Pi 3"},
		IdleW: 1.9, MaxW: 5.1, Cores: 4, Source: "published measurements (3B+): about 1.9 W idle, 5.1 W under stress"},
	{Name: "rpi4", Board: "Raspberry Pi 4 Model B", Match: []string{"Raspberry Pi 4", "Raspberry Pi Compute Module 4"},
		IdleW: 2.7, MaxW: 6.4, Cores: 4, Source: "published measurements: about 2.7 W idle, 6.4 W under stress"},
	{Name: "rpi5", Board: "Raspberry Pi 5", Match: []string{"Raspberry Pi 5", "Raspberry Pi Compute Module 5"},
		IdleW: 3.0, MaxW: 8.0, Cores: 4, Source: "published measurements: about 3 W idle, 8 W under stress"},
	{Name: "sheevaplug", Board: "SheevaPlug-class plug computer (Marvell Kirkwood)", Match: []string{"SheevaPlug", "GuruPlug", "DreamPlug", "Kirkwood", "Pogoplug"},
		IdleW: 5.0, MaxW: 7.0, Cores: 1, Source: "Marvell's specification: 5-7 W"},
	Generic,
}

// Generic is the profile of a board Hearth does not know: 1 W idle and 6 W
// more with the core busy, per core. It is a guess; calibrate it.
var Generic = Profile{Name: "generic", Board: "a board without a profile", IdleW: 1, MaxW: 7, Cores: 1,
	Source: "a guess per core: 1 W idle, 7 W busy; calibrate with a USB meter"}

// ForModel picks the profile of a device tree model string; Generic when
// none matches (or the model is empty, as on PCs).
func ForModel(model string) Profile {
	for _, p := range Profiles {
		for _, m := range p.Match {
			if strings.Contains(model, m) {
				return p
			}
		}
	}
	return Generic
}

// Named is the built-in profile of that name.
func Named(name string) (Profile, bool) {
	for _, p := range Profiles {
		if p.Name == name {
			return p, true
		}
	}
	return Profile{}, false
}

// ProfileNames lists the built-in profiles, for --help and errors.
func ProfileNames() string {
	names := make([]string, len(Profiles))
	for i, p := range Profiles {
		names[i] = p.Name
	}
	return strings.Join(names, ", ")
}

// Model is a profile applied to a device with a number of cores.
type Model struct {
	Profile
	// IdleW and MaxW are the device's: the profile's, or for a per-core
	// profile (Cores 0 or 1 with the generic profile) scaled to the
	// device's cores.
	IdleW, MaxW float64
	Cores       int
}

// NewModel applies a profile to a device with cores cores. A profile
// measured on another number of cores keeps its idle draw and scales
// the per-core part; the generic profile scales both (it is per core).
func NewModel(p Profile, cores int) (Model, error) {
	if cores < 1 {
		cores = 1
	}
	if err := p.check(); err != nil {
		return Model{}, err
	}
	pc := p.Cores
	if pc < 1 {
		pc = cores
	}
	perCore := (p.MaxW - p.IdleW) / float64(pc)
	idle := p.IdleW
	if p.Name == Generic.Name {
		idle = p.IdleW * float64(cores) / float64(pc)
	}
	return Model{Profile: p, IdleW: idle, MaxW: idle + perCore*float64(cores), Cores: cores}, nil
}

func (p Profile) check() error {
	switch {
	case !finite(p.IdleW) || !finite(p.MaxW) || p.IdleW < 0:
		return fmt.Errorf("power profile %s: idle %v W and max %v W must be finite and not negative", p.Name, p.IdleW, p.MaxW)
	case p.MaxW <= p.IdleW:
		return fmt.Errorf("power profile %s: max %v W must be above idle %v W", p.Name, p.MaxW, p.IdleW)
	case p.MaxW > 10000:
		return fmt.Errorf("power profile %s: max %v W is not a small computer's", p.Name, p.MaxW)
	}
	return nil
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

// PerCoreW is the draw of one busy core at full frequency above idle.
func (m Model) PerCoreW() float64 { return (m.MaxW - m.IdleW) / float64(m.Cores) }

// Watts models the device's draw with busy cores busy (0..Cores) at
// frequency fraction freq (0..1; 1 when unknown).
func (m Model) Watts(busy, freq float64) float64 {
	busy = clamp(busy, 0, float64(m.Cores))
	if !(freq > 0 && freq <= 1) {
		freq = 1
	}
	return m.IdleW + m.PerCoreW()*busy*freq
}

// Cores is how many busy cores at full frequency a budget of watts
// allows: 0 below idle, at most every core.
func (m Model) CoresFor(watts float64) float64 {
	if !(watts > m.IdleW) {
		return 0
	}
	return clamp((watts-m.IdleW)/m.PerCoreW(), 0, float64(m.Cores))
}

func clamp(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }
