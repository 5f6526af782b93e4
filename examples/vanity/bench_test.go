package main

import "testing"

// BenchmarkCandidate measures one candidate: derive the key, then its address.
// Job sizing in job.yaml rests on this figure.
func BenchmarkCandidate(b *testing.B) {
	var c uint64
	for b.Loop() {
		k := CandidateKey("hearth", c)
		if _, err := AddressOf(&k); err != nil {
			b.Fatal(err)
		}
		c++
	}
}
