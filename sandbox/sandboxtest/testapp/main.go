// Command testapp is the program that sandbox/sandboxtest runs in every
// runtime under test. It is built as a WASI module (GOOS=wasip1 GOARCH=wasm)
// for sandbox/wasm and as a static Linux binary in an OCI image for
// sandbox/containerd, so that one suite checks both with the same program.
//
// The first argument selects what it does:
//
//	echo ARG...        print "arg ARG" per argument, then "env K=V" per
//	                   environment entry, sorted; exit 0
//	exit CODE [DELAY]  after DELAY (default none), print "out" to stdout and
//	                   "err" to stderr; exit CODE
//	await PATH CODE    wait until the file PATH exists, then print "out" to
//	                   stdout and "err" to stderr; exit CODE
//	copy               copy every file under /in to the same place under
//	                   /out, printing "copied REL" for each; then try to
//	                   change /in and exit 3 if that worked
//	probe PATH ADDR    try to reach the host: read the host file PATH
//	                   directly, through symlinks made in /out and through
//	                   "..", and dial the TCP address ADDR; print "leak HOW"
//	                   for each success and "sealed" when none; exit 0
//	spin DURATION      keep one core busy for DURATION, then exit 0
//	chatty N           write N bytes to stdout and N to stderr; exit 0
//	lines              answer each line of stdin with "got LINE" and an
//	                   empty line; exit 0 at the end of stdin
//	loop               spin forever
//	sleep              sleep forever, blocked in the sandbox's clock
//	hog                allocate and touch memory until stopped
//	trap               crash: a wasm trap, or a fatal signal natively
//	clock              print "time NANOS" (the wall clock), "mono NANOS" (a
//	                   monotonic duration) and "rand HEX" (8 bytes of
//	                   crypto/rand); exit 0
//	nan A B            print the bits of A/B in hex, e.g. of the NaN that
//	                   0/0 makes, which differs between x86 and ARM; exit 0
//
// and, built for Linux only, to check a container's confinement:
//
//	whoami             print ids, capabilities and no-new-privileges
//	forkbomb N         start up to N sleeping copies of itself; print
//	                   "started K" and the error that stopped it
//	escape             try writing /, mount, unshare, setuid, chroot, a raw
//	                   socket; print "NAME ok" or "NAME refused: ERR" each,
//	                   and the network interfaces
//
// Any other use prints a message and exits 100.
package main

import (
	"crypto/rand"
	"fmt"
	"math"
	"os"
	"strconv"
	"time"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	args := os.Args[2:]
	switch os.Args[1] {
	case "echo":
		echo(args)
	case "exit":
		code, err := strconv.Atoi(arg(args, 0))
		if err != nil {
			usage()
		}
		if len(args) > 1 {
			d, err := time.ParseDuration(args[1])
			if err != nil {
				usage()
			}
			time.Sleep(d)
		}
		fmt.Fprintln(os.Stdout, "out")
		fmt.Fprintln(os.Stderr, "err")
		os.Exit(code)
	case "await":
		code, err := strconv.Atoi(arg(args, 1))
		if err != nil {
			usage()
		}
		for {
			if _, err := os.Stat(args[0]); err == nil {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		fmt.Fprintln(os.Stdout, "out")
		fmt.Fprintln(os.Stderr, "err")
		os.Exit(code)
	case "copy":
		os.Exit(copyIn())
	case "probe":
		probe(arg(args, 0), arg(args, 1))
	case "spin":
		d, err := time.ParseDuration(arg(args, 0))
		if err != nil {
			usage()
		}
		spin(d)
	case "chatty":
		n, err := strconv.Atoi(arg(args, 0))
		if err != nil {
			usage()
		}
		chatty(n)
	case "lines":
		lines()
	case "loop":
		loop()
	case "sleep":
		for {
			time.Sleep(time.Hour)
		}
	case "hog":
		hog()
	case "trap":
		trap()
	case "nan":
		a, _ := strconv.ParseFloat(arg(args, 0), 64)
		b, _ := strconv.ParseFloat(arg(args, 1), 64)
		fmt.Printf("%016x\n", math.Float64bits(a/b))
	case "clock":
		start := time.Now()
		b := make([]byte, 8)
		rand.Read(b)
		fmt.Printf("time %d\nmono %d\nrand %x\n", start.UnixNano(), time.Since(start).Nanoseconds(), b)
	case "whoami":
		whoami()
	case "forkbomb":
		n, err := strconv.Atoi(arg(args, 0))
		if err != nil {
			usage()
		}
		forkbomb(n)
	case "escape":
		escape()
	default:
		usage()
	}
}

func arg(args []string, i int) string {
	if i >= len(args) {
		usage()
	}
	return args[i]
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: testapp echo|exit|await|copy|probe|spin|chatty|lines|loop|sleep|hog|trap|whoami|forkbomb|escape [ARG...]")
	os.Exit(100)
}
