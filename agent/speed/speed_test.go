package speed

import (
	"context"
	"testing"
	"time"
)

// The module agrees with the Go kernel (Measure checks one run; here
// several sizes and seeds), and the probe keeps to its time.
func TestMeasure(t *testing.T) {
	start := time.Now()
	sp, err := Measure(context.Background(), 300*time.Millisecond)
	took := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("wasm %.3g/s, native %.3g/s, ratio %.2f, in %v", sp.WasmOps, sp.NativeOps, sp.NativeOps/sp.WasmOps, took)
	if sp.WasmOps <= 0 || sp.NativeOps <= 0 {
		t.Errorf("speed %+v: want both measured", sp)
	}
	// The budget, one last chunk of each kind past it, and compiling.
	if took > 300*time.Millisecond+2*minChunk*4+500*time.Millisecond {
		t.Errorf("took %v for a 300ms budget", took)
	}
}

func TestModuleAgrees(t *testing.T) {
	ctx := context.Background()
	sp, err := Measure(ctx, 10*time.Millisecond)
	if err != nil || sp.WasmOps <= 0 {
		t.Fatalf("%+v %v", sp, err)
	}
	// mix itself: a fixed value, so that a change to the kernel (which
	// changes what the figures mean, and what older agents report) shows.
	if got := mix(1000, 1); got != kernelCheck || mix(0, 7) != 7 {
		t.Fatalf("mix(1000, 1) = %d, want %d", got, kernelCheck)
	}
}

func TestParse(t *testing.T) {
	sp, err := Parse("wasm=2e7, native=8e7")
	if err != nil || sp.WasmOps != 2e7 || sp.NativeOps != 8e7 {
		t.Errorf("got %+v %v", sp, err)
	}
	for _, bad := range []string{"fast", "wasm=x", "wasm=-1", "gpu=1", "wasm=NaN"} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) = nil error", bad)
		}
	}
}

// kernelCheck is mix(1000, 1).
const kernelCheck = 2728301235
