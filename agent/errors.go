package agent

import "errors"

var (
	// ErrPinConflict is returned by New when the join token and
	// Config.GatewayID name different gateways.
	ErrPinConflict = errors.New("the join token and the gateway ID disagree; give one of them")

	// ErrRunning is returned by Run when the agent is already running.
	ErrRunning = errors.New("agent is already running")
)
