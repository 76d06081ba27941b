#!/bin/sh
# relay_tcp — `ss7fw run` over TCP on loopback between two ss7sim peers
# (carrier STP and core), with a small policy written here:
#  (The last MSU of each mixed run is a legitimate one, so the core has seen
#  everything once it has its last expected MSU: nothing races the close.)
#  1. mixed traffic: the carrier's ASP comes up through the relay (ASP
#     management both ways); the core receives exactly the legitimate MSUs,
#     byte-identical and in order; exactly the attacks are missing; every
#     drop has its event line and its record in the pcap of drops.
#  2. reload under load: SIGHUP three times while 6001 mixed MSUs flow, one
#     of them with a broken file (reported with file:line, the old policy
#     stays): every legitimate MSU arrives, in order, and no attack.
#  3. link loss: the core goes away -> the carrier association is closed;
#     both come back -> traffic flows again. The metrics endpoint shows both
#     sides up and the relay's counters.
#  4. SIGTERM: exit 0 within 5 s.
#  5. --shadow: every MSU forwarded (attacks too), would-be drops logged;
#     SIGUSR1 reopens the event log.
#  6. action "reject": the core receives exactly the legitimate MSUs; the
#     carrier receives exactly one UDTS per rejected UDT, in order, each the
#     return of its UDT (point codes and parties swapped, same data, cause
#     "unqualified"); the reject counters are exact.
#  7. half-open links: with no core the carrier's connects are refused (and
#     ss7fw_listening says 0); once the core is up the carrier side listens;
#     settings.stall_ms = 400 cuts a carrier that sent half a message.
#   sh tests/integ/relay_tcp.sh            (BUILD=build: $BUILD/ss7fw, $BUILD/tools/ss7sim)
# Last line: "relay_tcp: N passed, N failed". Bounded: about 7 s (each wait has its own limit).
set -u
cd "$(dirname "$0")/../.."
build=${BUILD:-build}
fw=$build/ss7fw
sim=$build/tools/ss7sim
W=$(mktemp -d)
pass=0 fail=0
pids=""
cleanup() { for p in $pids; do kill -9 "$p" 2>/dev/null; done; rm -rf "$W"; }
trap cleanup EXIT
ok() { pass=$((pass + 1)); echo "ok     - $*"; }
notok() { fail=$((fail + 1)); echo "NOT OK - $*"; for f in $W/*.log; do echo "    --- $f"; tail -n 15 "$f" | sed 's/^/    | /'; done; }
check() { what=$1; shift; if "$@"; then ok "$what"; else notok "$what"; fi; }
check_rc() { # WHAT PID SECONDS: the process exits 0 within SECONDS
	wait_rc "$2" "$3"; rc=$?
	check "$1 (exit $rc)" test "$rc" = 0
}
finish() { echo "relay_tcp: $pass passed, $fail failed"; [ "$fail" = 0 ]; exit; }
wait_for() { # SECONDS COMMAND...
	n=$(($1 * 10)); shift
	while [ "$n" -gt 0 ]; do "$@" && return 0; sleep 0.1; n=$((n - 1)); done
	return 1
}
pcap_records() { # FILE: records in a classic pcap file
	python3 -c 'import struct,sys
d=open(sys.argv[1],"rb").read(); o=24; n=0
e="<" if d[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
while o + 16 <= len(d):
    n += 1; o += 16 + struct.unpack(e + "I", d[o+8:o+12])[0]
print(n)' "$1" 2>/dev/null
}
gone() { ! kill -0 "$1" 2>/dev/null; }
wait_rc() { # PID SECONDS: its exit status (124 if still running, then killed)
	wait_for "$2" gone "$1" || { kill -9 "$1" 2>/dev/null; wait "$1" 2>/dev/null; return 124; }
	wait "$1"
}

if [ ! -x "$fw" ] || [ ! -x "$sim" ]; then
	echo "relay_tcp: $fw or $sim missing (make all tools)"
	echo "relay_tcp: 0 passed, 1 failed"
	exit 1
fi

# three free loopback ports (the kernel's choice, so parallel runs do not clash)
set -- $(python3 -c 'import socket
ss = [socket.socket() for _ in range(3)]
for s in ss: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))' 2>/dev/null || echo $((20000 + $$ % 20000)) $((20001 + $$ % 20000)) $((20002 + $$ % 20000)))
cport=$1 kport=$2 mport=$3
conf() { # FILE [broken]
	cat > "$1" <<EOF
policy = { mode = "enforce"; default = "allow"; malformed = "allow"; };
links = (
  { name = "carrier-a";
    carrier = { transport = "tcp"; mode = "listen"; local = [ "127.0.0.1:$cport" ]; };
    core = { transport = "tcp"; mode = "connect"; remote = [ "127.0.0.1:$kport" ]; };
  }
);
settings = { metrics_port = $mport; reconnect_min_ms = 20; reconnect_max_ms = 200;
             event_log = "$W/events.json"; drop_pcap = "$W/drops.pcap"; };
rules = (
  { name = "foreign-gt"; action = "drop"; match = { cgpa_gt = [ "44" ]; }; },
  { name = "spoofed-sc"; action = "drop"; match = { sc_addr = [ "44" ]; }; }
);
EOF
	[ "${2:-}" = broken ] && echo 'rules = ( { name = "x"; action = "maybe"; } );' >> "$1"
	return 0
}
conf "$W/fw.conf"

"$fw" run -c "$W/fw.conf" 2> "$W/fw.log" &
fwpid=$!; pids="$pids $fwpid"
if ! wait_for 5 grep -q "running" "$W/fw.log"; then
	if grep -q "not implemented" "$W/fw.log"; then
		echo "skip   - the engine cannot load policies yet: $(head -n 1 "$W/fw.log")"
		finish
	fi
	notok "ss7fw run starts"
	finish
fi
ok "ss7fw run starts"

# ---- 1. mixed traffic
"$sim" core --tcp --listen "127.0.0.1:$kport" --record "$W/core1.rec" --expect 1501 --timeout 20 2> "$W/core1.log" &
core=$!; pids="$pids $core"
"$sim" carrier --tcp --connect "127.0.0.1:$cport" --asp --send 2001 --mix mixed \
	--sent "$W/sent1.txt" --timeout 20 --linger 300 2> "$W/carrier1.log"
check "carrier ASP up and active through the relay" grep -q "ASP up and active" "$W/carrier1.log"
check_rc "core received the 1501 legitimate MSUs" "$core" 10
grep '^legit ' "$W/sent1.txt" | cut -d' ' -f3 > "$W/want1"
awk '$2 ~ /^01000101/ { print $2 }' "$W/core1.rec" > "$W/got1"
check "legitimate MSUs byte-identical and in order, attacks missing ($(wc -l < "$W/want1") sent)" cmp -s "$W/want1" "$W/got1"
check "no attack reached the core" sh -c "! grep '^attack ' '$W/sent1.txt' | cut -d' ' -f3 | grep -qxFf - '$W/got1'"
wait_for 3 sh -c "test \"\$(wc -l < '$W/events.json')\" = 500" 2>/dev/null
check "event log: one line per dropped MSU (500)" test "$(wc -l < "$W/events.json" 2>/dev/null)" = 500
check "pcap of drops: 500 records" test "$(pcap_records "$W/drops.pcap")" = 500
check "core answered the ASP management (ASPUP_ACK seen by the carrier)" grep -q "received 0 data and [1-9]" "$W/carrier1.log"
# the carrier closed: the relay closes the core side too
wait_for 3 grep -q "core: down" "$W/fw.log"

# ---- 2. reload under load
"$sim" core --tcp --listen "127.0.0.1:$kport" --record "$W/core2.rec" --expect 4501 --timeout 20 2> "$W/core2.log" &
core=$!; pids="$pids $core"
"$sim" carrier --tcp --connect "127.0.0.1:$cport" --asp --send 6001 --rate 3000 --mix mixed \
	--sent "$W/sent2.txt" --timeout 20 --linger 300 2> "$W/carrier2.log" &
car=$!; pids="$pids $car"
sleep 0.7; kill -HUP "$fwpid"
sleep 0.4; conf "$W/fw.conf" broken; kill -HUP "$fwpid"
sleep 0.4; conf "$W/fw.conf"; kill -HUP "$fwpid"
check_rc "core received the 4501 legitimate of 6001 MSUs across three reloads" "$core" 15
wait_rc "$car" 5 > /dev/null
grep '^legit ' "$W/sent2.txt" | cut -d' ' -f3 > "$W/want2"
awk '$2 ~ /^01000101/ { print $2 }' "$W/core2.rec" > "$W/got2"
check "reload: every legitimate MSU byte-identical and in order, no attack" cmp -s "$W/want2" "$W/got2"
check "reload: the broken file reported with file:line" grep -q "fw.conf:[0-9]" "$W/fw.log"
check "reload: two reloads succeeded, one kept the old policy" \
	test "$(grep -c 'reloaded' "$W/fw.log")" = 2 -a "$(grep -c 'reload of .* failed' "$W/fw.log")" = 1
check "ss7fw still running" kill -0 "$fwpid"

# ---- 3. link loss and recovery
wait_for 3 sh -c "test \$(grep -c 'core: down' '$W/fw.log') -ge 2"
"$sim" core --tcp --listen "127.0.0.1:$kport" --timeout 20 2> "$W/core3.log" &
core=$!; pids="$pids $core"
"$sim" carrier --tcp --connect "127.0.0.1:$cport" --asp --timeout 10 2> "$W/carrier3.log" &
car=$!; pids="$pids $car"
wait_for 5 grep -q "ASP up and active" "$W/carrier3.log"
kill "$core"
wait_rc "$car" 5; rc=$?
check "core lost: the relay closes the carrier association" test "$rc" != 124
check "carrier saw the link go" grep -q "peer closed" "$W/carrier3.log"
"$sim" core --tcp --listen "127.0.0.1:$kport" --record "$W/core4.rec" --expect 100 --timeout 20 2> "$W/core4.log" &
core=$!; pids="$pids $core"
"$sim" carrier --tcp --connect "127.0.0.1:$cport" --asp --send 100 --timeout 10 --linger 300 2> "$W/carrier4.log"
check_rc "after recovery 100 MSUs flow again" "$core" 5

# ---- metrics, while the link is up
wait_for 3 sh -c "test \$(grep -c 'core: down' '$W/fw.log') -ge 4"
"$sim" core --tcp --listen "127.0.0.1:$kport" --timeout 10 2> "$W/core6.log" &
core=$!; pids="$pids $core"
"$sim" carrier --tcp --connect "127.0.0.1:$cport" --asp --timeout 10 2> "$W/carrier6.log" &
car=$!; pids="$pids $car"
wait_for 5 grep -q "ASP up and active" "$W/carrier6.log"
curl -s -m 3 "http://127.0.0.1:$mport/metrics" > "$W/metrics.txt" 2>/dev/null
check "metrics: both sides of the link up" sh -c "grep -q 'ss7fw_assoc_up{link=\"carrier-a\",side=\"carrier\"} 1' '$W/metrics.txt' &&
	grep -q 'ss7fw_assoc_up{link=\"carrier-a\",side=\"core\"} 1' '$W/metrics.txt'"
check "metrics: messages, queues, state changes, cut-offs" sh -c "grep -q '^ss7fw_relay_msgs_total{link=\"carrier-a\",dir=\"in\"} [1-9]' '$W/metrics.txt' &&
	grep -q '^ss7fw_queue_bytes{' '$W/metrics.txt' && grep -q '^ss7fw_link_state_changes_total [1-9]' '$W/metrics.txt' &&
	grep -q '^ss7fw_peer_cutoffs_total{reason=\"bad_length\"} 0' '$W/metrics.txt' && grep -q '^ss7fw_evlog_written_total 2000' '$W/metrics.txt'"
check "metrics: event log errors, pcap of drops written and lost" sh -c "grep -q '^ss7fw_evlog_errors_total 0$' '$W/metrics.txt' &&
	grep -q '^ss7fw_droppcap_written_total 2000$' '$W/metrics.txt' && grep -q '^ss7fw_droppcap_lost_total 0$' '$W/metrics.txt'"

kill "$car" "$core" 2>/dev/null; wait "$car" "$core" 2>/dev/null

# ---- 4. stop
kill -TERM "$fwpid"
check_rc "SIGTERM: ss7fw stops" "$fwpid" 5
check "state changes logged with the link name" grep -q "link carrier-a carrier: connected" "$W/fw.log"

# ---- 5. --shadow: every MSU forwarded, the would-be drops logged
rm -f "$W/events.json"
"$fw" run -c "$W/fw.conf" --shadow 2> "$W/fw5.log" &
fwpid=$!; pids="$pids $fwpid"
"$sim" core --tcp --listen "127.0.0.1:$kport" --record "$W/core5.rec" --expect 400 --timeout 20 2> "$W/core5.log" &
core=$!; pids="$pids $core"
"$sim" carrier --tcp --connect "127.0.0.1:$cport" --asp --send 400 --mix mixed \
	--sent "$W/sent5.txt" --timeout 20 --linger 300 2> "$W/carrier5.log"
check_rc "shadow: the core received all 400 MSUs, attacks included" "$core" 10
cut -d' ' -f3 "$W/sent5.txt" > "$W/want5"
awk '$2 ~ /^01000101/ { print $2 }' "$W/core5.rec" > "$W/got5"
check "shadow: byte-identical and in order" cmp -s "$W/want5" "$W/got5"
wait_for 3 sh -c "test \"\$(wc -l < '$W/events.json')\" = 100" 2>/dev/null
check "shadow: the 100 would-be drops logged" test "$(wc -l < "$W/events.json" 2>/dev/null)" = 100
check "shadow: every event record says shadow" test "$(grep -c '"shadow":true' "$W/events.json" 2>/dev/null)" = 100
# --shadow counts as policy.mode = "shadow": would-be drops, no enforced drop
curl -s -m 3 "http://127.0.0.1:$mport/metrics" > "$W/metrics5.txt" 2>/dev/null
check "shadow: counters are those of mode=shadow (100 shadow, 0 enforced drops)" sh -c "
	grep -q '^ss7fw_shadow_total 100$' '$W/metrics5.txt' &&
	grep -q '^ss7fw_policy_shadow_mode 1$' '$W/metrics5.txt' &&
	grep -q '^ss7fw_drops_total{reason=\"rule\"} 0$' '$W/metrics5.txt' &&
	grep -q '^ss7fw_link_drops_total{link=\"carrier-a\",dir=\"in\"} 0$' '$W/metrics5.txt' &&
	grep -q '^ss7fw_rule_hits_total{rule=\"foreign-gt\"} 0$' '$W/metrics5.txt' &&
	grep -q '^ss7fw_rule_hits_total{rule=\"spoofed-sc\"} 0$' '$W/metrics5.txt' &&
	test \$(grep -E '^ss7fw_rule_shadow_hits_total\{rule=\"(foreign-gt|spoofed-sc)\"\} ' '$W/metrics5.txt' | awk '{ s += \$2 } END { print s }') = 100 &&
	grep -q '^ss7fw_relay_dropped_total{link=\"carrier-a\",dir=\"in\"} 0$' '$W/metrics5.txt' &&
	grep -q '^ss7fw_droppcap_written_total 0$' '$W/metrics5.txt'"
# log rotation: SIGUSR1 reopens the event log
mv "$W/events.json" "$W/events.old"
kill -USR1 "$fwpid"
wait_for 3 grep -q "core: down" "$W/fw5.log"
"$sim" core --tcp --listen "127.0.0.1:$kport" --expect 5 --timeout 20 2> "$W/core7.log" &
core=$!; pids="$pids $core"
"$sim" carrier --tcp --connect "127.0.0.1:$cport" --asp --send 5 --mix mixed --timeout 20 --linger 300 2> "$W/carrier7.log"
wait_rc "$core" 5 > /dev/null
wait_for 3 test -s "$W/events.json"
check "SIGUSR1: the event log reopened (1 new line, 100 in the old file)" \
	test "$(wc -l < "$W/events.json" 2>/dev/null)" = 1 -a "$(wc -l < "$W/events.old")" = 100
kill -TERM "$fwpid"
check_rc "shadow: SIGTERM stops" "$fwpid" 5

# ---- 6. action "reject": the carrier gets a UDTS per rejected UDT
sed 's/action = "drop"/action = "reject"/' "$W/fw.conf" > "$W/fw6.conf"
"$fw" run -c "$W/fw6.conf" 2> "$W/fw6.log" &
fwpid=$!; pids="$pids $fwpid"
wait_for 5 grep -q "running" "$W/fw6.log"
"$sim" core --tcp --listen "127.0.0.1:$kport" --record "$W/core6.rec" --expect 301 --timeout 20 2> "$W/core6r.log" &
core=$!; pids="$pids $core"
"$sim" carrier --tcp --connect "127.0.0.1:$cport" --asp --send 401 --mix mixed \
	--sent "$W/sent6.txt" --record "$W/carrier6.rec" --timeout 20 --linger 500 2> "$W/carrier6r.log"
check_rc "reject: the core received the 301 legitimate MSUs" "$core" 10
grep '^legit ' "$W/sent6.txt" | cut -d' ' -f3 > "$W/want6"
awk '$2 ~ /^01000101/ { print $2 }' "$W/core6.rec" > "$W/got6"
check "reject: legitimate MSUs byte-identical and in order, no rejected one" cmp -s "$W/want6" "$W/got6"
check "reject: the carrier received exactly 100 DATA messages" \
	test "$(awk '$2 ~ /^01000101/' "$W/carrier6.rec" | wc -l)" = 100
# each answer against its attack: M3UA parameters, Protocol Data, UDT/UDTS parts
cat > "$W/udts.py" <<'EOF'
import sys
def m3ua(h):
    b = bytes.fromhex(h); o = 8; par = {}
    while o + 4 <= len(b):
        t = int.from_bytes(b[o:o+2], "big"); l = int.from_bytes(b[o+2:o+4], "big")
        par[t] = b[o+4:o+l]; o += (l + 3) & ~3
    return par
def sccp(pd):
    s = pd[12:]
    def part(i):
        at = 2 + i + s[2 + i]
        return s[at + 1:at + 1 + s[at]]
    return s[0], s[1], part(0), part(1), part(2)
att = [l.split()[2] for l in open(sys.argv[1]) if l.startswith("attack ")]
ans = [l.split()[1] for l in open(sys.argv[2]) if l.split()[1].startswith("01000101")]
ok = len(att) == len(ans) == 100
for a, r in zip(att, ans):
    pa, pr = m3ua(a), m3ua(r)
    da, dr = pa[0x0210], pr[0x0210]
    ta, ca, cda, cga, ua = sccp(da)
    tr, cr, cdr, cgr, ur = sccp(dr)
    ok &= ta == 0x09 and (ca & 0x80) != 0 and tr == 0x0a and cr == 0x07
    ok &= dr[0:4] == da[4:8] and dr[4:8] == da[0:4] and dr[8:12] == da[8:12]
    ok &= cdr == cga and cgr == cda and ur == ua and pr.get(6) == pa.get(6)
sys.exit(0 if ok else 1)
EOF
check "reject: each a UDTS (cause 7) returning its UDT, in order" python3 "$W/udts.py" "$W/sent6.txt" "$W/carrier6.rec"
curl -s -m 3 "http://127.0.0.1:$mport/metrics" > "$W/metrics6.txt" 2>/dev/null
check "reject: counters exact (100 rejects, 100 answered, 0 lost)" sh -c "
	grep -q '^ss7fw_verdicts_total{verdict=\"reject\"} 100$' '$W/metrics6.txt' &&
	grep -q '^ss7fw_drops_total{reason=\"rule\"} 100$' '$W/metrics6.txt' &&
	grep -q '^ss7fw_rejects_answered_total{link=\"carrier-a\",dir=\"in\"} 100$' '$W/metrics6.txt' &&
	grep -q '^ss7fw_rejects_answer_lost_total{link=\"carrier-a\",dir=\"in\"} 0$' '$W/metrics6.txt' &&
	grep -q '^ss7fw_rejects_answered_total{link=\"carrier-a\",dir=\"out\"} 0$' '$W/metrics6.txt'"
kill -TERM "$fwpid"
check_rc "reject: SIGTERM stops" "$fwpid" 5

# ---- 7. half-open links and the stall cut-off setting: while the core is
# away the carrier's connects are refused at once; settings.stall_ms cuts a
# carrier that sent half a message
sed 's/reconnect_max_ms = 200;/reconnect_max_ms = 200; stall_ms = 400;/' "$W/fw.conf" > "$W/fw7.conf"
"$fw" run -c "$W/fw7.conf" 2> "$W/fw7.log" &
fwpid=$!; pids="$pids $fwpid"
wait_for 5 grep -q "running" "$W/fw7.log"
cat > "$W/half.py" <<'EOF'
import socket, sys, time
port, what = int(sys.argv[1]), sys.argv[2]
s = socket.socket()
try:
    s.connect(("127.0.0.1", port))
except ConnectionRefusedError:
    print("refused"); sys.exit(0)
if what == "half":
    s.sendall(bytes.fromhex("0100030300000020") + b"\0" * 8)   # 32 announced, 16 sent
    s.settimeout(10); t0 = time.time()
    try:
        while s.recv(4096): pass
    except OSError: pass
    print("closed after %d ms" % ((time.time() - t0) * 1000))
else:
    print("accepted")
EOF
metrics7() { curl -s -m 3 "http://127.0.0.1:$mport/metrics" > "$W/metrics7.txt" 2>/dev/null; grep -qF "$1" "$W/metrics7.txt"; }
sleep 0.5   # several reconnect attempts to the absent core
check "half-open: no core, the carrier's connect is refused" test "$(python3 "$W/half.py" "$cport" probe)" = refused
check "half-open: metrics say the carrier side does not listen" metrics7 'ss7fw_listening{link="carrier-a",side="carrier"} 0'
check "half-open: still refused a moment later" test "$(python3 "$W/half.py" "$cport" probe)" = refused
"$sim" core --tcp --listen "127.0.0.1:$kport" --timeout 20 2> "$W/core8.log" &
core=$!; pids="$pids $core"
check "half-open: the core is up, the carrier side listens" wait_for 5 metrics7 'ss7fw_listening{link="carrier-a",side="carrier"} 1'
out=$(python3 "$W/half.py" "$cport" half)
ms=$(echo "$out" | sed -n 's/closed after \([0-9]*\) ms/\1/p')
check "stall_ms = 400: half a message, cut off after ${ms:-?} ms (380..3000)" test "${ms:-0}" -ge 380 -a "${ms:-99999}" -le 3000
check "stall_ms: counted as a stalled cut-off" metrics7 'ss7fw_peer_cutoffs_total{reason="stalled"} 1'
kill "$core" 2>/dev/null; wait "$core" 2>/dev/null
kill -TERM "$fwpid"
check_rc "half-open: SIGTERM stops" "$fwpid" 5
finish
