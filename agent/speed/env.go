package speed

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/hearth-home/hearth/gateway/api"
)

// Env, when set, gives the speed instead of measuring it:
// "wasm=OPS,native=OPS" in kernel iterations per second (e.g.
// "wasm=2e7,native=8e7"), either part optional. For tests and benchmarks
// that need a known speed; hidden from the agent's flags.
const Env = "HEARTH_AGENT_SPEED"

// FromEnv returns the speed that Env sets, or nil when it is unset.
func FromEnv() (*api.Speed, error) {
	s, ok := os.LookupEnv(Env)
	if !ok || s == "" {
		return nil, nil
	}
	sp, err := Parse(s)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Env, err)
	}
	return &sp, nil
}

// Parse reads "wasm=OPS,native=OPS".
func Parse(s string) (api.Speed, error) {
	var sp api.Speed
	for part := range strings.SplitSeq(s, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		f, err := strconv.ParseFloat(v, 64)
		if !ok || err != nil || f < 0 || f != f || f > 1e15 {
			return sp, fmt.Errorf("%q: want wasm=OPS,native=OPS with OPS a number of iterations per second", s)
		}
		switch k {
		case "wasm":
			sp.WasmOps = f
		case "native":
			sp.NativeOps = f
		default:
			return sp, fmt.Errorf("%q: unknown part %q (want wasm or native)", s, k)
		}
	}
	return sp, nil
}
