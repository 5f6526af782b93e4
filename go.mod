module github.com/hearth-home/hearth

go 1.26

require (
	github.com/decred/dcrd/dcrec/secp256k1/v4 v4.4.0
	go.etcd.io/bbolt v1.4.0
	golang.org/x/crypto v0.45.0
	golang.org/x/net v0.47.0
	gopkg.in/yaml.v3 v3.0.1
)

require (
	github.com/cenkalti/backoff v2.2.1+incompatible // indirect
	github.com/grandcat/zeroconf v1.0.0 // indirect
	github.com/miekg/dns v1.1.27 // indirect
	github.com/shirou/gopsutil/v3 v3.24.5 // indirect
	github.com/tetratelabs/wazero v1.11.0 // indirect
	golang.org/x/sys v0.38.0 // indirect
)
