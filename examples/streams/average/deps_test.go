package main

import (
	"strings"
	"testing"

	"github.com/hearth-home/hearth/hearthtest/depstest"
)

// An example function is the standard library alone, so that it can be
// copied out of Hearth and built anywhere.
func TestStandardLibraryOnly(t *testing.T) {
	const self = "github.com/hearth-home/hearth/examples/streams/average"
	for _, dep := range depstest.List(t, "", self) {
		if first, _, _ := strings.Cut(dep, "/"); dep != self && strings.Contains(first, ".") {
			t.Errorf("%s depends on %s", self, dep)
		}
	}
}
