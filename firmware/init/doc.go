// Package hearthinit is hearth-init, PID 1 of the Hearth appliance image
// (cmd/hearth-init is its main). It lives in firmware/init; the package has
// another name because "init" cannot be imported.
//
// At boot it mounts the kernel's file systems, loads the modules the image
// lists, finds the boot disk by its MBR signature from the kernel command
// line, mounts the boot partition, the booted slot and the data partition,
// sets the clock, reads hearth.txt (moving its secrets to the data
// partition), configures the network (a cable, or Wi-Fi through nl80211:
// the driver's WPA2 handshake where it has one, as brcmfmac on the
// Raspberry Pi does, wpa_supplicant otherwise; see wifi_linux.go) and then
// runs the device's role (the agent or the gateway) from the slot,
// restarting it when it exits, reaping every orphan and petting the
// watchdog while it lives. On SIGTERM, SIGINT
// (Ctrl-Alt-Del), SIGPWR or SIGUSR2 it stops the role, saves the clock,
// unmounts and reboots (SIGUSR2 and SIGPWR: powers off).
//
// Each step is a function of paths and interfaces so that tests run it in
// a temporary directory or a network namespace; only Main touches the real
// system, and it reboots only when it really is PID 1.
package hearthinit
