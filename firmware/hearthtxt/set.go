package hearthtxt

import (
	"fmt"
	"strings"
)

// Set sets one key of c from a value as hearth.txt would hold it (for
// `hearth firmware configure`), with the same checks as Parse; "" unsets
// the key.
func Set(c *Config, name, value string) error {
	k, ok := lookup(strings.ToLower(name))
	if !ok {
		return fmt.Errorf("no setting %q: %s", name, unknownAdvice(name))
	}
	if value == "" {
		return nil
	}
	if err := setValue(c, k, value); err != nil {
		return fmt.Errorf("%s: %w", k.name, err)
	}
	return nil
}
