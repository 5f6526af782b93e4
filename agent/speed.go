package agent

import (
	"context"

	"github.com/hearth-home/hearth/agent/speed"
)

// probeSpeed makes the device's speed known: Config.Speed when set, else
// measured in the background. The channel closes when the probe is done.
func (a *Agent) probeSpeed(ctx context.Context) <-chan struct{} {
	done := make(chan struct{})
	if a.cfg.Speed != nil {
		sp := *a.cfg.Speed
		a.speed.Store(&sp)
		close(done)
		return done
	}
	go func() {
		defer close(done)
		sp, err := speed.Measure(ctx, a.timing.speedBudget)
		if err != nil {
			if ctx.Err() == nil {
				a.log.Warn("speed probe failed; the gateway places work here as on a device of unknown speed", "err", err)
			}
			return
		}
		a.speed.Store(&sp)
		a.log.Info("speed measured", "wasm_ops", int64(sp.WasmOps), "native_ops", int64(sp.NativeOps))
	}()
	return done
}
