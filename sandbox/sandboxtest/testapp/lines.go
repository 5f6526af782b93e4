package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
)

// lines answers each line of stdin with "got LINE" and an empty line, as a
// stream's map function does, writing each answer before it reads on, so
// that the suite can drive it in lockstep. It exits 0 at the end of stdin
// and 3 if reading fails.
func lines() {
	in := bufio.NewReader(os.Stdin)
	for {
		line, err := in.ReadString('\n')
		if line != "" {
			fmt.Printf("got %s\n\n", strings.TrimSuffix(line, "\n"))
		}
		if err == io.EOF {
			return
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(3)
		}
	}
}
