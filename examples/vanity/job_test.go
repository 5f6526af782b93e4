package main

import (
	"bytes"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// TestJobSpecsFindAKey runs every shard of each shipped job spec natively and
// checks which shards find a key, so that editing a spec's prefix, seed or
// tries cannot silently turn the demo into a job that finds nothing.
func TestJobSpecsFindAKey(t *testing.T) {
	for _, tc := range []struct {
		file  string
		finds []int // shards that find a key
	}{
		{"job-small.yaml", []int{0, 2}},
		{"job.yaml", []int{1, 2}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			if tc.file == "job.yaml" && testing.Short() {
				t.Skip("about 2 s of searching")
			}
			raw, err := os.ReadFile(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			var spec struct {
				Runtime string   `yaml:"runtime"`
				App     string   `yaml:"app"`
				Tasks   int      `yaml:"tasks"`
				Args    []string `yaml:"args"`
			}
			if err := yaml.Unmarshal(raw, &spec); err != nil {
				t.Fatal(err)
			}
			if spec.Runtime != "wasm" || spec.App != "vanity.wasm" || spec.Tasks < 1 {
				t.Fatalf("unexpected spec: %+v", spec)
			}
			var finds []int
			for i := range spec.Tasks {
				args := make([]string, len(spec.Args))
				for j, a := range spec.Args {
					a = strings.ReplaceAll(a, "{{index}}", strconv.Itoa(i))
					args[j] = strings.ReplaceAll(a, "{{tasks}}", strconv.Itoa(spec.Tasks))
				}
				args = append(args, "-out", t.TempDir())
				var stdout, stderr bytes.Buffer
				if code := run(args, nil, &stdout, &stderr); code != exitOK {
					t.Fatalf("shard %d: exit %d: %s", i, code, &stderr)
				}
				if strings.HasPrefix(stdout.String(), `{"found":true`) {
					finds = append(finds, i)
				}
				if code := run([]string{"verify"}, &stdout, new(bytes.Buffer), &stderr); code != exitOK {
					t.Fatalf("shard %d: result does not verify: %s", i, &stderr)
				}
			}
			if !slices.Equal(finds, tc.finds) {
				t.Errorf("shards finding a key: %v, want %v", finds, tc.finds)
			}
		})
	}
}
