#!/bin/sh
# make bench: every benchmark in one run, figures to stdout.
#  1. decode: msu_decode over a realistic MAP mix (ns/MSU, MSU/s), its
#     instructions per MSU (callgrind), and tshark's time on the same capture;
#     ss7fw replay's JSON against tshark -T json on a 200,000-MSU capture;
#  2. policy: decode + screen with policies/ir71.conf and policies/fs11.conf
#     (FS.11 categories 1-3) and 100,000-entry lists, instructions per MSU,
#     and the time to load and swap such a policy;
#  3. relay: throughput and added latency over TCP loopback, screening on
#     beside screening off beside a minimal batching relay (tools/
#     bench_minrelay), memory under a flood; then the latency run again with
#     the relays and the generator at real-time priority (root only);
#     throughput with N worker threads against one (bench_workers);
#  4. SCTP in one boot of the test VM (scripts/bench_vm.sh): osmo-stp and
#     ss7fw relaying the same M3UA DATA between the same peers, and ss7fw
#     between two osmo-stp, MSU/s and CPU of each.
# Copy the output to docs/benchmarks.md with the machine it came from.
set -eu
cd "$(dirname "$0")/.."
B=${BUILD:-build}
out=$B/bench
mkdir -p "$out"
N=${BENCH_MSUS:-100000}

echo "== machine"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ)  commit: $(git rev-parse --short HEAD 2>/dev/null || echo none)"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores; $(uname -sr); $(gcc --version | head -n1)"

echo "== decode (one core)"
"$B"/tools/ss7gen -n "$N" -s 1 -o "$out/mix.pcap" >/dev/null
taskset -c 0 "$B"/tools/bench_decode -r 20 "$out/mix.pcap"
msgs=$("$B"/tools/bench_decode -r 1 "$out/mix.pcap" | sed -E 's/^decode: ([0-9]+) messages.*/\1/')
# Instructions inside msu_decode only, per message, from callgrind.
"$B"/tools/ss7gen -n 10000 -s 1 -o "$out/mix10k.pcap" >/dev/null
valgrind --tool=callgrind --toggle-collect=msu_decode --callgrind-out-file="$out/callgrind.out" \
	"$B"/tools/bench_decode --once "$out/mix10k.pcap" >/dev/null 2>"$out/callgrind.log"
ir=$(grep -E '^(summary|totals):' "$out/callgrind.out" | tail -n 1 | awk '{print $2}')
n10k=$("$B"/tools/bench_decode --once "$out/mix10k.pcap" | sed -E 's/^decoded ([0-9]+) .*/\1/')
echo "callgrind: $ir instructions in msu_decode for $n10k messages: $((ir / n10k)) instructions/MSU"
# tshark on the same capture, full dissection of every layer, output discarded.
t0=$(date +%s.%N)
tshark -n -r "$out/mix.pcap" -V >/dev/null 2>&1
t1=$(date +%s.%N)
echo "$t0 $t1 $msgs" | awk '{d=$2-$1; printf "tshark -V on the same capture: %.2f s for %d messages: %.0f ns/MSU, %.0f MSU/s\n", d, $3, d*1e9/$3, $3/d}'

echo "== replay: ss7fw replay (JSON) against tshark -T json, same capture, same run"
# `runtime CMD...`: runs CMD with stdout to /dev/null and prints
# "WALL_S CPU_S MAXRSS_KB EXIT" (CPU = user + system time of CMD; the
# peak RSS includes the forked python before exec, so it is not printed).
runtime() {
	python3 - "$@" <<'PY'
import os, sys, time
t0 = time.monotonic()
pid = os.fork()
if pid == 0:
    fd = os.open("/dev/null", os.O_WRONLY)
    os.dup2(fd, 1)
    os.dup2(fd, 2)
    os.execvp(sys.argv[1], sys.argv[1:])
_, st, ru = os.wait4(pid, 0)          # this child's own usage, nothing else's
print("%.3f %.3f %d %d" % (time.monotonic() - t0, ru.ru_utime + ru.ru_stime, ru.ru_maxrss,
                           os.waitstatus_to_exitcode(st)))
PY
}
NR=${BENCH_REPLAY_MSUS:-200000}
"$B"/tools/ss7gen -n "$NR" -s 1 -o "$out/replay.pcap" >/dev/null
nrec=$("$B"/ss7fw replay "$out/replay.pcap" | wc -l)
# ss7fw: the best of 5 by CPU time (a few tenths of a second each: one stall
# of the shared machine would otherwise decide the figure); tshark: once
# (about half a minute of CPU). The goal compares CPU time, which other load
# on the machine disturbs less than wall time.
best=""
for i in 1 2 3 4 5; do
	r=$(runtime "$B"/ss7fw replay "$out/replay.pcap")
	best=$(printf '%s\n%s\n' "$best" "$r" | awk 'NF' | sort -n -k2 | head -n 1)
done
ts=$(runtime tshark -n -r "$out/replay.pcap" -T json)
echo "$best $ts $nrec" | awk '{
	printf "capture: ss7gen -s 1, %d M3UA messages, one record each\n", $9
	printf "ss7fw replay:      %7.2f s wall, %7.2f s CPU, %6.0f ns CPU per record\n", $1, $2, $2*1e9/$9
	printf "tshark -T json:    %7.2f s wall, %7.2f s CPU, %6.0f ns CPU per record\n", $5, $6, $6*1e9/$9
	r = $2 > 0 ? $6/$2 : 0
	printf "replay vs tshark -T json: %.0fx faster by CPU time, %.0fx by wall time (goal >= 100x: %s)\n", r, ($1 > 0 ? $5/$1 : 0), (r >= 100 ? "PASS" : "MISS")
	if ($4 != 0 || $8 != 0) printf "WARNING: exit status ss7fw %d, tshark %d\n", $4, $8
}'

if [ -x "$B"/tools/bench_policy ]; then
	echo "== policy (decode + screen, one core): ir71.conf"
	taskset -c 0 "$B"/tools/bench_policy
	echo "== policy (decode + screen, one core): fs11.conf, FS.11 categories 1-3 (goal <= 600 ns per MSU)"
	taskset -c 0 "$B"/tools/bench_policy -p policies/fs11.conf
	for pol in ir71 fs11; do
		valgrind --tool=callgrind --toggle-collect=engine_screen --callgrind-out-file="$out/callgrind-$pol.out" \
			"$B"/tools/bench_policy -n 200000 -p policies/$pol.conf >/dev/null 2>"$out/callgrind-$pol.log"
		ir=$(grep -E '^(summary|totals):' "$out/callgrind-$pol.out" | tail -n 1 | awk '{print $2}')
		echo "callgrind: $pol.conf: $((ir / 200009)) instructions per MSU in engine_screen (200,009 screens)"
	done
fi

if [ -x "$B"/tools/bench_relay ]; then
	echo "== relay (TCP loopback): ss7fw screening, ss7fw --no-screen, a minimal batching relay, direct"
	"$B"/tools/bench_relay -p policies/ir71.conf
	# The same latency run where nothing else can take the CPU from the relays
	# or the load generator (SCHED_FIFO, memory locked): what is left of the
	# tail when the machine's scheduling delays are taken away. Needs root;
	# the generator polls at real-time priority for a few seconds (RT
	# throttling leaves other work 5 % of its CPU meanwhile).
	if [ "$(id -u)" = 0 ]; then
		echo "== relay, scheduling experiment: relays and generator SCHED_FIFO, relays' memory locked"
		BENCH_RELAY_FIFO=2 BENCH_RELAY_MLOCK=1 "$B"/tools/bench_relay -p policies/ir71.conf -n 200000 |
			sed -n '/^experiments/,/over direct/p'
	fi
fi

if [ -x "$B"/tools/bench_workers ]; then
	echo "== relay workers (TCP loopback, 4 links, ir71.conf): N worker threads against one"
	echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
	"$B"/tools/bench_workers -p policies/ir71.conf -l 4 -n 200000 -r 5
fi

if [ -x "$B"/tools/bench_workers ] && command -v redis-server >/dev/null 2>&1; then
	echo "== shared state: Redis (redis-server on loopback, ACL user) against local only, 1 worker"
	rd=$(mktemp -d)
	rp=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	printf 'port %s\nbind 127.0.0.1\nsave ""\nappendonly no\ndir %s\nuser default off\nuser ss7fw on >bench-pw ~ss7fw:* +@all\n' \
		"$rp" "$rd" > "$rd/redis.conf"
	echo bench-pw > "$rd/pw"
	redis-server "$rd/redis.conf" > "$rd/redis.log" 2>&1 &
	rpid=$!
	sleep 0.5
	"$B"/tools/bench_workers -p policies/ir71.conf -l 4 -n 50000 -r 3 -s "$rp" "$rd/pw" || true
	kill -9 "$rpid"; wait "$rpid" 2>/dev/null || true
	rm -rf "$rd"
fi

if [ -x "$B"/tools/bench_sctp ] && command -v qemu-system-x86_64 >/dev/null 2>&1; then
	echo "== SCTP in the test VM: osmo-stp, ss7fw (ir71.conf), ss7fw between two osmo-stp"
	BUILD=$B sh scripts/bench_vm.sh
fi
