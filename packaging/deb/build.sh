#!/bin/sh
# Builds Hearth's Debian packages without root and without debhelper: each
# package is a tree staged here and packed by `dpkg-deb --root-owner-group`.
# `make deb` runs it with the Makefile's flags; docs/install-deb.md says
# what the packages hold and how to install them.
#
#   packaging/deb/build.sh [-o DIR] ARCH...      ARCH: amd64, arm64, armhf
#
# For each ARCH it writes DIR/hearth-agent_<v>_<ARCH>.deb,
# hearth-gateway_<v>_<ARCH>.deb and hearth_<v>_<ARCH>.deb (the CLI), then
# prints their sizes.
#
# Environment: TUF_ROOT (the release repository's root.json: the agent
# package pins it and updates itself; without it the agent is updated by
# apt alone), GO (go), LDFLAGS and AGENT_TAGS (the Makefile's), VERSION
# (default: git describe, as the Makefile), DEB_VERSION (default: VERSION
# made a Debian version), DEB_MAINTAINER.
set -eu
umask 022

out=dist
while getopts o: opt; do
	case $opt in
	o) out=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ $# -eq 0 ]; then
	echo "usage: $0 [-o DIR] ARCH... (amd64, arm64, armhf)" >&2
	exit 2
fi
case $out in /*) ;; *) out=$PWD/$out ;; esac

here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
GO=${GO:-go}
VERSION=${VERSION:-$(git describe --always --dirty 2>/dev/null || echo dev)}
LDFLAGS=${LDFLAGS:--s -w -X main.version=$VERSION}
AGENT_TAGS=${AGENT_TAGS:-nethttpomithttp2,grpcnotrace}
MAINTAINER=${DEB_MAINTAINER:-Hearth developers <hearth-home@users.noreply.github.com>}
export CGO_ENABLED=0

# Commit time: in the Debian version of untagged builds, and the files'
# mtimes (dpkg-deb honours SOURCE_DATE_EPOCH), so that a commit builds the
# same packages twice.
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
export SOURCE_DATE_EPOCH

# debversion maps `git describe` onto a Debian version, which must start
# with a digit and, in a package without a Debian revision, hold no hyphen:
# v1.2.0 -> 1.2.0, v1.2.0-4-gabc1234 -> 1.2.0+4.gabc1234, abc1234 (no tag
# yet) -> 0.0~git<commit time, UTC>.abc1234; -dirty becomes +dirty or .dirty.
debversion() {
	v=$1 dirty=
	case $v in *-dirty) dirty=-dirty v=${v%-dirty} ;; esac
	case $v in
	*[!0-9a-f]* | ?????? | ????? | ???? | ??? | ?? | ? | '')
		case $v in
		v[0-9]* | [0-9]*) v=${v#v}$dirty ;;
		*) v=0.0~$v$dirty ;;
		esac
		v=$(printf '%s' "$v" | sed 's/-/+/; s/-/./g')
		;;
	*)
		when=$(TZ=UTC git log -1 --date=format-local:%Y%m%d%H%M%S --format=%cd 2>/dev/null || echo 0)
		v=0.0~git$when.$v${dirty:++dirty}
		;;
	esac
	printf '%s\n' "$v" | tr -c 'A-Za-z0-9.+~\n' '.'
}
DEB_VERSION=${DEB_VERSION:-$(debversion "$VERSION")}

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$out"

# build ARCH PKG: go build the package's program for ARCH into its tree.
# armhf is GOARM=6 for all three programs: Raspberry Pi OS calls its 32-bit
# port armhf on the ARMv6 Pi Zero and Pi 1 too, and an ARMv7 build stops
# there with an illegal instruction. Debian's armhf (ARMv7) runs it as well.
build() {
	goarch=$1 goarm=
	case $1 in
	armhf) goarch=arm goarm=6 ;;
	amd64 | arm64) ;;
	*)
		echo "$0: unknown architecture $1 (amd64, arm64, armhf)" >&2
		exit 2
		;;
	esac
	tags=
	[ "$2" = hearth-agent ] && tags=$AGENT_TAGS
	GOOS=linux GOARCH=$goarch GOARM=$goarm "$GO" build -trimpath -tags "$tags" -ldflags "$LDFLAGS" \
		-o "$stage/$2/usr/bin/$2" "./cmd/$2"
}

# doc PKG: the copyright and changelog every package carries.
doc() {
	d=$stage/$1/usr/share/doc/$1
	mkdir -p "$d"
	cp "$here/copyright" "$d/copyright"
	commit=$(git rev-parse HEAD 2>/dev/null || echo unknown)
	{
		printf '%s (%s) unstable; urgency=medium\n\n' "$1" "$DEB_VERSION"
		printf '  * Built from commit %s (%s).\n\n' "$commit" "$VERSION"
		printf ' -- %s  %s\n' "$MAINTAINER" "$(LC_ALL=C date -u -R -d "@$SOURCE_DATE_EPOCH")"
	} | gzip -9n >"$d/changelog.gz"
}

# unit PKG UNIT PURGE: the service's unit and maintainer scripts; PURGE is
# what purging the package deletes.
unit() {
	root=$stage/$1
	install -D -m 0644 "$here/../systemd/$2" "$root/lib/systemd/system/$2"
	mkdir -p "$root/DEBIAN"
	for s in postinst prerm postrm; do
		sed -e "s|@PACKAGE@|$1|g" -e "s|@UNIT@|$2|g" -e "s|@PURGE@|$3|g" "$here/$s.in" >"$root/DEBIAN/$s"
		chmod 0755 "$root/DEBIAN/$s"
	done
}

# overrides PKG: lintian tags that do not apply, each with its reason.
overrides() {
	install -D -m 0644 "$here/lintian/$1" "$stage/$1/usr/share/lintian/overrides/$1"
}

# pack PKG ARCH SECTION FIELDS DESCRIPTION: write DEBIAN/control and
# md5sums, then pack the tree.
pack() {
	root=$stage/$1
	mkdir -p "$root/DEBIAN"
	(cd "$root" && find . -type f ! -path './DEBIAN/*' | LC_ALL=C sort | sed 's|^\./||' | xargs md5sum) >"$root/DEBIAN/md5sums"
	# Installed-Size as dpkg-gencontrol counts it: KiB per file, rounded up,
	# and one for every other entry.
	size=$(cd "$root" && find . ! -path . ! -path './DEBIAN*' -printf '%y %s\n' |
		awk '$1 == "f" { k += int(($2 + 1023) / 1024); next } { k++ } END { print k }')
	{
		printf 'Package: %s\nVersion: %s\nArchitecture: %s\n' "$1" "$DEB_VERSION" "$2"
		printf 'Maintainer: %s\nInstalled-Size: %s\n' "$MAINTAINER" "$size"
		[ -n "$4" ] && printf '%s\n' "$4"
		printf 'Section: %s\nPriority: optional\n' "$3"
		printf 'Homepage: https://github.com/hearth-home/hearth\n'
		printf 'Description: %s\n' "$5"
	} >"$root/DEBIAN/control"
	find "$root" -type d -exec chmod 0755 {} +
	dpkg-deb --build --root-owner-group -Zxz "$root" "$out/$1_${DEB_VERSION}_$2.deb" >/dev/null
	rm -rf "$root"
}

for arch in "$@"; do
	p=hearth-agent
	build "$arch" $p
	install -D -m 0755 "$here/hearth-agent-start" "$stage/$p/usr/libexec/hearth/hearth-agent-start"
	# The signed updater and its supervisor (docs/install-deb.md, "Updates").
	build "$arch" hearth-update
	install -D -m 0755 "$stage/hearth-update/usr/bin/hearth-update" "$stage/$p/usr/libexec/hearth/hearth-update"
	rm -rf "$stage/hearth-update"
	if [ -n "${TUF_ROOT:-}" ]; then
		install -D -m 0644 "$TUF_ROOT" "$stage/$p/usr/share/hearth/root.json"
	fi
	# 0600: it may hold the join token.
	install -D -m 0600 "$here/default/hearth-agent" "$stage/$p/etc/default/hearth-agent"
	unit $p hearth-agent.service "/var/lib/hearth-agent /etc/hearth/join-token"
	printf '/etc/default/hearth-agent\n' >"$stage/$p/DEBIAN/conffiles"
	doc $p
	overrides $p
	pack $p "$arch" net "Recommends: runc
Suggests: containerd" "Hearth agent: a device's part in a home's compute pool
 Hearth turns the small computers of a home (Raspberry Pis, plug
 computers, an old laptop) into one compute pool that the household owns.
 The agent finds the home's gateway on the LAN, pairs with it and runs the
 tasks it hands out, under the device's power budget: WebAssembly modules,
 and OCI containers through runc (recommended on small devices) or
 containerd.
 .
 The hearth-agent service starts at once and waits for the owner's
 approval; with the pool's join token in /etc/hearth/join-token (or
 /etc/default/hearth-agent) it pairs by itself."

	p=hearth-gateway
	build "$arch" $p
	install -D -m 0644 "$here/default/hearth-gateway" "$stage/$p/etc/default/hearth-gateway"
	unit $p hearth-gateway.service "/var/lib/hearth-gateway /var/lib/private/hearth-gateway"
	printf '/etc/default/hearth-gateway\n' >"$stage/$p/DEBIAN/conffiles"
	doc $p
	overrides $p
	pack $p "$arch" net "Recommends: hearth" "Hearth gateway: the coordinator of a home's compute pool
 Hearth turns the small computers of a home (Raspberry Pis, plug
 computers, an old laptop) into one compute pool that the household owns.
 One gateway per home pairs the devices' agents, queues jobs, places
 tasks, keeps results and can sell the pool's work on an Ethereum market.
 .
 The hearth-gateway service runs as a user of its own, made up at each
 start; the pool's join token is in its log (journalctl -u hearth-gateway)."

	p=hearth
	build "$arch" $p
	doc $p
	overrides $p
	pack $p "$arch" net "" "command-line client of Hearth home compute pools
 The hearth command administers a Hearth pool and submits work to it:
 devices, jobs, power budgets, images and the market. It reads the
 credentials file that the pool's gateway writes."
done

for arch in "$@"; do
	for p in hearth-agent hearth-gateway hearth; do
		f=$out/${p}_${DEB_VERSION}_$arch.deb
		stat -c '%n %s' "$f" | awk '{n=$1; sub(".*/", "", n); printf "%-52s %6.2f MiB %11d bytes\n", n, $2/1048576, $2}'
	done
done
