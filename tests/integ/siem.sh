#!/bin/sh
# siem — the event log's SIEM outputs of a running ss7fw, read back:
#  0. `ss7fw check` refuses a collector named by host name and an SD-ID
#     without an enterprise number, and accepts valid SIEM settings;
#  1. RFC 5424 over TCP (RFC 6587 octet counting) to a local collector
#     (python3): one message per dropped MSU, each with PRI, version,
#     timestamp, hostname, app, pid, msgid, the structured data
#     [ss7fw@32473 verdict shadow rule reason link dir cgpa cdpa op] equal to
#     the record's fields, the escaping of ']', '"' and '\' in a rule named
#     odd]"\rule, and the JSON record itself as MSG, byte for byte;
#  2. the same over UDP (one datagram per message);
#  3. the systemd journal: the system's journald when it runs, otherwise
#     (as root, where unshare works) a private journald in a mount namespace
#     of this test (tmpfs on /run/systemd, /run/log, /var/log/journal);
#     otherwise skipped with the reason. journalctl -o json: one entry per
#     drop with MESSAGE, PRIORITY, SS7FW_* fields and SS7FW_JSON;
#  4. contrib/rsyslog/ss7fw.conf: `rsyslogd -N1` accepts it (and rejects a
#     typo); then Debian's rsyslogd runs it (ports, certificate paths and the
#     target address swapped for test ones; a CA, the collector's and this
#     host's certificates made here with openssl), ss7fw sends to its
#     loopback listener, and it forwards over TLS (gtls, x509/name, mutual
#     authentication) to a python3 TLS collector: ss7fw's messages arrive
#     unchanged (structured data and escaping intact), another app's do not.
#   sh tests/integ/siem.sh            (BUILD=build: $BUILD/ss7fw, $BUILD/tools/ss7sim)
# Last line: "siem: N passed, N failed". Bounded: about 25 s; every wait has its limit.
set -u
cd "$(dirname "$0")/../.."

system_journal() {
	[ -S /run/systemd/journal/socket ] && command -v journalctl >/dev/null 2>&1 &&
		case $(systemctl is-system-running 2>/dev/null) in running|degraded|starting) true ;; *) false ;; esac
}
# No journald here: rerun in a private mount namespace with our own journald.
if [ "${SIEM_NS:-}" = "" ] && ! system_journal && [ "$(id -u)" = 0 ] &&
   [ -x /lib/systemd/systemd-journald ] && command -v journalctl >/dev/null 2>&1 &&
   unshare -m true 2>/dev/null; then
	SIEM_NS=1 exec unshare -m --propagation private sh "$0" "$@"
fi

build=${BUILD:-build}
fw=$build/ss7fw
sim=$build/tools/ss7sim
NAME=siem
. tests/integ/lib/harness.sh
if [ ! -x "$fw" ] || [ ! -x "$sim" ]; then
	notok "$fw and $sim built (make all tools)"
	finish
fi

# ---- the collector: RFC 5424 messages to one JSON string per line
cat > "$W/collector.py" <<'PY'
import json, signal, socket, sys, time
proto, portfile, out = sys.argv[1], sys.argv[2], sys.argv[3]
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
f = open(out, "w", buffering=1)
deadline = time.time() + 30
if proto == "udp":
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.1", 0))
    open(portfile, "w").write(str(s.getsockname()[1]))
    s.settimeout(0.2)
    while time.time() < deadline:
        try:
            d = s.recv(70000)
        except socket.timeout:
            continue
        f.write(json.dumps(d.decode("utf-8", "surrogateescape")) + "\n")
else:
    l = socket.socket()
    l.bind(("127.0.0.1", 0))
    l.listen(4)
    open(portfile, "w").write(str(l.getsockname()[1]))
    l.settimeout(10)
    c, _ = l.accept()
    c.settimeout(0.2)
    buf = b""
    while time.time() < deadline:
        try:
            d = c.recv(65536)
        except socket.timeout:
            continue
        if not d:
            break
        buf += d
        while True:           # RFC 6587 3.4.1: MSG-LEN SP SYSLOG-MSG
            sp = buf.find(b" ")
            if sp < 0:
                break
            assert buf[:sp].isdigit() and buf[:1] != b"0", buf[:40]
            n = int(buf[:sp])
            if len(buf) < sp + 1 + n:
                break
            f.write(json.dumps(buf[sp + 1:sp + 1 + n].decode("utf-8", "surrogateescape")) + "\n")
            buf = buf[sp + 1 + n:]
PY

# ---- the checker: every message against the event log's record
cat > "$W/check5424.py" <<'PY'
import json, re, socket, sys
got_file, events_file, pid = sys.argv[1], sys.argv[2], sys.argv[3]
msgs = [json.loads(l) for l in open(got_file)]
lines = [l.rstrip("\n") for l in open(events_file)]
fails = 0
def check(what, cond):
    global fails
    if not cond:
        print("FAIL " + what)
        fails += 1
def parse(m):
    """RFC 5424 6: HEADER SP STRUCTURED-DATA [SP MSG]; SD params unescaped."""
    h = re.match(r'^<(\d{1,3})>1 (\S+) (\S+) (\S+) (\S+) (\S+) ', m)
    assert h, m[:80]
    i = h.end()
    assert m[i] == "[", m[i:i + 20]
    j = m.index(" ", i)
    sdid = m[i + 1:j]
    params, raw = [], None
    i = j
    while m[i] == " ":
        eq = m.index("=", i)
        name = m[i + 1:eq]
        assert m[eq + 1] == '"'
        k, v = eq + 2, ""
        while m[k] != '"':
            if m[k] == "\\" and m[k + 1] in '"\\]':
                v += m[k + 1]; k += 2
            else:
                assert m[k] not in '"]', "unescaped %r in %r" % (m[k], m[i:k + 1])
                v += m[k]; k += 1
        params.append((name, v))
        i = k + 1
    assert m[i] == "]", m[i:i + 20]
    assert m[i + 1] == " "
    return h.groups(), sdid, params, m[i + 2:], m[h.end():i + 1]
host = socket.gethostname()
check("%d messages for %d event lines" % (len(msgs), len(lines)), len(msgs) == len(lines) and len(lines) > 0)
for k, (m, line) in enumerate(zip(msgs, lines)):
    (pri, ts, hn, app, procid, msgid), sdid, params, body, rawsd = parse(m)
    r = json.loads(line)
    want = [("verdict", r["verdict"]), ("shadow", "true" if r.get("shadow") else "false")]
    if "rule" in r: want.append(("rule", r["rule"]))
    want.append(("reason", "rule" if "rule" in r else "default"))
    want += [("link", r["link"]), ("dir", r["dir"])]
    for p in ("cgpa", "cdpa"):
        d = r.get("sccp", {}).get(p, {}).get("digits")
        if d: want.append((p, d))
    if r.get("map", {}).get("op"): want.append(("op", r["map"]["op"]))
    check("msg %d: PRI %s (local0.warning = 132)" % (k, pri), pri == "132")
    check("msg %d: timestamp %s" % (k, ts), re.match(r'^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$', ts) is not None)
    check("msg %d: host %s app %s pid %s msgid %s" % (k, hn, app, procid, msgid),
          hn == host and app == "ss7fw" and procid == pid and msgid == "msu")
    check("msg %d: SD-ID %s" % (k, sdid), sdid == "ss7fw@32473")
    check("msg %d: params %s, want %s" % (k, params, want), params == want)
    check("msg %d: MSG is the event record" % k, body == line)
    if r.get("rule") == 'odd]"\\rule':
        check("msg %d: escaped rule in %s" % (k, rawsd), ' rule="odd\\]\\"\\\\rule" ' in rawsd)
rules = {json.loads(l).get("rule") for l in lines}
check("both rules seen, the odd name among them (%s)" % rules, rules == {'odd]"\\rule', "spoofed-sc"})
print("check5424: %d messages, %d failed" % (len(msgs), fails))
sys.exit(1 if fails else 0)
PY

set -- $(python3 -c 'import socket
ss = [socket.socket() for _ in range(3)]
for s in ss: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))')
cport=$1 kport=$2 mport=$3

conf() { # FILE EXTRA-SETTINGS
	cat > "$1" <<EOF
policy = { mode = "enforce"; default = "allow"; malformed = "allow"; };
links = (
  { name = "carrier-a";
    carrier = { transport = "tcp"; mode = "listen"; local = [ "127.0.0.1:$cport" ]; };
    core = { transport = "tcp"; mode = "connect"; remote = [ "127.0.0.1:$kport" ]; };
  }
);
settings = { metrics_port = $mport; reconnect_min_ms = 20; reconnect_max_ms = 200;
             event_log = "$W/events.json"; $2 };
rules = (
  { name = "odd]\"\\\\rule"; action = "drop"; match = { cgpa_gt = [ "44" ]; }; },
  { name = "spoofed-sc"; action = "drop"; match = { sc_addr = [ "44" ]; }; }
);
EOF
}

# Runs ss7fw with the settings, 40 mixed MSUs through it (10 attacks), then
# stops it (so every record is out). Sets fwpid_last.
run_traffic() { # LABEL EXTRA-SETTINGS
	rm -f "$W/events.json"
	conf "$W/fw.conf" "$2"
	"$fw" run -c "$W/fw.conf" 2> "$W/fw-$1.log" &
	fwpid_last=$!; pids="$pids $fwpid_last"
	wait_for 5 grep -q "running" "$W/fw-$1.log" || return 1
	"$sim" core --tcp --listen "127.0.0.1:$kport" --expect 31 --timeout 20 2> "$W/core-$1.log" &
	core=$!; pids="$pids $core"
	"$sim" carrier --tcp --connect "127.0.0.1:$cport" --asp --send 40 --mix mixed \
		--sent "$W/sent-$1.txt" --timeout 20 --linger 300 2> "$W/carrier-$1.log"
	wait_rc "$core" 10 > /dev/null
	wait_for 3 sh -c "test \"\$(wc -l < '$W/events.json')\" = 10" 2>/dev/null
	curl -sf -m 3 "http://127.0.0.1:$mport/metrics" > "$W/metrics-$1.txt" 2>/dev/null
	kill -TERM "$fwpid_last"
	wait_rc "$fwpid_last" 5 > /dev/null
}

# ---- 0: ss7fw check catches what ss7fw run would refuse at start
conf "$W/bad.conf" 'syslog_server = "syslog.example.net:514"; syslog_sd_id = "ss7fw";'
"$fw" check -c "$W/bad.conf" > "$W/check-bad.out" 2>&1; rc=$?
check "check: a host name as syslog_server and an SD-ID without @PEN are refused (exit $rc)" sh -c \
	"test $rc = 1 && grep -q 'settings.syslog_server \"syslog.example.net:514\" is not a numeric' '$W/check-bad.out' &&
	 grep -q 'settings.syslog_sd_id \"ss7fw\" is not NAME@ENTERPRISE-NUMBER' '$W/check-bad.out' &&
	 grep -q ': 2 errors' '$W/check-bad.out'"
conf "$W/good.conf" 'syslog_server = "[::1]:514"; syslog_transport = "tcp"; syslog_sd_id = "ss7fw@12345"; journal = true;'
check "check: an IPv6 collector, TCP, an SD-ID with a PEN, the journal are accepted" "$fw" check -c "$W/good.conf"

# ---- 1, 2: RFC 5424 to a TCP and a UDP collector
for proto in tcp udp; do
	rm -f "$W/port-$proto"
	python3 "$W/collector.py" "$proto" "$W/port-$proto" "$W/got-$proto.json" 2> "$W/collector-$proto.log" &
	col=$!; pids="$pids $col"
	wait_for 5 test -s "$W/port-$proto" || { notok "$proto collector starts"; continue; }
	sport=$(cat "$W/port-$proto")
	if ! run_traffic "$proto" "syslog_server = \"127.0.0.1:$sport\"; syslog_transport = \"$proto\";"; then
		notok "$proto: ss7fw runs"
		continue
	fi
	check "$proto: 10 drops logged" test "$(wc -l < "$W/events.json")" = 10
	wait_for 3 sh -c "test \"\$(wc -l < '$W/got-$proto.json')\" = 10" 2>/dev/null
	kill -TERM "$col" 2>/dev/null; wait_rc "$col" 5 > /dev/null
	if python3 "$W/check5424.py" "$W/got-$proto.json" "$W/events.json" "$fwpid_last" > "$W/check-$proto.out" 2>&1; then
		ok "$proto: $(tail -n 1 "$W/check-$proto.out"): header, structured data (escaping), record"
	else
		notok "$proto: RFC 5424 messages"; sed 's/^/    /' "$W/check-$proto.out" | head -n 30
	fi
	check "$proto: ss7fw_syslog_sent_total 10, nothing dropped" sh -c \
		"grep -qx 'ss7fw_syslog_sent_total 10' '$W/metrics-$proto.txt' && grep -qx 'ss7fw_syslog_dropped_total 0' '$W/metrics-$proto.txt'"
done
check "tcp: one connection to the collector" grep -qx 'ss7fw_syslog_connects_total 1' "$W/metrics-tcp.txt"

# ---- 3: the journal
jmode=""
if system_journal; then
	jmode="the system's journald"
elif [ "${SIEM_NS:-}" = 1 ]; then
	# our own journald, in this test's mount namespace only
	mount -t tmpfs tmpfs /run/systemd && mkdir -p /run/systemd/journal && mkdir -p /run/log &&
		mount -t tmpfs tmpfs /run/log && mkdir -p /var/log/journal &&
		mount -t tmpfs tmpfs /var/log/journal &&
		{ timeout -s KILL 60 /lib/systemd/systemd-journald > "$W/journald.log" 2>&1 & jd=$!; pids="$pids $jd"; } &&
		wait_for 5 test -S /run/systemd/journal/socket && jmode="a private journald (mount namespace of this test)"
	[ -n "$jmode" ] || echo "skip   - journal: could not start a private journald ($(tail -n 2 "$W/journald.log" 2>/dev/null))"
else
	echo "skip   - journal: no journald here (systemctl is-system-running: $(systemctl is-system-running 2>&1 | head -n 1); /run/systemd/journal/socket absent) and no private one (needs root and unshare -m)"
fi
if [ -n "$jmode" ]; then
	if run_traffic journal "journal = true;"; then
		jq_entries() {
			journalctl --no-pager -o json "_PID=$fwpid_last" SYSLOG_IDENTIFIER=ss7fw > "$W/journal.json" 2>/dev/null
			test "$(wc -l < "$W/journal.json")" -ge 10
		}
		wait_for 5 jq_entries
		if python3 - "$W/journal.json" "$W/events.json" > "$W/check-journal.out" 2>&1 <<'PY'
import json, sys
ents = [json.loads(l) for l in open(sys.argv[1])]
lines = [l.rstrip("\n") for l in open(sys.argv[2])]
fails = 0
def check(what, cond):
    global fails
    if not cond:
        print("FAIL " + what); fails += 1
check("%d entries for %d records" % (len(ents), len(lines)), len(ents) == len(lines) == 10)
for k, (e, line) in enumerate(zip(ents, lines)):
    r = json.loads(line)
    sc = r.get("sccp", {})
    want = {"PRIORITY": "4", "SYSLOG_FACILITY": "16", "SYSLOG_IDENTIFIER": "ss7fw",
            "MESSAGE_ID": "7c1f4e5a2b9d4c3e8a6f0d1b2c3e4f50",
            "SS7FW_VERDICT": r["verdict"], "SS7FW_SHADOW": "false", "SS7FW_RULE": r["rule"],
            "SS7FW_REASON": "rule", "SS7FW_LINK": r["link"], "SS7FW_DIR": r["dir"],
            "SS7FW_CGPA": sc["cgpa"]["digits"], "SS7FW_CDPA": sc["cdpa"]["digits"],
            "SS7FW_OP": r["map"]["op"], "SS7FW_JSON": line}
    have = {k2: e.get(k2) for k2 in want}
    check("entry %d: %s, want %s" % (k, have, want), have == want)
    msg = "drop %s cgpa=%s cdpa=%s link=%s/%s rule=%s" % (r["map"]["op"], sc["cgpa"]["digits"],
          sc["cdpa"]["digits"], r["link"], r["dir"], r["rule"])
    check("entry %d: MESSAGE %r, want %r" % (k, e.get("MESSAGE"), msg), e.get("MESSAGE") == msg)
print("journal: %d entries, %d failed" % (len(ents), fails))
sys.exit(1 if fails else 0)
PY
		then ok "journal ($jmode): $(tail -n 1 "$W/check-journal.out"): MESSAGE, PRIORITY, SS7FW_* and the record"
		else notok "journal ($jmode)"; sed 's/^/    /' "$W/check-journal.out" | head -n 20; fi
		check "journal: ss7fw_journal_sent_total 10, no errors" sh -c \
			"grep -qx 'ss7fw_journal_sent_total 10' '$W/metrics-journal.txt' && grep -qx 'ss7fw_journal_errors_total 0' '$W/metrics-journal.txt'"
	else
		notok "journal: ss7fw runs"
	fi
fi

# ---- 4: rsyslog forwarding over TLS
if ! command -v rsyslogd >/dev/null 2>&1 || ! command -v openssl >/dev/null 2>&1 ||
   ! dpkg-query -W -f='${Status}' rsyslog-gnutls 2>/dev/null | grep -q "install ok installed"; then
	notok "rsyslog: rsyslogd, rsyslog-gnutls and openssl installed (scripts/deps.sh)"
	finish
fi
out=$(rsyslogd -N1 -f contrib/rsyslog/ss7fw.conf 2>&1 | grep -v 'could not be accessed')
check "rsyslog: rsyslogd -N1 accepts contrib/rsyslog/ss7fw.conf" sh -c '! echo "$1" | grep -qi "error"' - "$out"
sed 's/StreamDriverMode=/StreamDriverMod=/' contrib/rsyslog/ss7fw.conf > "$W/typo.conf"
check "rsyslog: rsyslogd -N1 flags a typo in it" sh -c "rsyslogd -N1 -f '$W/typo.conf' 2>&1 | grep -q \"StreamDriverMod' not known\""
C=$W/certs; mkdir -p "$C" "$W/spool"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=ss7fw test CA" \
	-keyout "$C/ca-key.pem" -out "$C/ca.pem" > "$W/openssl.log" 2>&1
for n in siem.example.net ss7fw-host; do
	openssl req -newkey rsa:2048 -nodes -subj "/CN=$n" -keyout "$C/$n-key.pem" -out "$C/$n.csr" >> "$W/openssl.log" 2>&1
	printf 'subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth,clientAuth\n' "$n" > "$C/ext"
	openssl x509 -req -in "$C/$n.csr" -CA "$C/ca.pem" -CAkey "$C/ca-key.pem" -CAcreateserial \
		-days 2 -extfile "$C/ext" -out "$C/$n.pem" >> "$W/openssl.log" 2>&1
done
cat > "$W/tls_collector.py" <<'PY'
import json, os, signal, socket, ssl, sys, time
certs, portfile, out = sys.argv[1], sys.argv[2], sys.argv[3]
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(certs + "/siem.example.net.pem", certs + "/siem.example.net-key.pem")
ctx.load_verify_locations(certs + "/ca.pem")
ctx.verify_mode = ssl.CERT_REQUIRED              # the forwarder shows its certificate
l = socket.socket()
l.bind(("127.0.0.1", 0))
l.listen(4)
open(portfile + ".tmp", "w").write(str(l.getsockname()[1]))
os.rename(portfile + ".tmp", portfile)
l.settimeout(20)
c, _ = l.accept()
c.settimeout(10)
s = ctx.wrap_socket(c, server_side=True)
peer = dict(x[0] for x in s.getpeercert()["subject"])["commonName"]
f = open(out, "w", buffering=1)
buf, deadline = b"", time.time() + 30
s.settimeout(0.2)
while time.time() < deadline:
    try:
        d = s.recv(65536)
    except (socket.timeout, ssl.SSLWantReadError):
        continue
    if not d:
        break
    buf += d
    while True:                                  # RFC 6587 octet counting
        sp = buf.find(b" ")
        if sp < 0:
            break
        n = int(buf[:sp])
        if len(buf) < sp + 1 + n:
            break
        f.write(json.dumps({"peer": peer, "msg": buf[sp + 1:sp + 1 + n].decode("utf-8", "surrogateescape")}) + "\n")
        buf = buf[sp + 1 + n:]
PY
python3 "$W/tls_collector.py" "$C" "$W/tls-port" "$W/got-tls.json" 2> "$W/tls-collector.log" &
tcol=$!; pids="$pids $tcol"
wait_for 10 test -s "$W/tls-port" || { notok "rsyslog: TLS collector starts"; finish; }
tport=$(cat "$W/tls-port")
rport=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
{ echo "global(workDirectory=\"$W/spool\")"
  sed -e "s|/etc/ssl/ss7fw-siem/ca.pem|$C/ca.pem|" \
      -e "s|/etc/ssl/ss7fw-siem/client-cert.pem|$C/ss7fw-host.pem|" \
      -e "s|/etc/ssl/ss7fw-siem/client-key.pem|$C/ss7fw-host-key.pem|" \
      -e "s|address=\"127.0.0.1\" port=\"6514\"|address=\"127.0.0.1\" port=\"$rport\"|" \
      -e "s|target=\"siem.example.net\" port=\"6514\"|target=\"127.0.0.1\" port=\"$tport\"|" \
      contrib/rsyslog/ss7fw.conf; } > "$W/rsyslog.conf"
check "rsyslog: the test copy changes only ports, paths and the target" test \
	"$(diff contrib/rsyslog/ss7fw.conf "$W/rsyslog.conf" | grep -c '^>')" = 6
timeout -s KILL 40 rsyslogd -n -f "$W/rsyslog.conf" -i "$W/rsyslog.pid" > "$W/rsyslog.log" 2>&1 &
rsd=$!; pids="$pids $rsd"
rs_listening() { python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 0.5).close()' "$rport" 2>/dev/null; }
wait_for 10 rs_listening || { notok "rsyslog: listening on 127.0.0.1:$rport"; finish; }
# another program's message on the same listener: not forwarded
python3 -c 'import socket, sys
m = b"<13>1 2026-11-25T08:00:01.000000Z h other 1 - - not for the SIEM"
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), 2)
s.sendall(str(len(m)).encode() + b" " + m); s.close()' "$rport"
rm -f "$W/events.json"
if run_traffic rsyslog "syslog_server = \"127.0.0.1:$rport\"; syslog_transport = \"tcp\";"; then
	wait_for 10 sh -c "test \"\$(wc -l < '$W/got-tls.json' 2>/dev/null)\" -ge 10" 2>/dev/null
	kill -TERM "$rsd" 2>/dev/null; wait_rc "$rsd" 15 > /dev/null
	kill -TERM "$tcol" 2>/dev/null; wait_rc "$tcol" 5 > /dev/null
	# rsyslog's RSYSLOG_SyslogProtocol23Format ends each message with one LF
	python3 -c 'import json, sys
for l in open(sys.argv[1]):
    m = json.loads(l)["msg"]
    print(json.dumps(m[:-1] if m.endswith("\n") else m + "(no LF from rsyslog)"))' "$W/got-tls.json" > "$W/got-tls-msgs.json" 2>/dev/null
	check "rsyslog: over TLS the collector authenticated this host (CN ss7fw-host)" \
		sh -c "grep -q '\"peer\": \"ss7fw-host\"' '$W/got-tls.json'"
	if python3 "$W/check5424.py" "$W/got-tls-msgs.json" "$W/events.json" "$fwpid_last" > "$W/check-tls.out" 2>&1; then
		ok "rsyslog: $(tail -n 1 "$W/check-tls.out") forwarded over TLS, unchanged; the other app's message not"
	else
		notok "rsyslog: forwarded messages"; sed 's/^/    /' "$W/check-tls.out" | head -n 20
	fi
else
	notok "rsyslog: ss7fw runs"
fi
finish
