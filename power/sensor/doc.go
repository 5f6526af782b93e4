// Package sensor reads what a Linux device says about its own power draw,
// temperature and CPU use, from sysfs and procfs.
//
// Every reader takes a root directory: "/" on a device, a fixture tree in
// tests (testdata/ holds trees copied from real boards, one number per file
// as the kernel writes them). Nothing here starts goroutines or keeps global
// state; only the RAPL meter remembers its previous reading.
//
// # Power
//
// Meters lists the ways to read the whole device's draw, best first:
//
//  1. hwmon power monitors that report power themselves (INA219, INA226:
//     power<N>_input, in µW). The power in hwmon is what the chip measured
//     on the rail it sits on, which on a board wired for it is the supply.
//  2. hwmon monitors that report current and voltage only (INA3221):
//     curr<N>_input (mA) × in<N>_input (mV), summed over the channels N
//     that have both. A monitor with power<N>_input gives no such meter, as
//     its current and voltage measure the same power again.
//  3. RAPL (Intel, and recent AMD): the energy counters of the CPU
//     packages, intel-rapl:<N>/energy_uj in µJ. It covers the CPU package
//     (cores, caches, on-die graphics), not the screen, disks or fans, so
//     it reads lower than the wall. Its power is a mean over the time
//     between two calls, so its first call returns ErrNotReady. Sub-zones
//     (intel-rapl:N:M) are inside their package and the "psys" zone
//     overlaps the packages, so both are left out.
//  4. A battery that is discharging: power_now (µW), or current_now (µA) ×
//     voltage_now (µV). A battery that charges or is full says nothing of
//     the draw; a peripheral's battery (scope "Device": a mouse) even less.
//
// Meters only looks at which files exist; a meter whose files cannot be
// read (energy_uj is readable by root only on kernels since late 2020)
// says so from Watts, so a caller can fall back to the next one.
//
// # Bad readings
//
// A reading is refused with an error naming the file, never a panic nor a
// made-up number: a missing or unreadable file (the os error, which
// errors.Is matches with fs.ErrNotExist or fs.ErrPermission), an empty
// file, text that is not an integer ("NaN", "abc"), a negative power or
// current, and a value no home device gives (over 10 kW; a temperature
// outside -40..150 °C).
//
// # Temperature, CPU and board
//
// Temperature is the hottest thermal zone, in °C (sysfs gives m°C).
// ReadCPU and BusyCores turn two readings of /proc/stat into how many cores
// were busy; Frequency says how fast the CPUs run against their maximum,
// which tells a throttled or power-saving device from an idle one.
// BoardModel names the board from its device tree.
package sensor
