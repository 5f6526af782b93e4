package hearthtxt

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestSet(t *testing.T) {
	var c Config
	for _, k := range keys {
		if err := Set(&c, strings.ToUpper(k.name), k.example); err != nil {
			t.Errorf("Set(%s, %q): %v", k.name, k.example, err)
		}
		if k.get(c) == "" {
			t.Errorf("Set(%s) left it unset", k.name)
		}
	}
	for _, k := range keys {
		if err := Set(&c, k.name, ""); err != nil {
			t.Errorf("Set(%s, \"\"): %v", k.name, err)
		}
		if v := k.get(c); v != "" {
			t.Errorf("Set(%s, \"\") left %q", k.name, v)
		}
	}
	if !reflect.DeepEqual(c, Config{}) {
		t.Errorf("unsetting every key left %+v", c)
	}
	err := Set(&c, "power_budget", "lots")
	if !errors.Is(err, ErrBadValue) || !strings.Contains(err.Error(), "power_budget: write a number of watts") {
		t.Errorf("Set(power_budget, lots) = %v", err)
	}
	if err := Set(&c, "colour", "red"); err == nil || !strings.Contains(err.Error(), "the keys are:") {
		t.Errorf("Set(colour) = %v", err)
	}
}
