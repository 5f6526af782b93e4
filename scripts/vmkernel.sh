#!/usr/bin/env bash
# A Linux kernel for the tests that boot a VM (hearthtest/vmtest): Debian's
# cloud kernel, small, with the serial console, initramfs support, cgroup v2
# and CFS bandwidth control built in, so that it boots with no modules at all.
#
#   scripts/vmkernel.sh [DIR]   print the path of the kernel (vmlinuz),
#                               fetching it into DIR first if it is not there
#
# DIR defaults to $HEARTH_VM_CACHE, else ~/.cache/hearth-vmkernel. The package
# is downloaded with apt-get download and unpacked with dpkg-deb -x: nothing
# is installed on the host. HEARTH_VM_KERNEL_PKG picks a package (default:
# the one linux-image-cloud-amd64 depends on now). The tests find the kernel
# through HEARTH_VM_KERNEL:
#
#   export HEARTH_VM_KERNEL=$(scripts/vmkernel.sh)
set -euo pipefail

dir=${1:-${HEARTH_VM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/hearth-vmkernel}}

pkg=${HEARTH_VM_KERNEL_PKG:-}
if [ -z "$pkg" ]; then
	pkg=$(apt-cache depends linux-image-cloud-amd64 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-image-/ { print $2; exit }')
fi
if [ -z "$pkg" ]; then
	# No apt metadata (apt-get update not run): any kernel fetched before.
	cached=$(ls -d "$dir"/linux-image-*/boot/vmlinuz-* 2>/dev/null | sort -V | tail -n 1 || true)
	if [ -n "$cached" ]; then
		echo "$cached"
		exit 0
	fi
	echo "no linux-image-cloud-amd64 in apt's lists: run apt-get update" >&2
	exit 1
fi

out="$dir/$pkg"
kernel=$(ls "$out"/boot/vmlinuz-* 2>/dev/null | head -n 1 || true)
loop=$(ls "$out"/lib/modules/*/kernel/drivers/block/loop.ko 2>/dev/null | head -n 1 || true)
if [ -z "$kernel" ] || [ -z "$loop" ]; then
	mkdir -p "$dir"
	tmp=$(mktemp -d "$dir/fetch.XXXXXX")
	trap 'rm -rf "$tmp"' EXIT
	# apt-get download writes into the current directory, which apt's
	# sandbox user (_apt) may not reach under root's home: fetch as the
	# caller.
	(cd "$tmp" && apt-get download -qq -o APT::Sandbox::User="$(id -un)" "$pkg" >&2)
	dpkg-deb -x "$tmp"/"$pkg"_*.deb "$tmp/x"
	# Only the kernel is kept, and one module: what the tests use is
	# built in, but for loop devices (the data partition's growth test in
	# firmware/init).
	mkdir -p "$tmp/keep/boot"
	mv "$tmp"/x/boot/vmlinuz-* "$tmp/keep/boot/"
	for m in "$tmp"/x/lib/modules/*/kernel/drivers/block/loop.ko; do
		[ -e "$m" ] || continue
		rel=${m#"$tmp"/x/}
		mkdir -p "$tmp/keep/$(dirname "$rel")"
		mv "$m" "$tmp/keep/$rel"
	done
	mv "$tmp"/x/boot/config-* "$tmp/keep/boot/" 2>/dev/null || true
	rm -rf "$out"
	mv "$tmp/keep" "$out"
	# Kernels of earlier packages are of no more use.
	find "$dir" -mindepth 1 -maxdepth 1 -name 'linux-image-*' ! -name "$pkg" -exec rm -rf {} +
	kernel=$(ls "$out"/boot/vmlinuz-* | head -n 1)
fi
echo "$kernel"
