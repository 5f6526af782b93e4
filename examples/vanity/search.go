package main

import (
	"errors"
	"fmt"
	"math/bits"
)

// ErrBadShard is returned when a shard index is not below the shard count,
// or when a shard's counter range would overflow 64 bits.
var ErrBadShard = errors.New("invalid shard")

// Search describes one shard of a vanity search. Its zero value is not
// runnable: Prefix must be set and Tries must be at least 1.
type Search struct {
	// Prefix is what the address must start with.
	Prefix Prefix
	// Seed feeds CandidateKey; the empty seed is allowed but public.
	Seed string
	// Shard is this task's index, 0 .. Shards-1.
	Shard uint64
	// Shards is the job's task count. The counter range depends only on
	// Shard and Tries; Shards is checked so that a mistyped job fails loudly.
	// Zero means 1.
	Shards uint64
	// Tries is how many candidates each shard examines.
	Tries uint64
}

// Result is what one shard reports. Its JSON form is the task's output, and
// its field order is fixed so that replicas print identical bytes.
type Result struct {
	Found      bool   `json:"found"`
	Prefix     string `json:"prefix"`
	Address    string `json:"address,omitempty"`
	PrivateKey string `json:"private_key,omitempty"`
	Shard      uint64 `json:"shard"`
	// Tried counts candidates examined, the matching one included.
	Tried uint64 `json:"tried"`
}

// Range returns the first counter of the shard and the count; shard I gets
// I*Tries .. I*Tries+Tries-1, so shards never overlap.
func (s *Search) Range() (first, n uint64, err error) {
	shards := s.Shards
	if shards == 0 {
		shards = 1
	}
	if s.Shard >= shards {
		return 0, 0, fmt.Errorf("%w: shard %d is not below shards %d", ErrBadShard, s.Shard, shards)
	}
	if s.Tries == 0 {
		return 0, 0, fmt.Errorf("%w: tries must be at least 1", ErrBadShard)
	}
	hi, first := bits.Mul64(s.Shard, s.Tries)
	if _, carry := bits.Add64(first, s.Tries-1, 0); hi != 0 || carry != 0 {
		return 0, 0, fmt.Errorf("%w: shard %d with %d tries overflows the 64-bit counter", ErrBadShard, s.Shard, s.Tries)
	}
	return first, s.Tries, nil
}

// Run examines the shard's candidates in counter order and stops at the
// first match, so the answer is the same on every device.
func (s *Search) Run() (Result, error) {
	first, n, err := s.Range()
	if err != nil {
		return Result{}, err
	}
	r := Result{Prefix: s.Prefix.String(), Shard: s.Shard}
	for i := range n {
		key := CandidateKey(s.Seed, first+i)
		addr, err := AddressOf(&key)
		if err != nil {
			// CandidateKey only returns valid scalars.
			return Result{}, fmt.Errorf("candidate %d: %w", first+i, err)
		}
		r.Tried = i + 1
		if s.Prefix.Match(&addr) {
			r.Found = true
			r.Address = addr.String()
			r.PrivateKey = FormatPrivateKey(&key)
			break
		}
	}
	return r, nil
}
