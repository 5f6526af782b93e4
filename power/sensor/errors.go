package sensor

import "errors"

var (
	// ErrNotReady is returned by the Watts of a counter meter (RAPL) on its
	// first call, which only primes it, and when no time passed since the
	// previous call: a rate needs two readings some time apart.
	ErrNotReady = errors.New("sensor: counter primed, needs a second reading")

	// ErrNoSensor is returned by Meters and Temperature when
	// nothing of the kind exists under root. The wrapping error says where
	// it looked.
	ErrNoSensor = errors.New("sensor: no sensor")
)
