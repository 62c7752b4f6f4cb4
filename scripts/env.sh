# SPDX-License-Identifier: GPL-2.0
# Shared settings for xtcp's scripts; sourced, not run.
#
# The test kernel is cached outside the repository, keyed by the Debian
# package version of linux-source-<series> and a hash of its config
# fragments, so that a fresh clone (or CI) reuses a kernel built by an
# earlier run.
#
# XTCP_KSERIES picks the kernel series: 6.12 (the default, the full test
# suite) or 6.1 (Debian 12's default kernel: scripts/check's second run).
# Its fragment is scripts/uml.config, then scripts/uml-<series>.config
# where a series needs options of its own (later lines win), and
# scripts/uml-<series>.patch, if there is one, is applied to its source.

XTCP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
XTCP_CACHE=${XTCP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/xtcp}
XTCP_KSERIES=${XTCP_KSERIES:-6.12}
XTCP_SRC_PKG=linux-source-$XTCP_KSERIES
XTCP_SRC_TARBALL=/usr/src/$XTCP_SRC_PKG.tar.xz
XTCP_FRAGMENT=${XTCP_FRAGMENT:-$XTCP_ROOT/scripts/uml.config}
XTCP_FRAGMENTS=("$XTCP_FRAGMENT")
[ -f "$XTCP_ROOT/scripts/uml-$XTCP_KSERIES.config" ] &&
	XTCP_FRAGMENTS+=("$XTCP_ROOT/scripts/uml-$XTCP_KSERIES.config")
# XTCP_KVARIANT=bench adds scripts/uml-bench.config last: the same kernel
# without its debugging options, for make bench (a tree of its own).
XTCP_KVARIANT=${XTCP_KVARIANT:-debug}
[ "$XTCP_KVARIANT" = debug ] ||
	XTCP_FRAGMENTS+=("$XTCP_ROOT/scripts/uml-$XTCP_KVARIANT.config")
XTCP_PATCHES=()
[ -f "$XTCP_ROOT/scripts/uml-$XTCP_KSERIES.patch" ] &&
	XTCP_PATCHES+=("$XTCP_ROOT/scripts/uml-$XTCP_KSERIES.patch")

# Packages the build, the test kernel and the tests need on the host. The
# guest runs the host's binaries through hostfs, so test tools live here too.
XTCP_PACKAGES="build-essential bc flex bison libelf-dev libssl-dev xz-utils
	$XTCP_SRC_PKG kmod iproute2 tcpdump ethtool procps util-linux
	python3 perl iputils-ping iperf3 nftables
	python3-matplotlib curl socat nginx-light openssh-server openssh-client
	redis-server redis-tools"

xtcp_die() {
	echo "xtcp: $*" >&2
	exit 1
}

# The source package version, e.g. 6.12.117-1, or nothing if not installed.
xtcp_src_version() {
	dpkg-query -W -f='${Version}' "$XTCP_SRC_PKG" 2>/dev/null
}

# Where the unpacked source and the UML build tree for this fragment live.
xtcp_uml_dirs() {
	local ver hash

	ver=$(xtcp_src_version)
	[ -n "$ver" ] || xtcp_die "$XTCP_SRC_PKG is not installed (run scripts/deps)"
	# One fragment hashes as sha256sum of it alone did before.
	hash=$(cat "${XTCP_FRAGMENTS[@]}" ${XTCP_PATCHES[@]+"${XTCP_PATCHES[@]}"} |
		sha256sum | cut -c1-12)
	XTCP_SRC=$XTCP_CACHE/src-$ver/$XTCP_SRC_PKG
	XTCP_UML=$XTCP_CACHE/uml-$ver-$hash
}

# xtcp_copy_sources DIR: the module's sources only, into DIR: no objects of
# another build, git or not. For builds that must leave this tree's objects
# (the UML test kernel's) alone.
xtcp_copy_sources() {
	mkdir -p "$1"
	(cd "$XTCP_ROOT" &&
		find Kbuild Makefile dkms.conf mod include kunit tools -type f \
			\( -name '*.[ch]' -o -name Kbuild -o -name Makefile \
			   -o -name dkms.conf -o -name xtcp-run \) -print0 |
		cpio -0pdm --quiet "$1")
}

# xtcp_build_module DIR: xtcp.ko and the KUnit module for the kernel tree
# $XTCP_UML, built in DIR from a copy of the sources (this tree's objects
# stay those of the debug test kernel); the log in DIR/build.log.
xtcp_build_module() {
	xtcp_copy_sources "$1"
	make -C "$1" KDIR="$XTCP_UML" ARCH=um modules >"$1/build.log" 2>&1 || {
		tail -n 20 "$1/build.log" >&2
		xtcp_die "xtcp.ko does not build for $XTCP_UML (log: $1/build.log)"
	}
}

# xtcp_uml_pid PID: print the host pid of the UML kernel that scripts/uml-run
# (running as PID, started in the background) boots: uml-run's bash starts
# timeout, which starts linux; the guest's user processes are children of
# linux. Nothing if it did not start within 10 s.
xtcp_uml_pid() {
	local i t k=

	for ((i = 0; i < 100 && !k; i++)); do
		t=$(pgrep -P "$1" -x timeout || true)
		[ -z "$t" ] || k=$(pgrep -P "$t" | head -n 1 || true)
		[ -n "$k" ] || sleep 0.1
	done
	echo "$k"
}
