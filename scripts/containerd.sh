#!/usr/bin/env bash
# A private containerd for Hearth's tests, demo and benchmarks.
#
#   scripts/containerd.sh start [DIR]   start one (root, state and socket under DIR)
#   scripts/containerd.sh stop  [DIR]   stop it and remove what it left
#   scripts/containerd.sh env   [DIR]   print HEARTH_CONTAINERD_SOCKET=... if it runs
#   scripts/containerd.sh run CMD...    run CMD with a private containerd when one can
#                                       run here (root, containerd installed), else
#                                       without; stops the containerd it started
#
# DIR defaults to /tmp/hearth-containerd. It never touches the system's own
# containerd (/run/containerd/containerd.sock) nor its data (/var/lib/containerd).
# Tests find the socket through HEARTH_CONTAINERD_SOCKET.
set -euo pipefail

cmd=${1:-}
if [ "$cmd" = run ]; then
	dir=${HEARTH_CONTAINERD_DIR:-/tmp/hearth-containerd}
else
	dir=${2:-${HEARTH_CONTAINERD_DIR:-/tmp/hearth-containerd}}
fi
sock="$dir/containerd.sock"
pidfile="$dir/containerd.pid"

running() { [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; }

case "$cmd" in
start)
	if ! command -v containerd >/dev/null; then
		echo "containerd is not installed: apt-get install containerd runc" >&2
		exit 1
	fi
	if [ "$(id -u)" != 0 ]; then
		echo "containerd needs root; run as root, or use the wasm runtime only" >&2
		exit 1
	fi
	if running; then
		echo "HEARTH_CONTAINERD_SOCKET=$sock"
		exit 0
	fi
	mkdir -p "$dir/root" "$dir/state"
	# Only what Hearth uses: no CRI (Kubernetes), and the overlay snapshotter.
	cat >"$dir/config.toml" <<EOF
version = 2
root = "$dir/root"
state = "$dir/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$sock"
[ttrpc]
  address = "$sock.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
EOF
	containerd --config "$dir/config.toml" >"$dir/containerd.log" 2>&1 &
	echo $! >"$pidfile"
	for _ in $(seq 1 100); do
		if [ -S "$sock" ] && ctr --address "$sock" version >/dev/null 2>&1; then
			echo "HEARTH_CONTAINERD_SOCKET=$sock"
			exit 0
		fi
		sleep 0.1
	done
	echo "containerd did not come up; its log:" >&2
	tail -20 "$dir/containerd.log" >&2
	exit 1
	;;
stop)
	if running; then
		pid=$(cat "$pidfile")
		# Tasks left by a killed test: their shims would outlive the daemon.
		for ns in $(ctr --address "$sock" namespaces ls -q 2>/dev/null); do
			for t in $(ctr --address "$sock" -n "$ns" tasks ls -q 2>/dev/null); do
				ctr --address "$sock" -n "$ns" tasks kill -s SIGKILL "$t" >/dev/null 2>&1 || true
			done
		done
		kill "$pid" 2>/dev/null || true
		for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$pid" 2>/dev/null || true
	fi
	# Shims hold mounts under root; unmount before removing.
	if [ -d "$dir" ]; then
		{ grep -o " $dir/[^ ]*" /proc/mounts || true; } | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
		pkill -f "containerd-shim.*-address $sock" 2>/dev/null || true
		rm -rf "$dir"
	fi
	;;
env)
	if running; then echo "HEARTH_CONTAINERD_SOCKET=$sock"; fi
	;;
run)
	shift
	if [ -n "${HEARTH_CONTAINERD_SOCKET:-}" ]; then
		exec "$@" # the caller runs its own
	fi
	if [ "$(id -u)" != 0 ] || ! command -v containerd >/dev/null; then
		echo "note: no private containerd (needs root and containerd installed); container tests skip" >&2
		exec "$@"
	fi
	started=
	if ! running; then
		"$0" start "$dir" >/dev/null
		started=1
	fi
	export HEARTH_CONTAINERD_SOCKET="$sock"
	set +e
	"$@"
	rc=$?
	[ -n "$started" ] && "$0" stop "$dir"
	exit $rc
	;;
*)
	sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
	exit 2
	;;
esac
