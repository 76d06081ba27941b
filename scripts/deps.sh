#!/bin/sh
# Install the Debian 12 packages ss7fw needs to build, test, fuzz, package and demo,
# when any is missing. Runs apt-get only when needed (and as root).
set -e
PKGS="gcc make pkg-config libconfig-dev libpcap-dev libsystemd-dev libsctp-dev
libosmocore-dev libosmo-sigtran-dev clang libclang-rt-14-dev tshark valgrind
qemu-system-x86 busybox-static osmo-stp lksctp-tools kmod cpio iproute2 python3
prometheus curl debhelper dpkg-dev lintian rsyslog rsyslog-gnutls openssl libssl-dev libhiredis-dev
redis-server"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "deps: installing:$missing"
if [ "$(id -u)" != 0 ]; then
	echo "deps: not root; install these packages first:$missing" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# tshark asks whether non-root users may capture; answer no.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get install -y -qq $missing >/dev/null
