package main

import (
	"flag"
	"strings"
)

// reorderArgs moves flags ahead of positional arguments, so that
// `hearth job submit job.yaml --wait` parses like `--wait job.yaml`: Go's
// flag package stops at the first non-flag. It needs fs to know which flags
// take a value ("-o json") and which do not ("--wait"). Everything after
// "--" stays positional. Unknown flags are kept as flags, for fs.Parse to
// report.
func reorderArgs(fs *flag.FlagSet, args []string) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			pos = append(pos, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		f := fs.Lookup(name)
		if f == nil || isBoolFlag(f) {
			continue
		}
		if i+1 < len(args) {
			i++
			flags = append(flags, args[i])
		}
	}
	if len(pos) == 0 {
		return flags
	}
	return append(append(flags, "--"), pos...)
}

func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}
