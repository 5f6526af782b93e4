package main

import (
	"fmt"
	"net"
	"os"
	"path"
	"strings"
	"time"
)

// probe tries every way it knows out of the sandbox towards the host file
// secret and the host TCP address addr. Success is reported, not hidden:
// the suite fails on any "leak" line.
func probe(secret, addr string) {
	leaks := 0
	read := func(how, p string) {
		if b, err := os.ReadFile(p); err == nil && len(b) > 0 {
			fmt.Printf("leak %s: %q\n", how, b)
			leaks++
		}
	}
	read("direct", secret)
	read("dotdot", "/in/../../../.."+secret)
	if os.Symlink(secret, "/out/abs-link") == nil {
		read("absolute symlink", "/out/abs-link")
	}
	rel := strings.Repeat("../", 32) + strings.TrimPrefix(secret, "/")
	if os.Symlink(rel, "/out/rel-link") == nil {
		read("relative symlink", "/out/rel-link")
	}
	// Writing through a link must not plant a file next to the secret; the
	// suite looks for it on the host.
	planted := path.Join(path.Dir(secret), "planted")
	if os.Symlink(planted, "/out/plant-link") == nil {
		if os.WriteFile("/out/plant-link", []byte("planted"), 0o644) == nil {
			fmt.Println("wrote through symlink")
		}
	}
	if c, err := net.DialTimeout("tcp", addr, 2*time.Second); err == nil {
		fmt.Fprintf(c, "hello from the sandbox\n")
		c.Close()
		fmt.Printf("leak network: dialed %s\n", addr)
		leaks++
	}
	if leaks == 0 {
		fmt.Println("sealed")
	}
}
