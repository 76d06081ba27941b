#!/bin/sh
# Build (once) what the SCTP test VM boots: Debian 12's own kernel, unpacked
# from its .deb (not installed), and a busybox initramfs.
#
#   sh scripts/vm/build-vm.sh          build what is missing, print nothing else
#   sh scripts/vm/build-vm.sh -f       rebuild everything
#
# The result is cached under build-vm/ (git-ignored):
#   build-vm/vmlinuz        the kernel
#   build-vm/initramfs.gz   busybox, the modules for virtio/9p and SCTP, /init
#   build-vm/stamp          the kernel package it was built from
#   build-vm/dl/            the kernel .deb (kept, so a rebuild needs no network)
#
# The /init of the initramfs: mounts proc/sys/dev; loads virtio-pci and 9p, then
# crc32c_generic, libcrc32c, udp_tunnel, ip6_udp_tunnel, sctp (with what each
# depends on, resolved by `modprobe --show-depends` here on the host after
# `depmod -b`: the .deb ships no modules.dep); mounts the host's / (9p tag
# "hostroot", read-only) on /mnt/root, and the optional writable share (tag
# "hostout") at the host path given as ss7fw.out=; puts tmpfs on /tmp, /run,
# /var/tmp; sets the loopback up with MTU 1500 and 4 MiB socket buffers;
# chroots and runs `/bin/sh <ss7fw.script=PATH>`; prints "SS7FW-VM-EXIT=<rc>"
# and powers off. A missing SCTP module gives rc 99, a failed mount rc 98.
#
# Needs (scripts/deps.sh installs them): apt-get, dpkg-deb, kmod (depmod,
# modprobe), cpio, gzip, busybox-static.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${SS7FW_VM_DIR:-$root/build-vm}
force=0
[ "${1:-}" = "-f" ] && force=1

die() { echo "build-vm: $*" >&2; exit 1; }

for t in apt-get apt-cache dpkg-deb depmod modprobe cpio gzip; do
	command -v "$t" >/dev/null 2>&1 || die "missing tool: $t (run scripts/deps.sh)"
done
busybox=/bin/busybox
[ -x "$busybox" ] || busybox=/usr/bin/busybox
[ -x "$busybox" ] || die "busybox-static is not installed"
# The busybox in the initramfs must be static: nothing else is there.
if command -v file >/dev/null 2>&1; then
	file -L "$busybox" | grep -q 'statically linked' || die "$busybox is not static (install busybox-static)"
fi

# The kernel package behind the linux-image-amd64 metapackage.
kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*\)$/\1/p' | head -n 1)
if [ -z "$kpkg" ]; then
	apt-get update -qq >/dev/null 2>&1 || true
	kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: \(linux-image-[0-9].*\)$/\1/p' | head -n 1)
fi
[ -n "$kpkg" ] || die "cannot resolve linux-image-amd64 to a kernel package"
kver=${kpkg#linux-image-}

want="$kpkg $(sha256sum "$0" | cut -c1-16)"
if [ "$force" = 0 ] && [ -f "$out/stamp" ] && [ "$(cat "$out/stamp")" = "$want" ] &&
   [ -f "$out/vmlinuz" ] && [ -f "$out/initramfs.gz" ]; then
	exit 0
fi

echo "build-vm: building the VM kernel and initramfs from $kpkg in $out" >&2
mkdir -p "$out"
rm -f "$out/stamp"

# 1. The kernel package: downloaded once (the .deb is kept in build-vm/dl),
# unpacked into build-vm/kernel for the time of this build.
kroot=$out/kernel
set -- "$out"/dl/"$kpkg"_*.deb
deb=$1
if [ ! -f "$deb" ]; then
	rm -rf "$out/dl"
	mkdir -p "$out/dl"
	# apt-get download as root warns that _apt cannot write here; harmless.
	(cd "$out/dl" && apt-get download "$kpkg" >/dev/null 2>&1) ||
		{ apt-get update -qq >/dev/null 2>&1 || true
		  (cd "$out/dl" && apt-get download "$kpkg" >/dev/null 2>&1); } ||
		die "apt-get download $kpkg failed"
	set -- "$out"/dl/"$kpkg"_*.deb
	deb=$1
	[ -f "$deb" ] || die "apt-get download $kpkg gave no .deb"
fi
rm -rf "$kroot"
dpkg-deb -x "$deb" "$kroot"
depmod -b "$kroot" "$kver"
cp "$kroot/boot/vmlinuz-$kver" "$out/vmlinuz"

# 2. The initramfs tree.
ird=$out/initramfs
rm -rf "$ird"
mkdir -p "$ird/bin" "$ird/sbin" "$ird/proc" "$ird/sys" "$ird/dev" "$ird/mnt/root" \
	"$ird/lib/modules" "$ird/tmp"
cp "$busybox" "$ird/bin/busybox"
for a in sh mount umount insmod mkdir cat echo sleep poweroff ip sysctl chroot \
	 grep sed tr cut ls mknod timeout sync dmesg; do
	ln -sf busybox "$ird/bin/$a"
done

# Modules in load order: each one's dependencies first, then itself.
# crc32c_generic is only a soft dependency of libcrc32c (it asks the crypto
# API for "crc32c" at run time), so it is listed on its own, before it.
: > "$ird/modules.list"
for m in virtio_pci 9pnet_virtio 9p crc32c_generic libcrc32c udp_tunnel ip6_udp_tunnel sctp; do
	modprobe -d "$kroot" -S "$kver" --show-depends "$m" |
	while read -r verb path _; do
		[ "$verb" = insmod ] || continue
		name=$(basename "$path")
		case "$name" in
		*.ko.xz) base=${name%.xz}; [ -f "$ird/lib/modules/$base" ] || xz -dc "$path" > "$ird/lib/modules/$base" ;;
		*.ko.zst) base=${name%.zst}; [ -f "$ird/lib/modules/$base" ] || zstd -qdc "$path" > "$ird/lib/modules/$base" ;;
		*) base=$name; cp -n "$path" "$ird/lib/modules/$base" ;;
		esac
		grep -qx "$base" "$ird/modules.list" || echo "$base" >> "$ird/modules.list"
	done
done
grep -qx sctp.ko "$ird/modules.list" || die "sctp.ko not found in $kpkg"

cat > "$ird/init" <<'EOF'
#!/bin/sh
# ss7fw test VM init (written by scripts/vm/build-vm.sh).
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null || mount -t tmpfs tmpfs /dev

finish() {
	echo "SS7FW-VM-EXIT=$1"
	sync
	poweroff -f
	sleep 5
	echo o > /proc/sysrq-trigger
}

script= outdir= tmo=600
for kv in $(cat /proc/cmdline); do
	case "$kv" in
	ss7fw.script=*) script=${kv#ss7fw.script=} ;;
	ss7fw.out=*) outdir=${kv#ss7fw.out=} ;;
	ss7fw.timeout=*) tmo=${kv#ss7fw.timeout=} ;;
	esac
done

while read -r m; do
	insmod "/lib/modules/$m" 2>/dev/null
done < /modules.list
grep -q '^sctp ' /proc/modules || { echo "vm-init: the sctp module did not load"; dmesg | tail -n 20; finish 99; }

mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=262144,cache=loose hostroot /mnt/root ||
	{ echo "vm-init: cannot mount the host root over 9p"; finish 98; }
r=/mnt/root
mount -t proc proc $r/proc
mount -t sysfs sysfs $r/sys
mount -t devtmpfs devtmpfs $r/dev 2>/dev/null || mount --bind /dev $r/dev
mkdir -p /dev/pts /dev/shm 2>/dev/null
mount -t devpts devpts $r/dev/pts 2>/dev/null
mount -t tmpfs tmpfs $r/dev/shm 2>/dev/null
# The guest gets its own empty /tmp, /run and /var/tmp; but the tree the job
# runs in may live under one of them on the host (a CI checkout in /tmp):
# keep a second view of the host root and show that tree again.
mkdir -p /mnt/hold
mount -o bind $r /mnt/hold
for d in tmp run var/tmp; do
	mount -t tmpfs -o mode=1777 tmpfs $r/$d
	case "$script" in
	/$d/*)
		top=${script#/$d/}
		top=${top%%/*}
		mkdir -p "$r/$d/$top"
		mount -o bind "/mnt/hold/$d/$top" "$r/$d/$top" ||
			{ echo "vm-init: cannot show /$d/$top in the guest"; finish 98; }
		;;
	esac
done
if [ -n "$outdir" ]; then
	mkdir -p "$r$outdir" 2>/dev/null     # under a tmpfs; elsewhere it exists already
	mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 hostout "$r$outdir" ||
		{ echo "vm-init: cannot mount the output share on $outdir"; finish 98; }
fi

ip link set lo mtu 1500
ip link set lo up
sysctl -qw net.core.rmem_default=4194304 net.core.rmem_max=4194304 \
	net.core.wmem_default=4194304 net.core.wmem_max=4194304 2>/dev/null

[ -n "$script" ] || { echo "vm-init: no ss7fw.script= on the kernel command line"; finish 97; }
timeout "$tmo" chroot $r /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	HOME=/tmp TERM=dumb SS7FW_IN_VM=1 /bin/sh "$script" < /dev/console
finish $?
EOF
chmod 0755 "$ird/init"

(cd "$ird" && find . | cpio -o -H newc --quiet) | gzip -1 > "$out/initramfs.gz.new"
mv "$out/initramfs.gz.new" "$out/initramfs.gz"
rm -rf "$kroot" "$ird"
echo "$want" > "$out/stamp"
echo "build-vm: ready ($(du -h "$out/initramfs.gz" | cut -f1) initramfs, kernel $kver)" >&2
