// Command scaleplot draws the figures of `make bench-scale` against the
// number of devices, as the SVG in docs/scale.md:
//
//	make bench-scale | tee /tmp/scale.txt
//	go run ./hearthtest/scaleplot -o docs/scale.svg /tmp/scale.txt
//
// It reads the BENCH lines of one or more runs; each run starts with
// `BENCH scale.devices N`. The charts are gonum/plot's.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

func main() {
	out := flag.String("o", "docs/scale.svg", "the image to write: SVG, or PNG when its name ends in .png")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: scaleplot [-o FILE.svg] BENCH-OUTPUT...\n\nDraws the figures of `make bench-scale` (its BENCH lines) against the number\nof devices.\n\n")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	runs := map[int]map[string]float64{}
	for _, path := range flag.Args() {
		f, err := os.Open(path)
		if err != nil {
			fatal(err)
		}
		if err := read(f, runs); err != nil {
			fatal(fmt.Errorf("%s: %w", path, err))
		}
		f.Close()
	}
	if len(runs) == 0 {
		fatal(fmt.Errorf("no `BENCH scale.devices N` line in %s: give the output of make bench-scale", strings.Join(flag.Args(), ", ")))
	}
	if err := draw2x2(runs, *out); err != nil {
		fatal(err)
	}
	fmt.Printf("scaleplot: %d runs (%v devices) drawn in %s\n", len(runs), slices.Sorted(maps.Keys(runs)), *out)
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "scaleplot:", err)
	os.Exit(1)
}

// read adds the runs in r to runs: each figure under the device count of
// the `BENCH scale.devices` line before it. A later run of the same count
// replaces an earlier one's figures.
func read(r io.Reader, runs map[int]map[string]float64) error {
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 3 || f[0] != "BENCH" || !strings.HasPrefix(f[1], "scale.") {
			continue
		}
		v, err := strconv.ParseFloat(f[2], 64)
		if err != nil {
			return fmt.Errorf("%q: %w", sc.Text(), err)
		}
		if f[1] == "scale.devices" {
			n = int(v)
			runs[n] = map[string]float64{}
			continue
		}
		if n == 0 {
			return fmt.Errorf("%q comes before any `BENCH scale.devices` line", sc.Text())
		}
		runs[n][f[1]] = v
	}
	return sc.Err()
}

// chart is one panel: the figures named, against the devices.
type chart struct {
	title, unit string
	series      []string // BENCH names
	labels      []string
	goal        float64 // 0: none
	logY        bool
	legend      string // where the legend goes, clear of the lines: "top-left", "bottom-left", "bottom-right"
}

var charts = []chart{
	{"Submission to lease", "ms", []string{"scale.lease_ms_p50", "scale.lease_ms_p99", "scale.burst_lease_ms_p99"},
		[]string{"p50, 300 tasks/s", "p99, 300 tasks/s", "p99, one task per device at once"}, 100, true, "top-left"},
	{"100 ms tasks dispatched and reported", "tasks/s", []string{"scale.tasks_per_s"}, []string{"tasks/s"}, 300, false, "bottom-left"},
	{"Gateway memory (RSS)", "MB", []string{"scale.gateway_rss_mb", "scale.gateway_rss_idle_mb"}, []string{"at work", "idle"}, 300, false, "top-left"},
	{"Heartbeats: the gateway's CPU and answer time", "µs", []string{"scale.heartbeat_cpu_us", "scale.heartbeat_us_p99"}, []string{"CPU each (idle pool)", "answer p99"}, 0, false, "bottom-left"},
}

func draw2x2(runs map[int]map[string]float64, out string) error {
	ns := slices.Sorted(maps.Keys(runs))
	ticks := make([]plot.Tick, len(ns))
	for i, n := range ns {
		ticks[i] = plot.Tick{Value: float64(n), Label: strconv.Itoa(n)}
	}
	plots := [][]*plot.Plot{make([]*plot.Plot, 2), make([]*plot.Plot, 2)}
	for i, c := range charts {
		p := plot.New()
		p.Title.Text = c.title
		p.X.Label.Text = "devices"
		p.Y.Label.Text = c.unit
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = plot.ConstantTicks(ticks)
		p.X.Min, p.X.Max = float64(ns[0])*0.8, float64(ns[len(ns)-1])*1.25
		if c.logY {
			p.Y.Scale = plot.LogScale{}
			p.Y.Tick.Marker = plot.LogTicks{Prec: -1}
		}
		p.Add(plotter.NewGrid())
		p.Legend.Top, p.Legend.Left = strings.HasPrefix(c.legend, "top"), strings.HasSuffix(c.legend, "left")
		for k, name := range c.series {
			var xys plotter.XYs
			for _, n := range ns {
				if v, ok := runs[n][name]; ok && (!c.logY || v > 0) {
					xys = append(xys, plotter.XY{X: float64(n), Y: v})
				}
			}
			if len(xys) == 0 {
				continue
			}
			l, pts, err := plotter.NewLinePoints(xys)
			if err != nil {
				return err
			}
			l.Color = plotter.DefaultLineStyle.Color
			if k > 0 {
				l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
			}
			p.Add(l, pts)
			p.Legend.Add(c.labels[k], l, pts)
		}
		if c.goal > 0 {
			g := plotter.NewFunction(func(float64) float64 { return c.goal })
			g.Dashes = []vg.Length{vg.Points(1), vg.Points(3)}
			g.Width = vg.Points(1.5)
			p.Add(g)
			p.Legend.Add(fmt.Sprintf("goal %g %s", c.goal, c.unit), g)
			if c.logY {
				p.Y.Min = min(p.Y.Min, c.goal/2)
			}
			p.Y.Max = max(p.Y.Max, c.goal*1.2)
		}
		if !c.logY {
			p.Y.Min = 0
		}
		plots[i/2][i%2] = p
	}
	w, h := vg.Points(880), vg.Points(640)
	var img vg.CanvasWriterTo = vgsvg.New(w, h)
	if strings.HasSuffix(out, ".png") {
		img = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(96))}
	}
	dc := draw.New(img)
	tiles := draw.Tiles{Rows: 2, Cols: 2, PadX: vg.Points(24), PadY: vg.Points(24), PadTop: vg.Points(8), PadBottom: vg.Points(8), PadLeft: vg.Points(8), PadRight: vg.Points(8)}
	cs := plot.Align(plots, tiles, dc)
	for r := range plots {
		for c := range plots[r] {
			plots[r][c].Draw(cs[r][c])
		}
	}
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	if _, err := img.WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
