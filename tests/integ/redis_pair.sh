#!/bin/sh
# redis_pair — two `ss7fw run` instances sharing their correlation state
# through Debian's redis-server (settings.state.backend = "redis"), over TCP
# on loopback; test peers load-share by SLS across them (even SLS: instance
# A, odd: B), as an STP pair does:
#  1. the SRI-SMs pass A, the reportSM-DeliveryStatus that follow pass B:
#     B forwards exactly the RSDS whose SRI-SM A saw, and drops the others;
#     the forwarded set equals that of one instance on the same traffic;
#  2. kill -9 of A and a restart: A loads the live state before accepting
#     its links (log line, ss7fw_state_loaded_total), and forwards an RSDS
#     whose SRI-SM it saw before it died;
#  3. Redis killed mid-run: both keep forwarding at once (no stall), say
#     degraded (ss7fw_state_degraded 1, errors counted); Redis started
#     again: both reconnect, and sharing works again.
#   sh tests/integ/redis_pair.sh     (BUILD=build: $BUILD/ss7fw, $BUILD/tools/msu_hex)
# Last line: "redis_pair: N passed, N failed". Bounded: every wait has a limit.
set -u
cd "$(dirname "$0")/../.."
build=${BUILD:-build}
fw=$build/ss7fw
hexer=$build/tools/msu_hex
W=$(mktemp -d)
pass=0 fail=0
pids=""
cleanup() { for p in $pids; do kill -9 "$p" 2>/dev/null; done; rm -rf "$W"; }
trap cleanup EXIT
ok() { pass=$((pass + 1)); echo "ok     - $*"; }
notok() { fail=$((fail + 1)); echo "NOT OK - $*"; for f in "$W"/*.log; do echo "    --- $f"; tail -n 8 "$f" | sed 's/^/    | /'; done; }
check() { what=$1; shift; if "$@"; then ok "$what"; else notok "$what"; fi; }
finish() { echo "redis_pair: $pass passed, $fail failed"; [ "$fail" = 0 ]; exit; }
wait_for() { # SECONDS COMMAND...
	n=$(($1 * 10)); shift
	while [ "$n" -gt 0 ]; do "$@" && return 0; sleep 0.1; n=$((n - 1)); done
	return 1
}
for x in "$fw" "$hexer"; do
	[ -x "$x" ] || { echo "redis_pair: $x missing (make all tools)"; echo "redis_pair: 0 passed, 1 failed"; exit 1; }
done
command -v redis-server >/dev/null || { echo "redis_pair: redis-server missing (scripts/deps.sh)"; echo "redis_pair: 0 passed, 1 failed"; exit 1; }

set -- $(python3 -c 'import socket
ss = [socket.socket() for _ in range(10)]
for s in ss: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))')
rport=$1 caA=$2 coA=$3 mA=$4 caB=$5 coB=$6 mB=$7 caC=$8 coC=$9 mC=${10}

# ---- Redis: no persistence, the default user off, an ACL user for ss7fw
cat > "$W/redis.conf" <<EOF
port $rport
bind 127.0.0.1
save ""
appendonly no
dir $W
user default off
user ss7fw on >pair-secret-9 ~ss7fw:* +@all
EOF
printf 'pair-secret-9\n' > "$W/redis.pass"
chmod 600 "$W/redis.pass"
start_redis() {
	redis-server "$W/redis.conf" > "$W/redis.log" 2>&1 &
	redis=$!; pids="$pids $redis"
	wait_for 5 python3 -c "import socket; socket.create_connection(('127.0.0.1', $rport), 1)" 2>/dev/null
}
start_redis

# ir71.conf with its links and settings replaced by this test's (its lists
# are @include'd relative to the file's directory)
ln -s "$(pwd)/policies/lists" "$W/lists"
conf() { # FILE CARRIER_PORT CORE_PORT METRICS_PORT [local]
		state='state = { backend = "redis"; port = '$rport'; user = "ss7fw"; password_file = "'$W'/redis.pass"; };'
		[ "${5:-}" = local ] && state=""
		python3 - "$1" "$2" "$3" "$4" "$state" <<'PY'
import re, sys
out, cp, kp, mp, state = sys.argv[1:6]
s = open("policies/ir71.conf").read()
s = re.sub(r'(?ms)^links\s*=\s*\(.*?^\);\n', '', s)
s = re.sub(r'(?ms)^settings\s*=\s*\{.*?^\};\n', '', s)
s += '''
links = (
  { name = "carrier-a";
    carrier = { transport = "tcp"; mode = "listen"; local = [ "127.0.0.1:%s" ]; };
    core = { transport = "tcp"; mode = "connect"; remote = [ "127.0.0.1:%s" ]; };
  }
);
settings = { metrics_port = %s; reconnect_min_ms = 20; reconnect_max_ms = 200; %s };
''' % (cp, kp, mp, state)
open(out, "w").write(s)
PY
}
conf "$W/a.conf" "$caA" "$coA" "$mA"
conf "$W/b.conf" "$caB" "$coB" "$mB"
conf "$W/c.conf" "$caC" "$coC" "$mC" local
"$fw" check -c "$W/a.conf" > "$W/check.log" 2>&1
check "the configuration with settings.state is valid (ss7fw check)" test $? = 0

# ---- peers: a core that records every M3UA message it gets (hex per line),
# a carrier that sends a script of "A|B hex" / "sleep S" lines
cat > "$W/core.py" <<'PY'
import socket, sys
port, out = int(sys.argv[1]), sys.argv[2]
l = socket.socket(); l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(("127.0.0.1", port)); l.listen(4)
f = open(out, "a")
while True:
    c, _ = l.accept()
    buf = b""
    while True:
        d = c.recv(65536)
        if not d:
            break
        buf += d
        while len(buf) >= 8 and len(buf) >= int.from_bytes(buf[4:8], "big"):
            n = int.from_bytes(buf[4:8], "big")
            f.write(buf[:n].hex() + "\n"); f.flush()
            buf = buf[n:]
    c.close()
PY
cat > "$W/carrier.py" <<'PY'
import socket, sys, time
ports = {"A": int(sys.argv[1]), "B": int(sys.argv[2])}
script = open(sys.argv[3]).read().split("\n")
conns = {}
def conn(k):
    if k not in conns:
        end = time.time() + 10
        while True:
            try:
                conns[k] = socket.create_connection(("127.0.0.1", ports[k]), 1); break
            except OSError:
                if time.time() > end: raise
                time.sleep(0.05)
    return conns[k]
for line in script:
    if not line: continue
    w = line.split()
    if w[0] == "sleep": time.sleep(float(w[1])); continue
    conn(w[0]).sendall(bytes.fromhex(w[1]))
time.sleep(0.3)
PY
start_fw() { # NAME CONF
	"$fw" run -c "$2" 2> "$W/$1.log" &
	eval "fw_$1=\$!"; eval "pids=\"\$pids \$fw_$1\""
	wait_for 10 grep -q "running" "$W/$1.log"
}
metric() { # PORT SAMPLE: its value
	curl -s -m 3 "http://127.0.0.1:$1/metrics" | awk -v s="$2" '$1 == s { print $2 }'
}
is_metric() { # PORT SAMPLE VALUE
	test "$(metric "$1" "$2")" = "$3"
}
python3 "$W/core.py" "$coA" "$W/coreA.rec" 2> "$W/coreA.log" & pids="$pids $!"
python3 "$W/core.py" "$coB" "$W/coreB.rec" 2> "$W/coreB.log" & pids="$pids $!"
python3 "$W/core.py" "$coC" "$W/coreC.rec" 2> "$W/coreC.log" & pids="$pids $!"
check "instance A starts with the shared state" start_fw A "$W/a.conf"
check "instance B starts with the shared state" start_fw B "$W/b.conf"
check "instance C (one instance, local state) starts" start_fw C "$W/c.conf"
check "A says what it loaded from Redis" grep -q "live entries loaded from Redis" "$W/A.log"

# ---- 1. SRI-SMs through A (even SLS), their RSDS through B (odd SLS); and
# RSDS nobody asked for
: > "$W/pair.txt"; : > "$W/one.txt"
for k in 0 1 2 3 4 5 6 7 8 9; do
	h=$("$hexer" sri 99912550070$k $((2 * (k % 8)))); echo "A $h" >> "$W/pair.txt"; echo "A $h" >> "$W/one.txt"
done
echo "sleep 0.3" >> "$W/pair.txt"
for k in 0 1 2 3 4 5 6 7 8 9; do
	h=$("$hexer" rsds 99912550070$k $((2 * (k % 8) + 1))); echo "B $h" >> "$W/pair.txt"; echo "A $h" >> "$W/one.txt"
	h=$("$hexer" rsds 99912550080$k $((2 * (k % 8) + 1))); echo "B $h" >> "$W/pair.txt"; echo "A $h" >> "$W/one.txt"
done
python3 "$W/carrier.py" "$caA" "$caB" "$W/pair.txt" 2> "$W/carrier1.log"
python3 "$W/carrier.py" "$caC" "$caC" "$W/one.txt" 2> "$W/carrier2.log"
sleep 0.3
data() { cat "$1" 2>/dev/null | grep -c '^01000101'; }
check "A forwarded the 10 SRI-SMs" test "$(data "$W/coreA.rec")" = 10
check "B forwarded exactly the 10 RSDS whose SRI-SM A saw ($(data "$W/coreB.rec"))" test "$(data "$W/coreB.rec")" = 10
cat "$W/coreA.rec" "$W/coreB.rec" | grep '^01000101' | sort > "$W/pair.set"
grep '^01000101' "$W/coreC.rec" | sort > "$W/one.set"
check "the pair forwarded exactly what one instance forwards on the same traffic" cmp -s "$W/pair.set" "$W/one.set"
check "B's RSDS drops are the rule's (10)" test "$(metric "$mB" 'ss7fw_rule_hits_total{rule="ir71-rsds-solicited"}')" = 10
check "B learned A's entries (ss7fw_state_learned_total)" test "$(metric "$mB" 'ss7fw_state_learned_total{op="put"}')" -ge 10

# ---- 2. kill -9 of A, restart: the state is back before its links
kill -9 "$fw_A"; wait "$fw_A" 2>/dev/null
check "A restarted" start_fw A "$W/a.conf"
check "A loaded the live state at start" test "$(metric "$mA" ss7fw_state_loaded_total)" -ge 10
echo "A $("$hexer" rsds 999125500703 2)" > "$W/after.txt"
before=$(data "$W/coreA.rec")
python3 "$W/carrier.py" "$caA" "$caB" "$W/after.txt" 2> "$W/carrier3.log"
sleep 0.3
check "restarted A forwards an RSDS whose SRI-SM it saw before it died" test "$(data "$W/coreA.rec")" = $((before + 1))

# ---- 3. Redis killed mid-run, then back
kill -9 "$redis"; wait "$redis" 2>/dev/null
: > "$W/burst.txt"
for k in $(seq 0 99); do echo "A $("$hexer" sri 9991255009$(printf %03d $k) $((2 * (k % 8))))" >> "$W/burst.txt"
	echo "B $("$hexer" sri 9991255019$(printf %03d $k) $((2 * (k % 8) + 1)))" >> "$W/burst.txt"; done
bA=$(data "$W/coreA.rec"); bB=$(data "$W/coreB.rec")
t0=$(date +%s%N)
python3 "$W/carrier.py" "$caA" "$caB" "$W/burst.txt" 2> "$W/carrier4.log"
wait_for 5 sh -c "test \$(grep -c '^01000101' '$W/coreA.rec') -ge $((bA + 100)) && test \$(grep -c '^01000101' '$W/coreB.rec') -ge $((bB + 100))"
t1=$(date +%s%N)
check "Redis down: all 200 SRI-SMs forwarded at once ($(( (t1 - t0) / 1000000 )) ms)" \
	test "$(data "$W/coreA.rec")" = $((bA + 100)) -a "$(data "$W/coreB.rec")" = $((bB + 100))
check "Redis down: A says degraded (ss7fw_state_degraded 1)" wait_for 5 is_metric "$mA" ss7fw_state_degraded 1
check "Redis down: B says degraded" wait_for 5 is_metric "$mB" ss7fw_state_degraded 1
check "Redis down: errors counted" test "$(metric "$mA" ss7fw_state_errors_total)" -ge 1
check "Redis down: the log says degraded" grep -q "degraded, screening on local state" "$W/A.log"
start_redis
check "Redis back: A reconnects" wait_for 10 is_metric "$mA" ss7fw_state_degraded 0
check "Redis back: B reconnects" wait_for 10 is_metric "$mB" ss7fw_state_degraded 0
printf 'A %s\nsleep 0.3\nB %s\n' "$("$hexer" sri 999125500990 4)" "$("$hexer" rsds 999125500990 5)" > "$W/again.txt"
bB=$(data "$W/coreB.rec")
python3 "$W/carrier.py" "$caA" "$caB" "$W/again.txt" 2> "$W/carrier5.log"
sleep 0.3
check "Redis back: an SRI-SM through A opens the window at B again" test "$(data "$W/coreB.rec")" = $((bB + 1))
check "A reconnected (ss7fw_state_reconnects_total)" test "$(metric "$mA" ss7fw_state_reconnects_total)" -ge 1
for p in "$fw_A" "$fw_B" "$fw_C"; do kill -TERM "$p" 2>/dev/null; done
for p in "$fw_A" "$fw_B" "$fw_C"; do wait "$p" 2>/dev/null; done
finish
