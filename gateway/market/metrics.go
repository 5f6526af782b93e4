package market

import (
	"math/big"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/hearth-home/hearth/gateway/api"
)

var (
	descOrders = prometheus.NewDesc("hearth_market_orders",
		"Orders the provider knows, by state at the provider (seen, accepting, running, settling, settled, ...).", []string{"state"}, nil)
	descTasksSettled = prometheus.NewDesc("hearth_market_tasks_settled_total",
		"Tasks of orders settled on the provider's result, paid for.", nil, nil)
	descEarned = prometheus.NewDesc("hearth_market_earned_ether_total",
		"What settled orders paid the provider, in ether (a float: wei would overflow its precision).", nil, nil)
	descOutbox = prometheus.NewDesc("hearth_chain_outbox_pending",
		"The provider's transactions queued or sent and not yet final.", nil, nil)
)

// marketStates are the states hearth_market_orders always has a sample for.
var marketStates = []api.MarketOrderState{api.OrderSeen, api.OrderRefused, api.OrderAccepting, api.OrderRunning,
	api.OrderSettling, api.OrderRevealing, api.OrderSettled, api.OrderOutvoted, api.OrderDisputed, api.OrderFailed, api.OrderReclaimed}

// Collector is the market's Prometheus metrics, read from the provider's
// store at each scrape (gateway.Gateway.SetMarketMetrics serves them).
func (m *Market) Collector() prometheus.Collector { return marketCollector{m} }

type marketCollector struct{ m *Market }

func (c marketCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- descOrders
	ch <- descTasksSettled
	ch <- descEarned
	ch <- descOutbox
}

func (c marketCollector) Collect(ch chan<- prometheus.Metric) {
	os, err := c.m.loadOrders(func(orderRecord) bool { return true })
	if err != nil {
		c.m.log.Warn("metrics: reading the orders", "err", err)
		return
	}
	by := map[api.MarketOrderState]int{}
	for _, s := range marketStates {
		by[s] = 0
	}
	tasks := 0
	wei := new(big.Int)
	for _, o := range os {
		by[o.State]++
		if o.State != api.OrderSettled {
			continue
		}
		tasks += o.TasksDone
		if p, ok := new(big.Int).SetString(o.PricePerTask, 10); ok {
			wei.Add(wei, p.Mul(p, big.NewInt(int64(o.TasksDone))))
		}
	}
	for s, n := range by {
		ch <- prometheus.MustNewConstMetric(descOrders, prometheus.GaugeValue, float64(n), string(s))
	}
	ch <- prometheus.MustNewConstMetric(descTasksSettled, prometheus.CounterValue, float64(tasks))
	ether, _ := new(big.Float).Quo(new(big.Float).SetInt(wei), big.NewFloat(1e18)).Float64()
	ch <- prometheus.MustNewConstMetric(descEarned, prometheus.CounterValue, ether)
	if recs, err := c.m.outbox.List(); err == nil {
		pending := 0
		for _, r := range recs {
			if !r.Final() {
				pending++
			}
		}
		ch <- prometheus.MustNewConstMetric(descOutbox, prometheus.GaugeValue, float64(pending))
	}
}
