package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"
)

// message is the part of a stream message (the gateway's
// api.StreamMessage) that average reads.
type message struct {
	Key     string          `json:"key"`
	Payload json.RawMessage `json:"payload"`
	TS      int64           `json:"ts"`
}

// stats is one key's summary, the payload of its output.
type stats struct {
	Key   string  `json:"key"`
	Count int     `json:"count"`
	Mean  float64 `json:"mean"`
	Min   float64 `json:"min"`
	Max   float64 `json:"max"`
	From  int64   `json:"from"`
	To    int64   `json:"to"`

	sum float64
}

func (s *stats) add(v float64, ts int64) {
	if s.Count == 0 {
		s.Min, s.Max, s.From, s.To = v, v, ts, ts
	}
	s.Count++
	s.sum += v
	s.Min, s.Max = min(s.Min, v), max(s.Max, v)
	s.From, s.To = min(s.From, ts), max(s.To, ts)
}

// output is one output line, as the gateway's api.StreamOutput is written.
type output struct {
	Topic   string `json:"topic"`
	Payload *stats `json:"payload"`
}

// average reads a window's messages from in and writes one output line
// per key to out, sorted by key.
func average(in io.Reader, out io.Writer, field string, stderr io.Writer) error {
	byKey := map[string]*stats{}
	r := bufio.NewReader(in) // not a Scanner: a line may pass 64 KiB
	for n := 1; ; n++ {
		line, err := r.ReadBytes('\n')
		if len(bytes.TrimSpace(line)) > 0 {
			if err := addLine(byKey, line, field); err != nil {
				fmt.Fprintf(stderr, "average: line %d: skipped: %v\n", n, err)
			}
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return fmt.Errorf("reading line %d: %w", n, err)
		}
	}
	w := bufio.NewWriter(out)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, k := range slices.Sorted(maps.Keys(byKey)) {
		s := byKey[k]
		s.Mean = math.Round(s.sum/float64(s.Count)*100) / 100
		if err := enc.Encode(output{Topic: "hearth/average/" + k, Payload: s}); err != nil {
			return err
		}
	}
	return w.Flush()
}

// addLine counts one message line in; a message without the numeric
// field is left out, and only a line that is no message is an error.
func addLine(byKey map[string]*stats, line []byte, field string) error {
	var m message
	if err := json.Unmarshal(line, &m); err != nil {
		return fmt.Errorf("not a stream message: %w", err)
	}
	var p map[string]json.RawMessage
	if json.Unmarshal(m.Payload, &p) != nil {
		return nil
	}
	var v float64
	raw, ok := p[field]
	if !ok || len(raw) == 0 || raw[0] == 'n' || json.Unmarshal(raw, &v) != nil { // 'n': null
		return nil
	}
	s := byKey[m.Key]
	if s == nil {
		s = &stats{Key: m.Key}
		byKey[m.Key] = s
	}
	s.add(v, m.TS)
	return nil
}
