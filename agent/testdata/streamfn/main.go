// Command streamfn is the stream tests' map function: it answers each
// message {"n": N} with one output {"n": N, "v": V}, V from -v, and misbehaves
// on request: {"crash": true} panics, {"loop": true} never answers,
// {"garbage": true} writes a line that is not an output. With -forgive it
// answers those like any other message. With -echo it answers every
// message with its payload, as it is (the benchmark's identity function).
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"os"
)

func main() {
	v := flag.Int("v", 1, "the version written in every output")
	forgive := flag.Bool("forgive", false, "answer poison messages like the others")
	echo := flag.Bool("echo", false, "answer each message with its payload")
	flag.Parse()
	in := bufio.NewReader(os.Stdin)
	out := bufio.NewWriter(os.Stdout)
	for {
		line, err := in.ReadBytes('\n')
		if err != nil {
			return // EOF: the partition stops
		}
		if *echo {
			var m struct {
				Payload json.RawMessage `json:"payload"`
			}
			if json.Unmarshal(line, &m) == nil && len(m.Payload) > 0 {
				out.WriteString(`{"payload":`)
				out.Write(m.Payload)
				out.WriteString("}\n")
			}
			out.WriteString("\n")
			out.Flush()
			continue
		}
		var m struct {
			Payload struct {
				N       int  `json:"n"`
				Crash   bool `json:"crash"`
				Loop    bool `json:"loop"`
				Garbage bool `json:"garbage"`
			} `json:"payload"`
		}
		if err := json.Unmarshal(line, &m); err != nil {
			fmt.Fprintln(os.Stderr, "bad input line:", err)
			out.WriteString("\n")
			out.Flush()
			continue
		}
		p := m.Payload
		switch {
		case p.Crash && !*forgive:
			panic("crash requested")
		case p.Loop && !*forgive:
			for {
			}
		case p.Garbage && !*forgive:
			out.WriteString("this is not an output\n\n")
		default:
			fmt.Fprintf(out, "{\"payload\":{\"n\":%d,\"v\":%d}}\n\n", p.N, *v)
		}
		out.Flush()
	}
}
