#!/bin/sh
# Sets up a Debian machine for parpd and builds it into ./build:
# installs the build and test dependencies (as root, with apt-get), then
# bootstrap, configure and make.  Used by the README's two Quick start
# commands (tests/demo.sh and tests/check.sh) and by CI.
#
#   PARPD_CONFIGURE_FLAGS   configure flags (default: warnings as errors
#                           and the address/undefined sanitizers)
#   PARPD_SKIP_APT=1        do not install packages
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

# Build: autotools (and autoconf-archive for AX_APPEND_COMPILE_FLAGS), flex, bison, libpcap, libdnet (libdumbnet on Debian),
# libcap, cmocka.  Tests: namespaces and real clients (iproute2, ping,
# arping, ndisc6), captures (tcpdump, tshark), crafted frames (scapy),
# the lab switch's first-hop filter (nftables),
# the manual's lint (mandoc), coverage (lcov), valgrind for the benchmark.
packages="build-essential autoconf automake autoconf-archive pkg-config flex bison
	libpcap-dev libdumbnet-dev libcap-dev libcmocka-dev
	iproute2 iputils-ping arping ndisc6 tcpdump tshark python3-scapy
	procps psmisc mandoc lcov valgrind clang libclang-rt-14-dev nftables
	ndppd gnuplot-nox"

if [ "${PARPD_SKIP_APT:-0}" != 1 ] && command -v apt-get >/dev/null; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "setup: not root: skipping apt-get; install: $packages" >&2
	else
		export DEBIAN_FRONTEND=noninteractive
		echo "setup: installing packages with apt-get"
		apt-get update -qq
		# tshark asks whether non-root users may capture: answer no.
		echo "wireshark-common wireshark-common/install-setuid boolean false" |
		    debconf-set-selections
		# shellcheck disable=SC2086
		apt-get install -y -qq --no-install-recommends $packages \
		    >/tmp/parpd-apt.log 2>&1 || {
			cat /tmp/parpd-apt.log >&2
			exit 1
		}
	fi
fi

flags=${PARPD_CONFIGURE_FLAGS---enable-werror --enable-sanitizers}
echo "setup: building in $top/build (configure $flags)"
if [ ! -x configure ] || [ configure.ac -nt configure ] ||
    [ Makefile.am -nt Makefile.in ]; then
	./bootstrap >/tmp/parpd-bootstrap.log 2>&1 || {
		cat /tmp/parpd-bootstrap.log >&2
		exit 1
	}
fi
mkdir -p build
cd build
if [ ! -f Makefile ] || [ "$(cat .configure-flags 2>/dev/null)" != "$flags" ]; then
	# shellcheck disable=SC2086
	../configure $flags >configure.out 2>&1 || {
		cat configure.out >&2
		exit 1
	}
	echo "$flags" >.configure-flags
fi
make -j"$(nproc 2>/dev/null || echo 2)" >make.out 2>&1 || {
	cat make.out >&2
	exit 1
}
echo "setup: built $top/build/parpd"
