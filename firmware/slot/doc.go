// Package slot is the device's side of Hearth OS's A/B slots
// (docs/firmware.md): which slot booted and from which disk, the boot
// loader's state in hearthboot.env, writing a release into the inactive
// slot and arming its trial, committing or failing that trial, and the
// update state kept on the data partition, from which it builds the status
// that hearth-init publishes in /run/hearth/firmware.json.
//
// Two programs use it: hearth-init (PID 1) at every boot (Device.Boot,
// Device.Status) and on a trial boot (Device.Commit, Device.Fail), and the
// updater (Device.Install). A Device is built from the kernel command line
// that the boot script wrote (Open), or from its fields in tests, where
// the partitions are plain files and the boot and data partitions are
// directories.
//
// Caveats: the state file has no lock. The two programs never write it at
// the same time because Install refuses to run on an uncommitted trial
// boot, and hearth-init writes the state only at boot and while the trial
// lasts. Everything here needs the partitions mounted.
package slot
