package main

import (
	"fmt"
	"os"
	"slices"
)

// echo shows what the sandbox passed in, so that the suite can check that
// the args and env arrive whole and that nothing of the host env leaks.
func echo(args []string) {
	for _, a := range args {
		fmt.Printf("arg %s\n", a)
	}
	env := os.Environ()
	slices.Sort(env)
	for _, e := range env {
		fmt.Printf("env %s\n", e)
	}
}
