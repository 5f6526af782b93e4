package market_test

import (
	"encoding/json"
	"os"
	"regexp"
	"testing"

	"github.com/hearth-home/hearth/gateway"
	"github.com/hearth-home/hearth/gateway/market"
)

// TestGrafanaDashboard: every hearth_* metric the example dashboard
// (docs/grafana-hearth.json) queries is one the gateway or its market
// exports.
func TestGrafanaDashboard(t *testing.T) {
	raw, err := os.ReadFile("../../docs/grafana-hearth.json")
	if err != nil {
		t.Fatal(err)
	}
	var dash struct {
		Panels []struct {
			Title   string
			Targets []struct{ Expr string }
		}
	}
	if err := json.Unmarshal(raw, &dash); err != nil {
		t.Fatalf("docs/grafana-hearth.json: %v", err)
	}
	exported := map[string]bool{}
	for _, n := range append(gateway.MetricNames(), gateway.DescNames((*market.Market)(nil).Collector())...) {
		exported[n] = true
	}
	used := regexp.MustCompile(`hearth_[a-z0-9_]+`)
	n := 0
	for _, p := range dash.Panels {
		for _, tg := range p.Targets {
			for _, m := range used.FindAllString(tg.Expr, -1) {
				n++
				if !exported[m] {
					t.Errorf("panel %q queries %s, which the gateway does not export", p.Title, m)
				}
			}
		}
	}
	if n == 0 || len(exported) < 20 {
		t.Fatalf("the dashboard queries %d hearth_* metrics of %d exported", n, len(exported))
	}
}
