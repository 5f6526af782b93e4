package main

import (
	"os"
	"strings"
	"time"
)

// sink keeps the compiler from removing the busy loops.
var sink uint64

func loop() {
	for {
		sink++
	}
}

func spin(d time.Duration) {
	start := time.Now()
	for time.Since(start) < d {
		for i := 0; i < 10000; i++ {
			sink++
		}
	}
}

// hog keeps every allocation reachable and touches each page, so that the
// memory is really used and no garbage collection can return it.
func hog() {
	var keep [][]byte
	for {
		b := make([]byte, 1<<20)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		keep = append(keep, b)
	}
}

// chattyPattern is what chatty writes, repeated; the suite checks the kept
// output against it.
const chattyPattern = "0123456789abcdefghijklmnopqrstuvwxyz\n"

func chatty(n int) {
	chunk := []byte(strings.Repeat(chattyPattern, 1024))
	for _, w := range []*os.File{os.Stdout, os.Stderr} {
		for left := n; left > 0; {
			c := chunk[:min(left, len(chunk))]
			if _, err := w.Write(c); err != nil {
				os.Exit(1)
			}
			left -= len(c)
		}
	}
}
