#!/bin/sh
# bench_vm — M3UA DATA throughput over real SCTP, in one boot of the test VM
# (scripts/vm/run-vm.sh; the build machines' kernel has no SCTP), three
# relays side by side with the same traffic and the same load generator
# (build/tools/bench_sctp: carrier and core peers in one process, the
# legitimate MAP mix of tools/bench_mix.h, flat out for BENCH_VM_SECONDS with
# at most 2,000 messages in flight):
#
#  1. osmo-stp between the two peers: both are ASPs of one osmo-stp (SG),
#     which routes the DATA by destination point code from one AS to the other;
#  2. ss7fw between the same peers, screening with policies/ir71.conf;
#  3. ss7fw between two osmo-stp, DATA end to end: peer -> osmo-stp (carrier
#     STP, an ASP towards ss7fw) -> ss7fw -> osmo-stp (core STP, SG) -> peer.
#
# The relays run on CPU 1 of the guest, the generator on CPU 0. For each:
# MSU/s that arrived, and each relay's CPU (share of one CPU, and CPU time per
# MSU). The goal of issue 11 (ss7fw >= 2x osmo-stp's MSU/s at equal CPU) is
# judged on MSUs per CPU-second of the relay process (1 against 2).
#
#   sh scripts/bench_vm.sh        (BUILD=build; BENCH_VM_SECONDS=5 per run)
# Time: about 2 minutes under TCG emulation, boot included; bounded by
# run-vm.sh's time limit (BENCH_VM_TIMEOUT, default 300 s).
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)

# ---------------------------------------------------------------- host side
if [ "${1:-}" != "--guest" ]; then
	cd "$root" || exit 1
	build=${BUILD:-build}
	case "$build" in /*) ;; *) build=$root/$build ;; esac
	for f in "$build/ss7fw" "$build/tools/bench_sctp"; do
		[ -x "$f" ] || { echo "bench_vm: $f missing (make all tools)"; exit 1; }
	done
	command -v osmo-stp >/dev/null 2>&1 || { echo "bench_vm: osmo-stp missing (scripts/deps.sh)"; exit 1; }
	# the guest sees the host read-only; run copies, like tests/integ/sctp_vm.sh
	mkdir -p build-vm/stage
	cp -f "$build/ss7fw" build-vm/stage/ss7fw-bench
	cp -f "$build/tools/bench_sctp" build-vm/stage/bench_sctp
	sh scripts/vm/run-vm.sh -t "${BENCH_VM_TIMEOUT:-300}" -- \
		env BENCH_VM_SECONDS="${BENCH_VM_SECONDS:-5}" \
		sh "$here/bench_vm.sh" --guest "$root/build-vm/stage/ss7fw-bench" \
		"$root/build-vm/stage/bench_sctp" "$root" 2>&1 |
		grep -v -e 'reboot: Power down' -e 'SS7FW-VM-EXIT'
	exit
fi

# --------------------------------------------------------------- guest side
fw=$2
gen=$3
src=$4
D=${BENCH_VM_SECONDS:-5}
W=/tmp/bench_vm
mkdir -p "$W"
cd "$W" || exit 1
pids=""
cleanup() { for p in $pids; do kill -9 "$p" 2>/dev/null; done; }
trap cleanup EXIT
stop() { for p in "$@"; do kill "$p" 2>/dev/null; done; for p in "$@"; do wait "$p" 2>/dev/null; done; }
# listening SCTP endpoints on port $1
listening() { awk -v p="$1" 'NR > 1 && $6 == p' /proc/net/sctp/eps | grep -q .; }
wait_listen() {
	n=100
	while [ "$n" -gt 0 ]; do listening "$1" && return 0; sleep 0.1; n=$((n - 1)); done
	return 1
}
show() { for f in "$@"; do [ -f "$f" ] && { echo "    --- $f"; tail -n 15 "$f" | sed 's/^/    | /'; }; done; }

echo "bench_vm: guest $(uname -r), $(nproc) vCPU ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $D s per run"
RELAY_CPU=1 GEN_CPU=0
[ "$(nproc)" -ge 2 ] || { RELAY_CPU=0; echo "bench_vm: one vCPU: relays and generator share it"; }
# (taskset execs the command: $! is the relay's own pid)

# Point codes (ITU 3-8-3): the mix goes from OPC 1234 (0.154.2) to DPC 2345
# (1.37.1). Routing contexts: 100 the sending peer's AS, 200 the receiving
# peer's, 23 the carrier STP towards the core STP (tests/integ/osmo-stp-*.cfg).
stp_common() { # VTY-ADDRESS POINT-CODE
	cat <<EOF
log stderr
 logging filter all 1
 logging color 0
 logging print category 1
 logging timestamp 0
 logging level set-all error
!
line vty
 no login
 bind $1
!
cs7 instance 0
 point-code $2
EOF
}

# 1. one osmo-stp, the two peers its ASPs
{
	stp_common 127.0.0.1 0.0.2
	cat <<'EOF'
 xua rkm routing-key-allocation static-only
 asp asp-a 5201 2905 m3ua
  local-ip 127.0.0.1
  remote-ip 127.0.0.1
  role sg
  sctp-role server
 asp asp-b 5202 2905 m3ua
  local-ip 127.0.0.1
  remote-ip 127.0.0.1
  role sg
  sctp-role server
 as as-a m3ua
  asp asp-a
  routing-key 100 0.154.2
 as as-b m3ua
  asp asp-b
  routing-key 200 1.37.1
 route-table system
  update route 0.154.2 7.255.7 linkset as-a
  update route 1.37.1 7.255.7 linkset as-b
 listen m3ua 2905
  local-ip 127.0.0.1
  accept-asp-connections pre-configured
EOF
} > stp-relay.cfg

# 3. the carrier STP (ASP towards ss7fw's carrier side, SG for peer A) and the
#    core STP (SG for ss7fw's core side and for peer B)
{
	stp_common 127.0.0.2 0.0.1
	cat <<'EOF'
 xua rkm routing-key-allocation static-only
 asp asp-to-core 3905 2907 m3ua
  local-ip 127.0.0.1
  remote-ip 127.0.0.1
  role asp
  sctp-role client
 asp asp-a 5211 2915 m3ua
  local-ip 127.0.0.1
  remote-ip 127.0.0.1
  role sg
  sctp-role server
 as as-to-core m3ua
  asp asp-to-core
  routing-key 23 0.0.1
 as as-a m3ua
  asp asp-a
  routing-key 100 0.154.2
 route-table system
  update route 1.37.1 7.255.7 linkset as-to-core
  update route 0.154.2 7.255.7 linkset as-a
 listen m3ua 2915
  local-ip 127.0.0.1
  accept-asp-connections pre-configured
EOF
} > stp-carrier.cfg
{
	stp_common 127.0.0.1 0.0.2
	cat <<'EOF'
 xua rkm routing-key-allocation static-only
 asp asp-carrier 2906 2905 m3ua
  local-ip 127.0.0.1
  remote-ip 127.0.0.1
  role sg
  sctp-role server
 asp asp-b 5222 2905 m3ua
  local-ip 127.0.0.1
  remote-ip 127.0.0.1
  role sg
  sctp-role server
 as as-carrier m3ua
  asp asp-carrier
  routing-key 23 0.0.1
 as as-b m3ua
  asp asp-b
  routing-key 200 1.37.1
 route-table system
  update route 0.0.1 7.255.7 linkset as-carrier
  update route 1.37.1 7.255.7 linkset as-b
 listen m3ua 2905
  local-ip 127.0.0.1
  accept-asp-connections pre-configured
EOF
} > stp-core.cfg

# ss7fw: policies/ir71.conf as shipped, its link carrier-a over SCTP
# (carrier side listening on 3905, core side connecting to $1 from $2)
fw_conf() { # CORE-REMOTE CORE-LOCAL
	cp -r "$src/policies/lists" "$W/" 2>/dev/null
	python3 - "$src/policies/ir71.conf" "$1" "$2" > ir71-vm.conf <<'PY'
import re, sys
text = open(sys.argv[1]).read()
links = '''links = (
  { name = "carrier-a";
    carrier = { transport = "sctp"; mode = "listen";  local = [ "127.0.0.1:3905" ]; };
    core    = { transport = "sctp"; mode = "connect"; remote = [ "%s" ]; local = [ "%s" ]; };
  }
);''' % (sys.argv[2], sys.argv[3])
settings = '''settings = {
  metrics_port = 0;
  event_log = "";
  reconnect_min_ms = 100;
  reconnect_max_ms = 500;
};'''
text, n1 = re.subn(r"(?ms)^links = \(.*?^\);", links, text)
text, n2 = re.subn(r"(?ms)^settings = \{.*?^\};", settings, text)
if n1 != 1 or n2 != 1:
    sys.exit("ir71.conf: links or settings block not found")
sys.stdout.write(text)
PY
}

results=""
run_gen() { # LABEL ARGS...: the generator on its CPU; keeps its result line
	label=$1; shift
	taskset -c "$GEN_CPU" "$gen" -d "$D" -N "$label" "$@" > "gen-$label.log" 2>&1
	rc=$?
	line=$(grep "^bench_sctp\[$label\]" "gen-$label.log" | tail -n 1)
	[ -n "$line" ] || line="bench_sctp[$label]: no result (exit $rc): $(tail -n 1 "gen-$label.log")"
	echo "$line"
	results="$results
$line"
	return $rc
}

# ---------------------------------------------------------------- 1.
taskset -c "$RELAY_CPU" osmo-stp -c stp-relay.cfg > stp1.log 2>&1 & stp=$!; pids="$pids $stp"
if wait_listen 2905; then
	run_gen osmo-stp -C 127.0.0.1:2905 -B 127.0.0.1:5201 -A 100 -R 100 \
		-K 127.0.0.1:2905 -b 127.0.0.1:5202 -a 200 -P osmo-stp="$stp" || show stp1.log
else
	echo "bench_sctp[osmo-stp]: osmo-stp did not listen on 2905"; show stp1.log
fi
stop "$stp"

# ---------------------------------------------------------------- 2.
fw_conf 127.0.0.1:3906 127.0.0.1:3907 || exit 1
"$fw" check -c ir71-vm.conf > check.log 2>&1 || { show check.log; exit 1; }
taskset -c "$RELAY_CPU" "$fw" run -c ir71-vm.conf > fw2.log 2>&1 & fwp=$!; pids="$pids $fwp"
if wait_listen 3905; then
	run_gen ss7fw -C 127.0.0.1:3905 -L 127.0.0.1:3906 -P ss7fw="$fwp" || show fw2.log
else
	echo "bench_sctp[ss7fw]: ss7fw did not listen on 3905"; show fw2.log
fi
stop "$fwp"

# ---------------------------------------------------------------- 3.
fw_conf 127.0.0.1:2905 127.0.0.1:2906 || exit 1
taskset -c "$RELAY_CPU" osmo-stp -c stp-core.cfg > stpcore.log 2>&1 & core=$!; pids="$pids $core"
wait_listen 2905
taskset -c "$RELAY_CPU" "$fw" run -c ir71-vm.conf > fw3.log 2>&1 & fwp=$!; pids="$pids $fwp"
wait_listen 3905
taskset -c "$RELAY_CPU" osmo-stp -c stp-carrier.cfg > stpcar.log 2>&1 & car=$!; pids="$pids $car"
if wait_listen 2915; then
	sleep 2      # the carrier STP's ASP comes up through ss7fw
	run_gen stp-ss7fw-stp -C 127.0.0.1:2915 -B 127.0.0.1:5211 -A 100 -R 100 \
		-K 127.0.0.1:2905 -b 127.0.0.1:5222 -a 200 \
		-P carrier-stp="$car" -P ss7fw="$fwp" -P core-stp="$core" || show stpcar.log fw3.log stpcore.log
else
	echo "bench_sctp[stp-ss7fw-stp]: the carrier osmo-stp did not listen on 2915"; show stpcar.log
fi
stop "$car" "$fwp" "$core"

# ---------------------------------------------------------------- summary
echo "$results" | awk '
/^bench_sctp\[osmo-stp\]:.* MSU\/s;/ { for (i = 1; i <= NF; i++) { if ($i == "MSU/s;") o_rate = $(i-1); if ($i == "osmo-stp") { o_cpu = $(i+1); sub("%", "", o_cpu) } } }
/^bench_sctp\[ss7fw\]:.* MSU\/s;/ { for (i = 1; i <= NF; i++) { if ($i == "MSU/s;") f_rate = $(i-1); if ($i == "ss7fw") { f_cpu = $(i+1); sub("%", "", f_cpu) } } }
END {
	if (o_rate == "" || f_rate == "" || o_cpu + 0 <= 0 || f_cpu + 0 <= 0) { print "bench_vm: no comparison (a run failed)"; exit }
	o = o_rate / (o_cpu / 100); f = f_rate / (f_cpu / 100)
	printf "bench_vm: MSU/s per CPU of the relay: osmo-stp %.0f, ss7fw (ir71.conf) %.0f: ss7fw %.2fx (goal >= 2x: %s)\n", o, f, f / o, (f / o >= 2) ? "PASS" : "MISS"
	printf "bench_vm: MSU/s: osmo-stp %s at %s%% CPU, ss7fw %s at %s%% CPU: %.2fx\n", o_rate, o_cpu, f_rate, f_cpu, f_rate / o_rate
}'
