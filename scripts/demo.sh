#!/bin/sh
# make demo: ss7fw's main job on loopback. ss7fw runs inline (TCP) between a
# carrier STP simulator and a core simulator (tools/ss7sim), screening with
# policies/ir71.conf; the carrier sends a mix of legitimate traffic and
# attacks; then the per-rule counters, what the core received, and the
# event log's drop records. Last, the same engine offline on a capture
# (scripts/demo-replay.sh).
#   BUILD (default build), SEND (number of MSUs, default 400)
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
SEND=${SEND:-400}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
out=$(cd "$BUILD" && pwd)/demo
mkdir -p "$out"
rm -f "$out"/events.json "$out"/core.rec "$out"/sent.txt "$out"/drops.pcap

# The shipped IR.71 policy (and the list files it includes), with the
# demo's event log and drop pcap.
rm -rf "$out/lists"
cp -r policies/lists "$out/lists"
sed -e "s|event_log = \"\";|event_log = \"$out/events.json\"; drop_pcap = \"$out/drops.pcap\";|" \
    policies/ir71.conf >"$out/ir71-demo.conf"
"$BUILD/ss7fw" check -c "$out/ir71-demo.conf"

pids=""
cleanup() { for p in $pids; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM

echo "demo: core simulator listening on 127.0.0.1:2906 (plays STP/HLR/MSC)"
"$BUILD/tools/ss7sim" core --tcp --listen 127.0.0.1:2906 --record "$out/core.rec" \
	--timeout 30 --linger 3000 >"$out/core.log" 2>&1 &
core=$!; pids="$pids $core"
sleep 0.3
echo "demo: ss7fw run -c ir71.conf: carrier side listens on 127.0.0.1:2905, core side connects to 2906"
"$BUILD/ss7fw" run -c "$out/ir71-demo.conf" >"$out/ss7fw.log" 2>&1 &
fw=$!; pids="$pids $fw"
i=0
until "$PY" -c 'import urllib.request; urllib.request.urlopen("http://127.0.0.1:9105/metrics", timeout=1)' 2>/dev/null; do
	i=$((i + 1)); [ $i -lt 50 ] || { echo "demo: ss7fw did not come up"; cat "$out/ss7fw.log"; exit 1; }
	sleep 0.1
done
sleep 0.5
echo "demo: carrier simulator connects, brings its ASP up through ss7fw, sends $SEND MSUs (every 4th an attack)"
"$BUILD/tools/ss7sim" carrier --tcp --connect 127.0.0.1:2905 --asp --send "$SEND" --mix mixed \
	--sent "$out/sent.txt" --timeout 30 >"$out/carrier.log" 2>&1
sleep 1
"$PY" -c 'import urllib.request; print(urllib.request.urlopen("http://127.0.0.1:9105/metrics").read().decode())' >"$out/metrics.txt"
kill -TERM "$fw"; wait "$fw" || true
kill "$core" 2>/dev/null || true; wait "$core" 2>/dev/null || true
pids=""
echo

"$PY" - "$out" <<'PYEOF'
import json, re, sys
out = sys.argv[1]
metrics = {}
for line in open(out + "/metrics.txt"):
    m = re.match(r'^(ss7fw_[a-z_]+)(\{[^}]*\})? ([0-9.e+-]+)$', line.strip())
    if m:
        metrics.setdefault(m.group(1), []).append((m.group(2) or "", float(m.group(3))))

def label(lbls, key):
    m = re.search(key + r'="([^"]*)"', lbls)
    return m.group(1) if m else ""

sent = [l.split() for l in open(out + "/sent.txt")]
got = set()
for l in open(out + "/core.rec"):
    p = l.split()
    if len(p) == 2:
        got.add(p[1])
legit = [s for s in sent if s[0] == "legit"]
attack = [s for s in sent if s[0] != "legit"]
print("what the core received:")
print("  legitimate MSUs sent %5d, received byte-identical %5d" % (len(legit), sum(s[2] in got for s in legit)))
print("  attack MSUs     sent %5d, received                %5d" % (len(attack), sum(s[2] in got for s in attack)))
print()
print("per-rule counters (ss7fw_rule_hits_total / ss7fw_rule_shadow_hits_total):")
shadow = {label(l, "rule"): v for l, v in metrics.get("ss7fw_rule_shadow_hits_total", [])}
for l, v in metrics.get("ss7fw_rule_hits_total", []):
    r = label(l, "rule")
    print("  %-32s %6d   shadow %d" % (r, v, shadow.get(r, 0)))
print()
for name in ("ss7fw_verdicts_total", "ss7fw_drops_total", "ss7fw_relay_forwarded_total"):
    for l, v in metrics.get(name, []):
        print("  %s%s %d" % (name, l, v))
print()
print("event log (%s/events.json), first drop records:" % out)
n = 0
for line in open(out + "/events.json"):
    r = json.loads(line)
    if "verdict" not in r:
        continue
    sc, mp = r.get("sccp", {}), r.get("map", {})
    print("  %-5s %-28s %-24s cgpa=%-14s %s" % (r["verdict"] + ("*" if r.get("shadow") else ""),
          r.get("rule", "(default)"), mp.get("op", "-"), sc.get("cgpa", {}).get("digits", "-"),
          " ".join("%s=%s" % (k, mp[k]) for k in ("msisdn", "imsi", "sc_addr") if k in mp)))
    n += 1
    if n == 8:
        break
PYEOF
echo
echo "demo: drops also in $out/drops.pcap (tshark -r $out/drops.pcap)"
echo
echo "== the same engine offline: ss7fw replay on a generated capture"
COUNT=${COUNT:-16} BUILD=$BUILD sh scripts/demo-replay.sh
