// Package store keeps a node's durable state: a bbolt database behind a small
// key/value transaction API, and content-addressed blobs on disk.
//
// No bbolt transaction leaves this package. Callers pass a function that runs
// inside a transaction (Update, View, Batch) and use the Tx it receives; every
// value a Tx returns is a copy that stays valid after the transaction ends.
// Buckets are flat and created on first write; keys are strings, so callers
// keep ordered keys ordered by zero-padding numbers.
//
// Blobs (apps, inputs, outputs) are files named by their SHA-256 and checked
// again every time they are read, so a corrupt disk is noticed instead of
// being served.
package store
