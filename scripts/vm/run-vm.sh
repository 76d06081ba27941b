#!/bin/sh
# Run one command inside the SCTP test VM and exit with its exit code.
#
#   sh scripts/vm/run-vm.sh [-t SECONDS] [-o DIR] [-m MiB] [--] COMMAND [ARG...]
#
#   -t SECONDS  time limit of the whole run, boot included (default 180);
#               past it qemu is killed and the exit code is 124
#   -o DIR      a host directory the guest may write to (shared over 9p,
#               mounted at the same path in the guest); everything else of
#               the host is read-only in the guest, and /tmp, /run, /var/tmp
#               are empty tmpfs there
#   -m MiB      guest memory (default 1024)
#
# The guest is Debian 12's kernel with a busybox initramfs (scripts/vm/build-vm.sh
# builds it once into build-vm/); its / is the host's / over 9p (read-only),
# so host-built binaries run unchanged. COMMAND runs as root in the current
# directory, with SCTP loaded and the loopback at MTU 1500 with 4 MiB buffers.
# Its output (and the guest console) goes to stdout.
#
# qemu exits 0 whatever the guest did, so the guest's init prints
# "SS7FW-VM-EXIT=<code>"; this script exits with that code, or 125 when the
# VM gave no marker (did not boot, crashed), 124 on timeout.
# Environment: SS7FW_VM_ACCEL (default "tcg"; "kvm" where /dev/kvm works),
# SS7FW_VM_SMP (default 2), SS7FW_VM_DIR (default build-vm/).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
vmdir=${SS7FW_VM_DIR:-$root/build-vm}
limit=180 outdir='' mem=1024
while [ $# -gt 0 ]; do
	case "$1" in
	-t) limit=$2; shift 2 ;;
	-o) outdir=$(cd "$2" && pwd); shift 2 ;;
	-m) mem=$2; shift 2 ;;
	--) shift; break ;;
	-*) echo "run-vm: unknown option $1" >&2; exit 2 ;;
	*) break ;;
	esac
done
[ $# -gt 0 ] || { echo "usage: run-vm.sh [-t SECONDS] [-o DIR] [-m MiB] [--] COMMAND [ARG...]" >&2; exit 2; }
command -v qemu-system-x86_64 >/dev/null 2>&1 || { echo "run-vm: qemu-system-x86_64 missing (run scripts/deps.sh)" >&2; exit 125; }

SS7FW_VM_DIR=$vmdir sh "$here/build-vm.sh" || exit 125

# The guest script lives under build-vm/ (the guest's /tmp is its own tmpfs).
mkdir -p "$vmdir/run"
job=$(mktemp -d "$vmdir/run/job.XXXXXX")
trap 'rm -rf "$job"' EXIT INT TERM
{
	echo "#!/bin/sh"
	printf 'cd %s || exit 96\n' "$(printf '%s' "$PWD" | sed "s/'/'\\\\''/g; s/^/'/; s/\$/'/")"
	printf 'exec'
	for a in "$@"; do
		printf " '%s'" "$(printf '%s' "$a" | sed "s/'/'\\\\''/g")"
	done
	echo
} > "$job/guest.sh"

case "$job$outdir" in *" "*) echo "run-vm: paths with spaces are not supported" >&2; exit 2 ;; esac

append="console=ttyS0 quiet loglevel=3 panic=-1 ss7fw.script=$job/guest.sh ss7fw.timeout=$((limit > 20 ? limit - 10 : limit))"
share_out=
if [ -n "$outdir" ]; then
	append="$append ss7fw.out=$outdir"
	share_out="-virtfs local,path=$outdir,mount_tag=hostout,security_model=none,multidevs=remap"
fi

log=$job/console.log
accel=${SS7FW_VM_ACCEL:-tcg}
t0=$(date +%s)
cpu="max"
# shellcheck disable=SC2086
timeout -k 5 "$limit" qemu-system-x86_64 -accel "$accel" -cpu "$cpu" \
	-smp "${SS7FW_VM_SMP:-2}" -m "$mem" \
	-display none -monitor none -serial stdio -nic none -no-reboot \
	-kernel "$vmdir/vmlinuz" -initrd "$vmdir/initramfs.gz" -append "$append" \
	-virtfs "local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap" \
	$share_out < /dev/null 2>&1 | tr -d '\r' | tee "$log"
# tee's status is the pipeline's; qemu's own status does not matter (see above).
rc=$(sed -n 's/^.*SS7FW-VM-EXIT=\([0-9][0-9]*\).*$/\1/p' "$log" | tail -n 1)
if [ -z "$rc" ]; then
	if [ $(( $(date +%s) - t0 )) -ge "$limit" ]; then
		echo "run-vm: the VM ran out of its ${limit}s" >&2
		exit 124
	elif grep -q 'Kernel panic' "$log"; then
		echo "run-vm: the guest kernel panicked" >&2
	else
		echo "run-vm: no exit marker from the VM (it did not boot, or crashed)" >&2
	fi
	exit 125
fi
exit "$rc"
