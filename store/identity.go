package store

import (
	"fmt"

	"github.com/hearth-home/hearth/internal/identity"
)

const nodeBucket = "node"

// Identity returns the node's identity, creating and saving one on first use.
func (db *DB) Identity() (identity.Identity, error) {
	var id identity.Identity
	err := db.Update(func(tx *Tx) error {
		if seed := tx.Get(nodeBucket, "key"); seed != nil {
			var err error
			id, err = identity.FromSeed(seed)
			if err != nil {
				return fmt.Errorf("stored node key: %w", err)
			}
			return nil
		}
		var err error
		id, err = identity.Generate()
		if err != nil {
			return err
		}
		return tx.Put(nodeBucket, "key", id.Seed())
	})
	return id, err
}
