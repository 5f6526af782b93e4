package policy

import "errors"

// ErrBadPolicy is returned (wrapped) when a policy, a schedule, a signal, a
// budget value or a pool split is invalid. The wrapping message names the
// field (watts, schedule line N, soft_c, hard_c, signal ...) and the value.
var ErrBadPolicy = errors.New("invalid power policy")
