package main

import (
	"flag"
	"io"
	"slices"
	"testing"
)

func TestReorderArgs(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Bool("wait", false, "")
	fs.String("o", "table", "")
	fs.String("out", "", "")
	for _, tc := range []struct {
		in, want []string
	}{
		{[]string{"job.yaml", "--wait"}, []string{"--wait", "--", "job.yaml"}},
		{[]string{"job.yaml", "-o", "json", "--wait"}, []string{"-o", "json", "--wait", "--", "job.yaml"}},
		{[]string{"-o=json", "x"}, []string{"-o=json", "--", "x"}},
		{[]string{"ID", "--out", "dir"}, []string{"--out", "dir", "--", "ID"}},
		{[]string{"--wait=false", "a"}, []string{"--wait=false", "--", "a"}},
		// After "--" everything is positional, even what looks like a flag.
		{[]string{"a", "--", "--wait"}, []string{"--", "a", "--wait"}},
		// A lone "-" is a positional argument (stdin, by convention).
		{[]string{"-", "--wait"}, []string{"--wait", "--", "-"}},
		// Unknown flags stay flags for fs.Parse to reject.
		{[]string{"a", "--bogus", "b"}, []string{"--bogus", "--", "a", "b"}},
		// A value flag at the end without its value is left for Parse.
		{[]string{"a", "-o"}, []string{"-o", "--", "a"}},
		{[]string{"--wait"}, []string{"--wait"}},
		{nil, nil},
	} {
		got := reorderArgs(fs, tc.in)
		if !slices.Equal(got, tc.want) {
			t.Errorf("reorderArgs(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestReorderedArgsParse(t *testing.T) {
	fs := flag.NewFlagSet("t", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	wait := fs.Bool("wait", false, "")
	o := fs.String("o", "table", "")
	if err := fs.Parse(reorderArgs(fs, []string{"job.yaml", "--wait", "-o", "json"})); err != nil {
		t.Fatal(err)
	}
	if !*wait || *o != "json" || !slices.Equal(fs.Args(), []string{"job.yaml"}) {
		t.Errorf("wait=%v o=%q args=%q", *wait, *o, fs.Args())
	}
	fs2 := flag.NewFlagSet("t", flag.ContinueOnError)
	fs2.SetOutput(io.Discard)
	if err := fs2.Parse(reorderArgs(fs2, []string{"a", "-o"})); err == nil {
		t.Error("a value flag without its value parsed")
	}
}
