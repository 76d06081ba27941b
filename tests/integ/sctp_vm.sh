#!/bin/sh
# sctp_vm — ss7fw over real SCTP, inside a small VM (the build machines' kernel
# has no SCTP). scripts/vm/run-vm.sh boots Debian's kernel with the host's /
# shared read-only and runs this script again inside (--guest), where:
#
#  1. peer<->peer: two sctp_peer exchange ASPUP + DATA over 7 streams, PPID 3,
#     and each checks what it got (byte-identical, stream kept, in order);
#     a killed peer is seen as link loss by the other.
#  2. ss7fw run between two sctp_peer (SCTP on both sides): the same checks
#     through the relay in both directions; killing the core peer closes the
#     carrier association (and the other way round, after ss7fw reconnected).
#  3. Debian's osmo-stp on both sides of ss7fw: an ASP (sctp-role client,
#     tests/integ/osmo-stp-asp.cfg) brings itself up and active towards an SG
#     (tests/integ/osmo-stp-sg.cfg) through ss7fw; both STPs' VTYs must show
#     ASP_ACTIVE / AS_ACTIVE; when the SG goes, the ASP must see its
#     association go down; when it comes back, both must be active again.
#     Before that, the two STPs are checked directly (no ss7fw) so that a
#     failure can be blamed on the right party.
#  4. segmented XUDT/LUDT through ss7fw over SCTP (tests/tools/segcap.c's
#     scenario, sent by sctp_peer -f): interleaved dialogues from two OPCs
#     with one reference, a refused one, a duplicated and a lost segment,
#     9 components in an LUDT, an exhaustion attempt against reasm_max and
#     reasm_bytes; the core must receive exactly the expected messages
#     (bytes, stream, PPID, order) and the metrics must be exact.
#
#   sh tests/integ/sctp_vm.sh              (BUILD=build: uses $BUILD/ss7fw and
#                                           $BUILD/tools/sctp_peer)
# Last line: "sctp_vm: N passed, N failed"; exit status non-zero on failure.
# Sub-tests 2 and 3 are skipped (and said so) when `ss7fw run` reports it is
# not implemented. Time: about 60 s under TCG emulation, boot included.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

# ---------------------------------------------------------------- host side
if [ "${1:-}" != "--guest" ]; then
	cd "$root" || exit 1
	build=${BUILD:-build}
	case "$build" in /*) ;; *) build=$root/$build ;; esac
	fw=$build/ss7fw
	peer=$build/tools/sctp_peer
	segcap=$build/tools/segcap
	if [ ! -x "$peer" ]; then
		# the test peer needs nothing of ss7fw: build it alone if make did not
		mkdir -p build-vm/bin
		peer=$root/build-vm/bin/sctp_peer
		gcc -std=c11 -D_GNU_SOURCE -O2 -o "$peer" tests/tools/sctp_peer.c -lsctp ||
			{ echo "sctp_vm: 0 passed, 1 failed (cannot build sctp_peer)"; exit 1; }
	fi
	[ -x "$fw" ] || fw=none
	# the guest's /tmp is its own tmpfs: run copies kept under build-vm/
	mkdir -p build-vm/stage
	cp -f "$peer" build-vm/stage/sctp_peer && peer=$root/build-vm/stage/sctp_peer
	if [ "$fw" != none ]; then
		cp -f "$fw" build-vm/stage/ss7fw && fw=$root/build-vm/stage/ss7fw
	fi
	if [ -x "$segcap" ]; then
		cp -f "$segcap" build-vm/stage/segcap && segcap=$root/build-vm/stage/segcap
	else
		segcap=none
	fi
	log=$(mktemp "$root/build-vm/sctp_vm.XXXXXX")
	t0=$(date +%s)
	sh scripts/vm/run-vm.sh -t "${SCTP_VM_TIMEOUT:-180}" -- \
		sh "$here/sctp_vm.sh" --guest "$peer" "$fw" "$segcap" > "$log" 2>&1
	rc=$?
	t1=$(date +%s)
	grep -v -e '^sctp_vm: [0-9]* passed' -e 'reboot: Power down' "$log"
	line=$(grep -E '^sctp_vm: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	rm -f "$log"
	echo "sctp_vm: VM run took $((t1 - t0))s (guest exit $rc)"
	if [ -z "$line" ]; then
		echo "sctp_vm: 0 passed, 1 failed (the VM gave no result, exit $rc)"
		exit 1
	fi
	p=$(echo "$line" | sed -E 's/^sctp_vm: ([0-9]+) passed, ([0-9]+) failed.*/\1/')
	f=$(echo "$line" | sed -E 's/^sctp_vm: ([0-9]+) passed, ([0-9]+) failed.*/\2/')
	[ "$rc" != 0 ] && [ "$f" = 0 ] && f=1
	echo "sctp_vm: $p passed, $f failed"
	[ "$f" = 0 ]
	exit
fi

# --------------------------------------------------------------- guest side
peer=$2
fw=$3
segcap=${4:-none}
W=/tmp/sctp_vm
mkdir -p "$W"
cd "$W" || exit 1
pass=0 fail=0 skipped=0
pids=""
g0=$(date +%s)

ok() { pass=$((pass + 1)); echo "ok     - $*"; }
notok() { fail=$((fail + 1)); echo "NOT OK - $*"; }
skip() { skipped=$((skipped + 1)); echo "skip   - $*"; }
show() { for f in "$@"; do [ -f "$f" ] && { echo "    --- $f"; tail -n 25 "$f" | sed 's/^/    | /'; }; done; }
stop() { for p in "$@"; do kill "$p" 2>/dev/null; done; for p in "$@"; do wait "$p" 2>/dev/null; done; }
cleanup() { for p in $pids; do kill -9 "$p" 2>/dev/null; done; }
trap cleanup EXIT

# Associations (both ends count when both are local) with port $1 as local
# or remote port.
assocs() { awk -v p="$1" 'NR > 1 && ($12 == p || $13 == p)' /proc/net/sctp/assocs | wc -l; }
# wait_for SECONDS COMMAND...: poll every 0.1 s until COMMAND succeeds.
wait_for() {
	n=$(($1 * 10)); shift
	while [ "$n" -gt 0 ]; do
		"$@" && return 0
		sleep 0.1
		n=$((n - 1))
	done
	return 1
}
assocs_at_least() { [ "$(assocs "$1")" -ge "$2" ]; }
no_assoc() { [ "$(assocs "$1")" -eq 0 ]; }
has_line() { grep -q "$2" "$1" 2>/dev/null; }
gone() { ! kill -0 "$1" 2>/dev/null; }
# exit status of background pid $1 within $2 seconds (124 if it is still running)
wait_rc() {
	wait_for "$2" gone "$1" || { kill -9 "$1" 2>/dev/null; wait "$1" 2>/dev/null; return 124; }
	wait "$1"
}

# A minimal VTY client for osmo-stp (telnet without option negotiation).
cat > "$W/vty.py" <<'EOF'
import socket, sys, time
host, port, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3]
try:
    s = socket.create_connection((host, port), timeout=3)
except OSError as e:
    print("vty: %s" % e); sys.exit(1)
def until(tok):
    buf, end = b"", time.time() + 3
    while time.time() < end and tok not in buf:
        try:
            d = s.recv(4096)
        except socket.timeout:
            break
        if not d:
            break
        buf += d
    return buf
until(b"> ")
s.sendall(cmd.encode() + b"\r\n")
sys.stdout.write(until(b"> ").decode("latin1").replace("\r", ""))
EOF
vty() { python3 "$W/vty.py" "$@" 2>&1; }
# metrics PORT: ss7fw's Prometheus text from 127.0.0.1:PORT/metrics
metrics() {
	python3 -c 'import sys, urllib.request
sys.stdout.write(urllib.request.urlopen("http://127.0.0.1:%s/metrics" % sys.argv[1], timeout=3).read().decode())' "$1" 2>/dev/null
}
# asp_state VTYHOST ASPNAME: prints the ASP's state column (ASP_ACTIVE, ...)
asp_state() { vty "$1" 4239 "show cs7 instance 0 asp" | awk -v a="$2" '$1 == a { print $3 }'; }
as_state() { vty "$1" 4239 "show cs7 instance 0 as all" | awk -v a="$2" '$1 == a { print $2 }'; }
asp_is() { [ "$(asp_state "$1" "$2")" = "$3" ]; }
asp_not() { s=$(asp_state "$1" "$2"); [ -n "$s" ] && [ "$s" != "$3" ]; }

echo "sctp_vm: guest $(uname -r), $(nproc) cpu, sctp_peer $peer, ss7fw $fw"

# ---------------------------------------------------------------- 1. peer <-> peer
"$peer" server -l 127.0.0.1:5001 -n 200 -t 20 > p1s.log 2>&1 & s=$!
"$peer" client -c 127.0.0.1:5001 -n 200 -t 20 > p1c.log 2>&1; c=$?
wait "$s"; sv=$?
if [ "$c" = 0 ] && [ "$sv" = 0 ]; then
	ok "peer<->peer: ASPUP + 200 DATA each way on 7 streams, byte-identical, stream and PPID 3 kept, in order"
else
	notok "peer<->peer exchange (client $c, server $sv)"; show p1c.log p1s.log
fi

"$peer" server -l 127.0.0.1:5002 -n 20 -L -t 20 > p2s.log 2>&1 & s=$!
"$peer" client -c 127.0.0.1:5002 -n 20 -H -t 20 > p2c.log 2>&1 & c=$!
if wait_for 10 has_line p2s.log "work done OK"; then
	kill -9 "$c"; wait "$c" 2>/dev/null
	wait_rc "$s" 10; sv=$?
else
	sv=1; kill -9 "$c" "$s" 2>/dev/null; wait "$c" "$s" 2>/dev/null
fi
if [ "$sv" = 0 ]; then
	ok "peer<->peer: a killed peer is seen as link loss ($(grep -o 'LINK-LOST.*' p2s.log | head -n 1))"
else
	notok "peer<->peer link loss not seen (exit $sv)"; show p2s.log p2c.log
fi

# the checker is not vacuous: other bytes (sender id 9) and other streams
# (4 instead of 8) must be reported
"$peer" server -l 127.0.0.1:5003 -n 20 -m 9 -t 20 > p3s.log 2>&1 & s=$!
"$peer" client -c 127.0.0.1:5003 -n 20 -r 20 -t 20 > p3c.log 2>&1; c=$?
wait "$s"
"$peer" server -l 127.0.0.1:5004 -n 20 -s 4 -t 20 > p4s.log 2>&1 & s=$!
"$peer" client -c 127.0.0.1:5004 -n 20 -s 8 -t 20 > p4c.log 2>&1; c2=$?
wait "$s"
if [ "$c" = 1 ] && grep -q "BAD DATA from id 9" p3c.log && [ "$c2" = 1 ] && grep -q "BAD DATA seq .* on stream" p4c.log; then
	ok "peer<->peer: the checker reports foreign bytes and wrong stream ids"
else
	notok "peer<->peer: the checker missed foreign bytes ($c) or wrong streams ($c2)"; show p3c.log p4c.log
fi

# ---------------------------------------------------------------- ss7fw config
# write_cfg FILE CARRIER_LISTEN CORE_REMOTE [CORE_LOCAL]: one link, SCTP on
# both sides, a policy that lets everything pass, metrics on 127.0.0.1:
# $METRICS_PORT (default 0: off), quick reconnects (syntax: docs/policy.md, src/policy/policy_load.c).
write_cfg() {
	local_line=
	[ -n "${4:-}" ] && local_line="local = [ \"$4\" ];"
	cat > "$1" <<EOF
# written by tests/integ/sctp_vm.sh
policy = {
	mode = "enforce";
	default = "allow";
	malformed = "allow";
};
settings = {
	metrics_port = ${METRICS_PORT:-0};
	event_log = "";
	reconnect_min_ms = 100;
	reconnect_max_ms = 1000;
};
links = (
	{
		name = "vm";
		carrier = { transport = "sctp"; mode = "listen"; local = [ "$2" ]; };
		core = { transport = "sctp"; mode = "connect"; remote = [ "$3" ]; $local_line };
	}
);
EOF
}

# fw_start CONFIG LOG: starts ss7fw run; sets fwpid; 0 started, 2 not implemented, 1 failed
fw_start() {
	"$fw" run -c "$1" > "$2" 2>&1 & fwpid=$!; pids="$pids $fwpid"
	sleep 0.5
	if gone "$fwpid"; then
		wait "$fwpid"
		if grep -q "not implemented" "$2"; then return 2; fi
		return 1
	fi
	return 0
}

fw_ready=yes
if [ "$fw" = none ]; then
	fw_ready="no ss7fw binary (build it with make)"
fi

# ---------------------------------------------------------------- 2. ss7fw between two peers
t2() {
	METRICS_PORT=9191 write_cfg fw1.conf 127.0.0.1:5101 127.0.0.1:5102
	# core peer first (ss7fw connects to it at start); it sends only after
	# the carrier's ASPUP came through, so nothing meets a half-up link
	"$peer" server -l 127.0.0.1:5102 -n 300 -W -H -t 60 -o core1.rec > core1.log 2>&1 & core=$!
	pids="$pids $core"
	fw_start fw1.conf fw1.log
	case $? in
	2) fw_ready="ss7fw run is not implemented in this build"
	   skip "ss7fw relay over SCTP: $fw_ready"; kill -9 "$core"; wait "$core" 2>/dev/null; return ;;
	1) notok "ss7fw run -c fw1.conf exited at once"; show fw1.conf fw1.log; kill -9 "$core"; return ;;
	esac
	if ! wait_for 10 assocs_at_least 5102 2; then
		notok "ss7fw did not associate with the core peer on 5102"; show fw1.log core1.log
		stop "$fwpid"; kill -9 "$core"; return
	fi
	"$peer" client -c 127.0.0.1:5101 -n 300 -H -L -t 60 -o carrier1.rec > carrier1.log 2>&1 & car=$!
	pids="$pids $car"
	if wait_for 30 has_line carrier1.log "work done" && wait_for 10 has_line core1.log "work done" &&
	   has_line carrier1.log "work done OK" && has_line core1.log "work done OK"; then
		ok "ss7fw relay: ASPUP + 300 DATA each way on 7 streams, byte-identical, stream and PPID 3 kept, in order"
	else
		notok "ss7fw relay exchange"; show carrier1.log core1.log fw1.log
	fi
	# ss7fw's own account of it: 301 messages (ASPUP + 300 DATA) forwarded
	# each way, none dropped, both associations up
	if metrics 9191 > metrics1.txt; then
		want='ss7fw_relay_forwarded_total{link="vm",dir="in"} 301
ss7fw_relay_forwarded_total{link="vm",dir="out"} 301
ss7fw_relay_dropped_total{link="vm",dir="in"} 0
ss7fw_relay_dropped_total{link="vm",dir="out"} 0
ss7fw_assoc_up{link="vm",side="carrier"} 1
ss7fw_assoc_up{link="vm",side="core"} 1'
		missing=$(echo "$want" | while read -r l; do grep -qxF "$l" metrics1.txt || echo "$l"; done)
		if [ -z "$missing" ]; then
			ok "ss7fw metrics: 301 forwarded each way, 0 dropped, both associations up"
		else
			notok "ss7fw metrics differ: expected $(echo "$missing" | tr '\n' ';')"
			grep -E '^ss7fw_(relay|assoc)' metrics1.txt | sed 's/^/    | /'
		fi
	else
		skip "ss7fw metrics: no endpoint on 127.0.0.1:9191 in this build"
	fi
	# the core goes: ss7fw must close the carrier's association
	kill -9 "$core"; wait "$core" 2>/dev/null
	wait_rc "$car" 15; rc=$?
	if [ "$rc" = 0 ]; then
		ok "ss7fw: core peer killed -> carrier association closed ($(grep -o 'LINK-LOST.*' carrier1.log | head -n 1))"
	else
		notok "ss7fw: core peer killed, carrier side not closed (exit $rc)"; show carrier1.log fw1.log
	fi
	# a new core: ss7fw reconnects; then the carrier goes, the core must be closed
	"$peer" server -l 127.0.0.1:5102 -n 50 -W -L -t 60 > core2.log 2>&1 & core=$!
	pids="$pids $core"
	if ! wait_for 20 assocs_at_least 5102 2; then
		notok "ss7fw did not reconnect to the new core peer"; show fw1.log core2.log
		stop "$fwpid"; kill -9 "$core"; return
	fi
	"$peer" client -c 127.0.0.1:5101 -n 50 -H -t 60 > carrier2.log 2>&1 & car=$!
	pids="$pids $car"
	if wait_for 20 has_line core2.log "work done OK"; then
		kill -9 "$car"; wait "$car" 2>/dev/null
		wait_rc "$core" 15; rc=$?
	else
		rc=1; kill -9 "$car" "$core"; wait "$car" "$core" 2>/dev/null
	fi
	if [ "$rc" = 0 ]; then
		ok "ss7fw: reconnected the core; carrier killed -> core association closed ($(grep -o 'LINK-LOST.*' core2.log | head -n 1))"
	else
		notok "ss7fw: reconnect, or carrier loss propagated to the core (exit $rc)"; show core2.log carrier2.log fw1.log
	fi
	if gone "$fwpid"; then
		wait "$fwpid"
		notok "ss7fw exited during the test (exit $?)"; show fw1.log
	else
		stop "$fwpid"
		ok "ss7fw kept running through link losses and stopped on SIGTERM"
	fi
}

# ---------------------------------------------------------------- 3. osmo-stp
# direct_stp: the two STPs without ss7fw (the ASP connects straight to the SG
# from the port the SG expects), to check their configurations.
t3_direct() {
	sed -e 's/^ asp asp-to-core 3905 2907 m3ua/ asp asp-to-core 2905 2906 m3ua/' \
		"$here/osmo-stp-asp.cfg" > asp-direct.cfg
	osmo-stp -c "$here/osmo-stp-sg.cfg" > sg0.log 2>&1 & sg=$!
	pids="$pids $sg"
	sleep 0.5
	osmo-stp -c asp-direct.cfg > asp0.log 2>&1 & asp=$!
	pids="$pids $asp"
	if wait_for 20 asp_is 127.0.0.1 asp-carrier ASP_ACTIVE && wait_for 5 asp_is 127.0.0.2 asp-to-core ASP_ACTIVE; then
		ok "osmo-stp ASP -> osmo-stp SG directly: ASP_ACTIVE on both (the configurations work)"
	else
		notok "osmo-stp ASP -> SG directly: SG $(asp_state 127.0.0.1 asp-carrier), ASP $(asp_state 127.0.0.2 asp-to-core)"
		show sg0.log asp0.log
	fi
	stop "$asp" "$sg"
	wait_for 5 no_assoc 2905
}

t3() {
	write_cfg fw2.conf 127.0.0.1:3905 127.0.0.1:2905 127.0.0.1:2906
	osmo-stp -c "$here/osmo-stp-sg.cfg" > sg.log 2>&1 & sg=$!
	pids="$pids $sg"
	sleep 0.5
	fw_start fw2.conf fw2.log
	case $? in
	2) skip "osmo-stp through ss7fw: ss7fw run is not implemented in this build"; stop "$sg"; return ;;
	1) notok "ss7fw run -c fw2.conf exited at once"; show fw2.conf fw2.log; stop "$sg"; return ;;
	esac
	if ! wait_for 10 assocs_at_least 2905 2; then
		notok "ss7fw did not associate with osmo-stp (SG) on 2905"; show fw2.log sg.log
		stop "$fwpid" "$sg"; return
	fi
	osmo-stp -c "$here/osmo-stp-asp.cfg" > asp.log 2>&1 & asp=$!
	pids="$pids $asp"
	if wait_for 25 asp_is 127.0.0.1 asp-carrier ASP_ACTIVE && wait_for 5 asp_is 127.0.0.2 asp-to-core ASP_ACTIVE; then
		ok "osmo-stp ASP -> ss7fw -> osmo-stp SG: ASPUP/ASPUP_ACK and ASPAC/ASPAC_ACK through ss7fw, ASP_ACTIVE on both STPs"
	else
		notok "osmo-stp through ss7fw: SG sees $(asp_state 127.0.0.1 asp-carrier), ASP sees $(asp_state 127.0.0.2 asp-to-core)"
		show sg.log asp.log fw2.log
		stop "$asp" "$fwpid" "$sg"; return
	fi
	a1=$(as_state 127.0.0.1 as-carrier) a2=$(as_state 127.0.0.2 as-to-core)
	if [ "$a1" = AS_ACTIVE ] && [ "$a2" = AS_ACTIVE ]; then
		ok "osmo-stp through ss7fw: AS_ACTIVE on both STPs (routing context 23)"
	else
		notok "osmo-stp through ss7fw: AS states SG $a1, ASP $a2"
	fi
	# the SG goes: ss7fw closes the carrier side, the ASP must see it
	kill -9 "$sg"; wait "$sg" 2>/dev/null
	if wait_for 15 asp_not 127.0.0.2 asp-to-core ASP_ACTIVE; then
		ok "osmo-stp SG killed -> ss7fw closed the carrier association: ASP now $(asp_state 127.0.0.2 asp-to-core)"
	else
		notok "osmo-stp SG killed, the ASP still shows $(asp_state 127.0.0.2 asp-to-core)"; show fw2.log asp.log
	fi
	# the SG comes back: ss7fw reconnects, the ASP reconnects and is active again
	osmo-stp -c "$here/osmo-stp-sg.cfg" > sg2.log 2>&1 & sg=$!
	pids="$pids $sg"
	if wait_for 40 asp_is 127.0.0.1 asp-carrier ASP_ACTIVE && wait_for 5 asp_is 127.0.0.2 asp-to-core ASP_ACTIVE; then
		ok "osmo-stp SG restarted -> ss7fw and the ASP reconnected, ASP_ACTIVE on both again"
	else
		notok "after the SG restart: SG $(asp_state 127.0.0.1 asp-carrier), ASP $(asp_state 127.0.0.2 asp-to-core)"
		show sg2.log asp.log fw2.log
	fi
	stop "$asp" "$fwpid" "$sg"
}

# ---------------------------------------------------------------- 4. segments
# metric FILE SAMPLE: the value of one sample of a Prometheus text
metric() { awk -v s="$2" '$1 == s { print $2 }' "$1"; }
t4() {
	if [ "$segcap" = none ]; then
		notok "segments over SCTP: no segcap binary (make tools)"; return
	fi
	"$segcap" -s seg_send.txt -e seg_expect.rec -g 9000 > segcap.log 2>&1 ||
		{ notok "segcap failed"; show segcap.log; return; }
	cat > fw4.conf <<EOF
# written by tests/integ/sctp_vm.sh (segments)
policy = { mode = "enforce"; default = "allow"; malformed = "drop"; };
settings = {
	metrics_port = 9194;
	event_log = "";
	reasm_timeout = 6;   # roomy: the emulated guest is slow under load; the lost segment's gap is 9 s
	reasm_max = 4;
	reasm_bytes = 4096;
};
links = (
	{
		name = "seg";
		carrier = { transport = "sctp"; mode = "listen"; local = [ "127.0.0.1:5401" ]; };
		core = { transport = "sctp"; mode = "connect"; remote = [ "127.0.0.1:5402" ]; };
	}
);
rules = ( { name = "refuse-foreign"; action = "drop"; match = { cgpa_gt = [ "44" ]; }; } );
EOF
	nexp=$(wc -l < seg_expect.rec)
	"$peer" server -l 127.0.0.1:5402 -n 0 -x -r "$nexp" -W -H -t 90 -o seg_core.rec > seg_core.log 2>&1 & core=$!
	pids="$pids $core"
	fw_start fw4.conf fw4.log
	case $? in
	0) ;;
	*) notok "ss7fw run -c fw4.conf did not start"; show fw4.log; kill -9 "$core"; return ;;
	esac
	if ! wait_for 10 assocs_at_least 5402 2; then
		notok "segments: ss7fw did not associate with the core peer"; show fw4.log seg_core.log
		stop "$fwpid"; kill -9 "$core"; return
	fi
	"$peer" client -c 127.0.0.1:5401 -f seg_send.txt -r 0 -H -t 90 > seg_car.log 2>&1 & car=$!
	pids="$pids $car"
	if wait_for 60 has_line seg_core.log "work done OK" && wait_for 10 has_line seg_car.log "work done"; then
		sleep 0.5   # anything more that should not come
		tail -n +2 seg_core.rec > seg_got.rec
		if head -n 1 seg_core.rec | grep -q '^0 3 8 ' && cmp -s seg_got.rec seg_expect.rec; then
			ok "segments over SCTP: the core got exactly the $nexp expected messages (whole allowed messages, original segments byte-identical, streams and PPID kept, in order)"
		else
			notok "segments over SCTP: the core got other messages than expected"
			diff seg_got.rec seg_expect.rec | cut -c1-100 | head -n 20 | sed 's/^/    | /'
		fi
	else
		notok "segments over SCTP: the core did not get its $nexp messages"; show seg_core.log seg_car.log fw4.log
	fi
	# past T(reass) (6 s, and the relay's 1 s timer): what the exhaustion
	# left behind has expired too
	sleep 7.5
	if metrics 9194 > metrics4.txt; then
		cb=$(metric metrics4.txt 'ss7fw_reasm_total{event="cut_reasm_bytes"}')
		bad=""
		for kv in 'ss7fw_reasm_total{event="started"} 14' 'ss7fw_reasm_total{event="completed"} 6' \
			"ss7fw_reasm_total{event=\"expired\"} $((1 + 4 - ${cb:-0}))" 'ss7fw_reasm_active 0' \
			'ss7fw_reasm_bytes 0' 'ss7fw_reasm_total{event="duplicate"} 1' \
			'ss7fw_reasm_total{event="orphan"} 1' 'ss7fw_reasm_total{event="cut_reasm_max"} 3' \
			'ss7fw_drops_total{reason="rule"} 2' 'ss7fw_drops_total{reason="malformed"} 2' \
			'ss7fw_drops_total{reason="reassembly_error"} 2' "ss7fw_drops_total{reason=\"reassembly_timeout\"} $((2 + 4 - ${cb:-0}))" \
			"ss7fw_drops_total{reason=\"reassembly_limit\"} $((3 + ${cb:-0}))" \
			"ss7fw_relay_forwarded_total{link=\"seg\",dir=\"in\"} $((nexp + 1))" \
			'ss7fw_relay_dropped_total{link="seg",dir="in"} 6' 'ss7fw_msus_total 29'; do
			k=${kv% *} v=${kv##* }
			[ "$(metric metrics4.txt "$k")" = "$v" ] || bad="$bad $k=$(metric metrics4.txt "$k")(want $v)"
		done
		[ "${cb:-0}" -ge 1 ] || bad="$bad cut_reasm_bytes=$cb(want >= 1)"
		if [ -z "$bad" ]; then
			ok "segments over SCTP: metrics exact (14 reassemblies, 6 whole, 1 duplicate, 1 orphan, 3 cut by reasm_max, $cb by reasm_bytes, the rest expired; drops by reason)"
		else
			notok "segments over SCTP: metrics differ:$bad"
		fi
	else
		notok "segments over SCTP: no metrics on 127.0.0.1:9194"
	fi
	stop "$car" "$core" "$fwpid"
}

if [ "$fw_ready" = yes ]; then
	t2
	t4
else
	skip "ss7fw relay over SCTP: $fw_ready"
fi
if command -v osmo-stp >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1; then
	t3_direct
	if [ "$fw_ready" = yes ]; then
		t3
	else
		skip "osmo-stp through ss7fw: $fw_ready"
	fi
else
	notok "osmo-stp or python3 missing on the host (run scripts/deps.sh)"
fi

echo "sctp_vm: guest tests took $(($(date +%s) - g0))s"
[ "$skipped" = 0 ] || echo "sctp_vm: $skipped skipped (see the skip lines)"
echo "sctp_vm: $pass passed, $fail failed"
[ "$fail" = 0 ]
