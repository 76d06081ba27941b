#!/bin/sh
# make bench: every benchmark in one run, figures to stdout.
#  1. decode: msu_decode over a realistic MAP mix (ns/MSU, MSU/s), its
#     instructions per MSU (callgrind), and tshark's time on the same capture;
#  2. policy: decode + screen with policies/ir71.conf and 100,000-entry lists,
#     and the time to load and swap such a policy;
#  3. relay: throughput and added latency over TCP loopback, screening on
#     beside screening off, and memory under a flood.
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
t0=$(date +%s.%N)
"$B"/ss7fw replay "$out/mix.pcap" >/dev/null
t1=$(date +%s.%N)
echo "$t0 $t1 $msgs" | awk '{d=$2-$1; printf "ss7fw replay (read, decode, JSON) on the same capture: %.2f s: %.0f ns/MSU\n", d, d*1e9/$3}'

if [ -x "$B"/tools/bench_policy ]; then
	echo "== policy (decode + screen, one core)"
	taskset -c 0 "$B"/tools/bench_policy
fi

if [ -x "$B"/tools/bench_relay ]; then
	echo "== relay (TCP loopback)"
	"$B"/tools/bench_relay -p policies/ir71.conf
fi
