# SPDX-License-Identifier: GPL-2.0
# Shared settings for xtcp's scripts; sourced, not run.
#
# The test kernel is cached outside the repository, keyed by the Debian
# package version of linux-source-6.12 and a hash of scripts/uml.config, so
# that a fresh clone (or CI) reuses a kernel built by an earlier run.

XTCP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
XTCP_CACHE=${XTCP_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/xtcp}
XTCP_SRC_PKG=linux-source-6.12
XTCP_SRC_TARBALL=/usr/src/$XTCP_SRC_PKG.tar.xz
XTCP_FRAGMENT=${XTCP_FRAGMENT:-$XTCP_ROOT/scripts/uml.config}

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
	hash=$(sha256sum "$XTCP_FRAGMENT" | cut -c1-12)
	XTCP_SRC=$XTCP_CACHE/src-$ver/$XTCP_SRC_PKG
	XTCP_UML=$XTCP_CACHE/uml-$ver-$hash
}
