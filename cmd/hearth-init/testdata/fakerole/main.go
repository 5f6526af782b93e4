// Command fakerole stands in for hearth-agent and hearth-gateway in the
// boot test (vm_test.go): it reports what hearth-init gave it (arguments,
// environment, host name, network, secrets) as one JSON line to the test,
// at the address in /slot/report-addr, then behaves as the test needs: the
// agent exits 3 on its first run, to be restarted, and asks PID 1 to
// reboot on its second (an agent named "crashy" always exits 3; one given
// --ready-file writes it first); the gateway's init writes the credentials
// file.
package main

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

type report struct {
	Role     string   `json:"role"`
	Args     []string `json:"args"`
	Env      []string `json:"env"`
	Hostname string   `json:"hostname"`
	Run      int      `json:"run"`
	Addrs    []string `json:"addrs"`
	Resolv   string   `json:"resolv"`
	Token    string   `json:"token"`
	PID1     string   `json:"pid1"`
	Firmware string   `json:"firmware"`
}

func main() {
	role := strings.TrimPrefix(filepath.Base(os.Args[0]), "hearth-")
	if len(os.Args) == 2 && os.Args[1] == "--help" {
		// As Go's flag package prints them: hearth-init looks for the
		// flags of the firmware contract.
		fmt.Fprint(os.Stderr, "Usage of fakerole:\n  -data-dir string\n    \twhere\n  -firmware-status string\n    \tstatus\n  -ready-file string\n    \tready\n")
		return
	}
	fmt.Println("fakerole", role, "args", os.Args[1:])
	if role == "gateway" && len(os.Args) > 1 && os.Args[1] == "init" {
		gatewayInit()
		return
	}
	dataDir := flagValue("--data-dir")
	os.MkdirAll(dataDir, 0o755)
	runs, _ := os.ReadFile(filepath.Join(dataDir, "runs"))
	run, _ := strconv.Atoi(strings.TrimSpace(string(runs)))
	run++
	os.WriteFile(filepath.Join(dataDir, "runs"), []byte(strconv.Itoa(run)), 0o644)

	r := report{Role: role, Args: os.Args[1:], Env: os.Environ(), Run: run}
	r.Hostname, _ = os.Hostname()
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		r.Addrs = append(r.Addrs, a.String())
	}
	b, _ := os.ReadFile("/etc/resolv.conf")
	r.Resolv = string(b)
	if f := flagValue("--token-file"); f != "" {
		b, _ := os.ReadFile(f)
		r.Token = strings.TrimSpace(string(b))
	}
	b, _ = os.ReadFile("/proc/1/comm")
	r.PID1 = strings.TrimSpace(string(b))
	if f := flagValue("--firmware-status"); f != "" {
		b, _ := os.ReadFile(f)
		r.Firmware = strings.TrimSpace(string(b))
	}
	send(r)
	fmt.Println("fakerole run", run)

	if role == "agent" && (run == 1 || flagValue("--name") == "crashy") {
		os.Exit(3)
	}
	term := make(chan os.Signal, 1)
	signal.Notify(term, syscall.SIGTERM)
	if f := flagValue("--ready-file"); f != "" {
		// A trial: ready at once, and time for hearth-init to commit.
		os.WriteFile(f, nil, 0o644)
		time.Sleep(3 * time.Second)
	}
	// This run has seen what it needs: reboot, as an updater would, with
	// `hearth-init reboot`'s signal.
	syscall.Kill(1, syscall.SIGTERM)
	select {
	case <-term:
		fmt.Println("fakerole stopping on SIGTERM")
	case <-time.After(60 * time.Second):
		fmt.Println("fakerole: no SIGTERM within 60 s")
		os.Exit(1)
	}
}

func flagValue(name string) string {
	for i, a := range os.Args {
		if a == name && i+1 < len(os.Args) {
			return os.Args[i+1]
		}
	}
	return ""
}

func send(r report) {
	addr, err := os.ReadFile("/slot/report-addr")
	if err != nil {
		fmt.Println("fakerole:", err)
		return
	}
	var c net.Conn
	for range 50 {
		if c, err = net.DialTimeout("tcp", strings.TrimSpace(string(addr)), 2*time.Second); err == nil {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err != nil {
		fmt.Println("fakerole: reporting:", err)
		return
	}
	defer c.Close()
	json.NewEncoder(c).Encode(r)
}

func gatewayInit() {
	dir := flagValue("--data-dir")
	os.MkdirAll(dir, 0o700)
	creds := fmt.Sprintf(`{"gateway":%q,"gateway_id":"fake","token":"admin"}`, flagValue("--advertise"))
	if err := os.WriteFile(filepath.Join(dir, "credentials.json"), []byte(creds), 0o600); err != nil {
		fmt.Println("fakerole:", err)
		os.Exit(1)
	}
	fmt.Println("Credentials:", filepath.Join(dir, "credentials.json"))
}
