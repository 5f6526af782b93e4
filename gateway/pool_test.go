package gateway

import (
	"context"
	"testing"

	"github.com/hearth-home/hearth/gateway/api"
)

// What the pool publishes it runs (Capacity.Runs, which the market judges
// orders by) follows the scheduler's rule: a device runs images of its own
// platform and of older variants of it, whatever platforms it lists. An
// arm/v6 board runs no arm/v7 image; an arm/v7 board that lists only its
// own platform runs an arm/v6 one, and is given its tasks.
func TestCapacityRunsOlderVariants(t *testing.T) {
	tg := startGateway(t, t.TempDir(), Config{})
	ctx := context.Background()
	join := func(name, platform string) *testNode {
		t.Helper()
		n := newNode(t, tg.Gateway)
		_, err := n.c.Hello(ctx, api.HelloRequest{JoinToken: tg.JoinToken().String(),
			Node: api.NodeInfo{Name: name, Runtimes: []string{"wasm", "oci"}, Platforms: []string{platform}}})
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	type check struct {
		runtime   string
		platforms []string
		runs      bool
	}
	try := func(cs []check) {
		t.Helper()
		c := tg.Capacity()
		for _, tc := range cs {
			if got := c.Runs(tc.runtime, tc.platforms); got != tc.runs {
				t.Errorf("pool of %v: Runs(%s, %v) = %v, want %v", c.Platforms, tc.runtime, tc.platforms, got, tc.runs)
			}
		}
	}

	join("v6", "linux/arm/v6")
	try([]check{
		{"oci", []string{"linux/arm/v6"}, true},
		{"oci", []string{"linux/arm/v5"}, true},
		{"oci", []string{"linux/arm/v7"}, false},
		{"oci", []string{"linux/arm"}, false}, // linux/arm is v7
		{"oci", []string{"linux/amd64", "linux/arm64"}, false},
		{"oci", nil, true},
		{"wasm", nil, true},
		{"jvm", nil, false},
	})

	v7 := join("v7", "linux/arm/v7")
	try([]check{
		{"oci", []string{"linux/arm/v7"}, true},
		{"oci", []string{"linux/arm"}, true},
		{"oci", []string{"linux/amd64", "linux/arm/v6"}, true},
		{"oci", []string{"linux/arm/v8"}, false},
		{"oci", []string{"linux/arm64"}, false},
		{"oci", []string{"not a platform"}, false},
	})

	// The scheduler agrees: the v7 board takes an arm/v6 image's task.
	digest := packImage(t, tg, "linux/arm/v6")
	job, err := tg.admin.SubmitJob(ctx, api.JobSpec{Name: "v6", Runtime: "oci", AppDigest: digest, Tasks: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !tg.Capacity().Runs("oci", job.Spec.Platforms) {
		t.Errorf("the pool does not run the job's platforms %v", job.Spec.Platforms)
	}
	if ls := v7.leaseAs(t, []string{"oci"}, []string{"linux/arm/v7"}); len(ls) != 1 || ls[0].JobID != job.ID {
		t.Fatalf("the arm/v7 board was leased %+v, want the arm/v6 image's task", ls)
	}
}
