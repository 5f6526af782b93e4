// Package depstest is the one helper of the binaries' dependency tests
// (as Tailscale's deps tests): a binary lists what it links and fails when
// something that must stay out comes back.
package depstest

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// List returns the packages that the package in the current directory
// links when built with tags ("" for none), and fails the test when go
// list cannot say or does not list must, a package it surely links.
func List(t testing.TB, tags, must string) []string {
	t.Helper()
	args := []string{"list", "-deps"}
	if tags != "" {
		args = append(args, "-tags", tags)
	}
	out, err := exec.Command("go", append(args, ".")...).Output()
	if err != nil {
		t.Fatalf("go %s .: %v", strings.Join(args, " "), err)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, must) {
		t.Fatalf("go list -deps does not list %s:\n%s", must, out)
	}
	return deps
}

// NoNetHTTP fails the test when the package in the current directory (its
// import path is self) links net/http or its helpers: they cost the agent's
// ARM binary about a megabyte, and the agent speaks HTTP/1.1 through
// internal/http1 instead.
func NoNetHTTP(t testing.TB, self string) {
	t.Helper()
	for _, dep := range List(t, "", self) {
		if dep == "net/http" || strings.HasPrefix(dep, "net/http/") || dep == "net/textproto" || dep == "mime/multipart" {
			t.Errorf("%s depends on %s; keep net/http out of the agent", self, dep)
		}
	}
}
