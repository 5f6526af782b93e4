# Hearth's boot script: picks slot A or B and boots that slot's kernel.
# The image builder fills in @CONSOLES@ and @DISK@, and mkimage makes it
# boot.scr on the boot partition, where U-Boot's distro boot finds it (the
# same script on every board: Raspberry Pis, 32-bit and 64-bit, and QEMU's
# virt machine).
#
# hearthboot.env, on the same partition, holds the state, rewritten only
# here (on a trial boot) and by the device when it commits or tries an
# update (docs/firmware.md):
#   BOOT_ORDER   the slots to try, first first: "A B" or "B A"
#   BOOT_A_LEFT  boots slot A may still try: 3 = committed, 1 = one trial
#   BOOT_B_LEFT  left; 0 = never again, until an update writes the slot
# A trial slot (LEFT 1) is set to 0 before it boots: if it does not commit,
# the next boot, however it comes (reboot, watchdog, panic, power cut),
# takes the other slot.
setenv BOOT_ORDER "A B"
setenv BOOT_A_LEFT 3
setenv BOOT_B_LEFT 0
if load ${devtype} ${devnum}:1 ${kernel_addr_r} hearthboot.env; then
	env import -t ${kernel_addr_r} ${filesize} BOOT_ORDER BOOT_A_LEFT BOOT_B_LEFT
fi

setenv hearth_slot
setenv hearth_trial 0
for s in ${BOOT_ORDER}; do
	if test "x${hearth_slot}" = "x"; then
		if test "x${s}" = "xA" && test ${BOOT_A_LEFT} -gt 0; then
			setenv hearth_slot A
			setenv hearth_part 2
			if test ${BOOT_A_LEFT} -eq 1; then
				setenv hearth_trial 1
				setenv BOOT_A_LEFT 0
			fi
		fi
		if test "x${s}" = "xB" && test ${BOOT_B_LEFT} -gt 0; then
			setenv hearth_slot B
			setenv hearth_part 3
			if test ${BOOT_B_LEFT} -eq 1; then
				setenv hearth_trial 1
				setenv BOOT_B_LEFT 0
			fi
		fi
	fi
done
if test "x${hearth_slot}" = "x"; then
	# Neither slot may boot: the state is damaged. Slot A is the one the
	# card was flashed with.
	echo "hearth: no slot left to try; booting slot A"
	setenv hearth_slot A
	setenv hearth_part 2
fi
if test ${hearth_trial} -eq 1; then
	# The file keeps its length (single digits), so this rewrites one
	# sector in place.
	env export -t ${kernel_addr_r} BOOT_ORDER BOOT_A_LEFT BOOT_B_LEFT
	fatwrite ${devtype} ${devnum}:1 ${kernel_addr_r} hearthboot.env ${filesize}
fi

echo "hearth: booting slot ${hearth_slot} (trial ${hearth_trial})"
setenv bootargs "@CONSOLES@ panic=1 hearth.slot=${hearth_slot} hearth.trial=${hearth_trial} hearth.disk=@DISK@"
# The slot's kernel says how it boots: a 32-bit ARM kernel is a zImage,
# which decompresses itself (bootz); an arm64 Image comes gzipped, and
# booti wants it unzipped.
if test -e ${devtype} ${devnum}:${hearth_part} /boot/zImage; then
	# U-Boot for 32-bit Pis runs on a device tree of its own (a Pi 1 B's),
	# not the model's: the kernel gets the model's file, which U-Boot
	# names in fdtfile, from this partition, where it is clear of the
	# kernel decompressing itself. Boards without fdtfile (QEMU's virt)
	# hand on the tree U-Boot runs on.
	setenv hearth_fdt ${fdtcontroladdr}
	if test -n "${fdtfile}" && load ${devtype} ${devnum}:1 ${fdt_addr_r} ${fdtfile}; then
		setenv hearth_fdt ${fdt_addr_r}
	fi
	load ${devtype} ${devnum}:${hearth_part} ${kernel_addr_r} /boot/zImage
	load ${devtype} ${devnum}:${hearth_part} ${ramdisk_addr_r} /boot/initrd.img
	bootz ${kernel_addr_r} ${ramdisk_addr_r}:${filesize} ${hearth_fdt}
else
	load ${devtype} ${devnum}:${hearth_part} ${ramdisk_addr_r} /boot/vmlinuz.gz
	unzip ${ramdisk_addr_r} ${kernel_addr_r}
	load ${devtype} ${devnum}:${hearth_part} ${ramdisk_addr_r} /boot/initrd.img
	booti ${kernel_addr_r} ${ramdisk_addr_r}:${filesize} ${fdtcontroladdr}
fi
echo "hearth: slot ${hearth_slot} did not boot"
reset
