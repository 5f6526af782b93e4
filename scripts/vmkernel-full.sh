#!/usr/bin/env bash
# A Linux kernel WITH its modules for the VM tests that need drivers the
# cloud kernel of scripts/vmkernel.sh lacks: Debian's full amd64 kernel
# (linux-image-amd64), whose modules include mac80211_hwsim (simulated
# Wi-Fi radios), mac80211 and cfg80211, and the regulatory database
# (wireless-regdb) the kernel loads when a Wi-Fi country is set.
#
#   scripts/vmkernel-full.sh [DIR]   print the path of the kernel (vmlinuz),
#                                    fetching it into DIR first if needed
#
# Beside the kernel, DIR/full-<package>/lib/modules/<release>/ keeps the
# wireless, rfkill, virtio and crypto modules (and modules.builtin), and
# DIR/full-<package>/lib/firmware/ regulatory.db and its signature. DIR defaults
# to $HEARTH_VM_CACHE, else ~/.cache/hearth-vmkernel (the cloud kernel's
# folder: the two packages live side by side). Nothing is installed on the
# host: apt-get download and dpkg-deb -x, as scripts/vmkernel.sh does.
# HEARTH_VM_KERNEL_FULL_PKG picks a package (default: the one
# linux-image-amd64 depends on now). The Wi-Fi test finds the kernel
# through HEARTH_VM_KERNEL_FULL:
#
#   export HEARTH_VM_KERNEL_FULL=$(scripts/vmkernel-full.sh)
set -euo pipefail

dir=${1:-${HEARTH_VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hearth-vmkernel}}

pkg=${HEARTH_VM_KERNEL_FULL_PKG:-}
if [ -z "$pkg" ]; then
	pkg=$(apt-cache depends linux-image-amd64 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-/ { print $2; exit }')
fi
if [ -z "$pkg" ]; then
	cached=$(ls -d "$dir"/full-linux-image-*/boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1 || true)
	if [ -n "$cached" ]; then
		echo "$cached"
		exit 0
	fi
	echo "no linux-image-amd64 in apt's lists: run apt-get update" >&2
	exit 1
fi

# "full-" keeps it apart from the cloud kernel's folder, which
# scripts/vmkernel.sh prunes of every other linux-image-* when its
# package changes.
out="$dir/full-$pkg"
kernel=$(ls "$out"/boot/vmlinuz-* 2>/dev/null | head -n 1 || true)
hwsim=$(find "$out"/lib/modules -name 'mac80211_hwsim.ko*' 2>/dev/null | head -n 1 || true)
regdb=$(ls "$out"/lib/firmware/regulatory.db 2>/dev/null || true)
virtio=$(find "$out"/lib/modules -name 'virtio_ring.ko*' 2>/dev/null | head -n 1 || true)
if [ -z "$kernel" ] || [ -z "$hwsim" ] || [ -z "$regdb" ] || [ -z "$virtio" ]; then
	mkdir -p "$dir"
	tmp=$(mktemp -d "$dir/fetch.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	# As the caller: apt's sandbox user (_apt) may not reach the folder.
	(cd "$tmp" && apt-get download -qq -o APT::Sandbox::User="$(id -un)" "$pkg" wireless-regdb >&2)
	dpkg-deb -x "$tmp"/"$pkg"_*.deb "$tmp/x"
	dpkg-deb -x "$tmp"/wireless-regdb_*.deb "$tmp/r"
	mkdir -p "$tmp/keep/boot" "$tmp/keep/lib/firmware"
	mv "$tmp"/x/boot/vmlinuz-* "$tmp/keep/boot/"
	mv "$tmp"/x/boot/config-* "$tmp/keep/boot/" 2>/dev/null || true
	for rel in "$tmp"/x/lib/modules/*; do
		release=$(basename "$rel")
		m="$tmp/keep/lib/modules/$release"
		mkdir -p "$m"
		cp "$rel"/modules.builtin "$m/"
		for sub in net/wireless net/mac80211 net/rfkill drivers/virtio lib crypto arch/x86/crypto; do
			[ -d "$rel/kernel/$sub" ] || continue
			mkdir -p "$m/kernel/$(dirname "$sub")"
			mv "$rel/kernel/$sub" "$m/kernel/$sub"
		done
		# drivers/net/wireless/ before 6.2, drivers/net/wireless/virtual/ since.
		find "$rel/kernel/drivers/net/wireless" -name 'mac80211_hwsim.ko*' | while read -r f; do
			r=${f#"$rel"/}
			mkdir -p "$m/$(dirname "$r")"
			mv "$f" "$m/$r"
		done
	done
	# The database as its authors signed it: the kernel checks the
	# signature against the key built into it.
	mv "$tmp"/r/lib/firmware/regulatory.db-upstream "$tmp/keep/lib/firmware/regulatory.db"
	mv "$tmp"/r/lib/firmware/regulatory.db.p7s-upstream "$tmp/keep/lib/firmware/regulatory.db.p7s"
	rm -rf "$out"
	mv "$tmp/keep" "$out"
	find "$dir" -mindepth 1 -maxdepth 1 -name 'full-linux-image-*' ! -name "full-$pkg" -exec rm -rf {} +
	kernel=$(ls "$out"/boot/vmlinuz-* | head -n 1)
fi
echo "$kernel"
