package sensor

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// hwmonMeters finds the hwmon power monitors under root: those that report
// power, and those that report current and voltage only.
func hwmonMeters(root string) (power, currIn []Meter) {
	base := filepath.Join(root, "sys/class/hwmon")
	for _, n := range indexed(base, "hwmon", "") {
		dir := filepath.Join(base, "hwmon"+strconv.Itoa(n))
		name, err := readString(filepath.Join(dir, "name"))
		if err != nil || name == "" {
			name = filepath.Base(dir)
		}
		if ps := indexed(dir, "power", "_input"); len(ps) > 0 {
			for _, p := range ps {
				power = append(power, hwmonPower{
					name: fmt.Sprintf("hwmon %s power%d", name, p),
					path: filepath.Join(dir, fmt.Sprintf("power%d_input", p)),
				})
			}
			// Its curr and in channels measure the same power again.
			continue
		}
		ins := indexed(dir, "in", "_input")
		var channels []int
		for _, c := range indexed(dir, "curr", "_input") {
			if slices.Contains(ins, c) {
				channels = append(channels, c)
			}
		}
		if len(channels) > 0 {
			currIn = append(currIn, hwmonCurrIn{
				name:     fmt.Sprintf("hwmon %s curr×in %s", name, channelList(channels)),
				dir:      dir,
				channels: channels,
			})
		}
	}
	return power, currIn
}

// hwmonPower reads one power<N>_input, in µW.
type hwmonPower struct {
	name string
	path string
}

func (m hwmonPower) Name() string { return m.name }

func (m hwmonPower) Watts() (float64, error) {
	uw, err := readInt(m.path)
	if err != nil {
		return 0, err
	}
	w := float64(uw) / 1e6
	if err := checkWatts(w, m.path); err != nil {
		return 0, err
	}
	return w, nil
}

// hwmonCurrIn sums curr<N>_input (mA) × in<N>_input (mV) over its channels.
type hwmonCurrIn struct {
	name     string
	dir      string
	channels []int
}

func (m hwmonCurrIn) Name() string { return m.name }

func (m hwmonCurrIn) Watts() (float64, error) {
	var sum float64
	for _, c := range m.channels {
		currPath := filepath.Join(m.dir, fmt.Sprintf("curr%d_input", c))
		inPath := filepath.Join(m.dir, fmt.Sprintf("in%d_input", c))
		ma, err := readInt(currPath)
		if err != nil {
			return 0, err
		}
		mv, err := readInt(inPath)
		if err != nil {
			return 0, err
		}
		w := float64(ma) * float64(mv) / 1e6
		if err := checkWatts(w, currPath+" × "+inPath); err != nil {
			return 0, err
		}
		sum += w
	}
	return sum, nil
}

// channelList writes channels as ranges: "1-3", "1,3", "1-2,4".
func channelList(channels []int) string {
	var parts []string
	for i := 0; i < len(channels); {
		j := i
		for j+1 < len(channels) && channels[j+1] == channels[j]+1 {
			j++
		}
		if j == i {
			parts = append(parts, strconv.Itoa(channels[i]))
		} else {
			parts = append(parts, fmt.Sprintf("%d-%d", channels[i], channels[j]))
		}
		i = j + 1
	}
	return strings.Join(parts, ",")
}
