module github.com/hearth-home/hearth

go 1.26

require (
	github.com/decred/dcrd/dcrec/secp256k1/v4 v4.4.0
	github.com/grandcat/zeroconf v1.0.0
	github.com/miekg/dns v1.1.27
	github.com/shirou/gopsutil/v3 v3.24.5
	github.com/tetratelabs/wazero v1.11.0
	go.etcd.io/bbolt v1.4.0
	golang.org/x/crypto v0.45.0
	golang.org/x/net v0.47.0
	golang.org/x/sys v0.38.0
	gopkg.in/yaml.v3 v3.0.1
)

require (
	github.com/cenkalti/backoff v2.2.1+incompatible // indirect
	github.com/go-ole/go-ole v1.2.6 // indirect
	github.com/lufia/plan9stats v0.0.0-20211012122336-39d0f177ccd0 // indirect
	github.com/power-devops/perfstat v0.0.0-20210106213030-5aafc221ea8c // indirect
	github.com/tklauser/go-sysconf v0.3.12 // indirect
	github.com/tklauser/numcpus v0.6.1 // indirect
	github.com/yusufpapurcu/wmi v1.2.4 // indirect
)
