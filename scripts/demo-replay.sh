#!/bin/sh
# The offline part of make demo (also alone): generate a small capture of MAP traffic with ss7gen, replay it
# through the screening engine with `ss7fw replay`, and print one table row
# per MSU (the JSON records are kept beside the capture).
#   BUILD   where ss7fw and tools/ss7gen are (default: build)
#   CONFIG  a configuration/policy for replay (default: scripts/demo.conf,
#           the links and partners of ss7gen's test world; CONFIG= for none)
#   COUNT, SEED   size and seed of the capture (default 40, 1)
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
COUNT=${COUNT:-40}
SEED=${SEED:-1}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
out=${DEMO_DIR:-$BUILD/demo}
mkdir -p "$out"

"$BUILD/tools/ss7gen" -n "$COUNT" -s "$SEED" -o "$out/demo.pcap"
echo "demo: $out/demo.pcap: $COUNT M3UA messages (ss7gen -n $COUNT -s $SEED)"

if [ -z "${CONFIG+x}" ]; then
	CONFIG=scripts/demo.conf
fi
set -- replay --stats
if [ -n "${CONFIG:-}" ]; then
	echo "demo: policy $CONFIG"
	set -- "$@" -c "$CONFIG"
else
	echo "demo: no policy (everything allowed); set CONFIG=file to screen"
fi
"$BUILD/ss7fw" "$@" "$out/demo.pcap" >"$out/demo.json" 2>"$out/demo.stats"
echo "demo: $out/demo.json: $(wc -l <"$out/demo.json") records"
echo

"$PY" - "$out/demo.json" <<'EOF'
import json, sys

def cut(s, n):
    s = str(s)
    return s if len(s) <= n else s[:n - 1] + "~"

def addr(a):
    if not a:
        return "-"
    d = a.get("digits", "pc%s" % a.get("pc", "?"))
    return "%s/%s" % (d, a.get("ssn", "-"))

cols = [("frame", 5), ("dir", 3), ("link", 14), ("opc>dpc", 9), ("sccp", 4),
        ("cgpa>cdpa", 31), ("tcap", 8), ("map op", 23), ("key fields", 52),
        ("anomalies", 28), ("verdict", 36)]
print("  ".join(name.ljust(w) for name, w in cols))
print("  ".join("-" * w for _, w in cols))
counts = {}
with open(sys.argv[1]) as f:
    for line in f:
        r = json.loads(line)
        m3 = r.get("m3ua", {})
        mt = r.get("mtp3")
        sc = r.get("sccp")
        tc = r.get("tcap")
        mp = r.get("map", {})
        if mt:
            pcs = "%s>%s" % (mt["opc"], mt["dpc"])
        else:
            pcs = "-"
        if tc:
            comps = tc.get("components", [])
            tcap = tc["type"]
            op = mp.get("op")
            if not op and comps:
                c = comps[0]
                op = "(%s%s)" % (c["type"], " err %s" % c["error"] if "error" in c else "")
        else:
            tcap, op = "-", ("M3UA %s" % m3.get("class")) if "class" in m3 else "-"
        keys = []
        for k, label in (("msisdn", "msisdn"), ("imsi", "imsi"), ("sc_addr", "sc")):
            if k in mp:
                keys.append("%s=%s" % (label, mp[k]))
        for k, label in (("sm_rp_da", "da"), ("sm_rp_oa", "oa")):
            if k in mp and "digits" in mp[k]:
                keys.append("%s=%s:%s" % (label, mp[k]["kind"], mp[k]["digits"]))
        tp = mp.get("tp", {})
        for k in ("oa", "da"):
            if k in tp:
                keys.append("tp-%s=%s" % (k, tp[k]))
        verdict = r["verdict"] + ("(shadow)" if r.get("shadow") else "")
        if r.get("rule"):
            verdict += " " + r["rule"]
        row = [r["frame"], r["dir"], r["link"], pcs, sc["type"] if sc else "-",
               "%s>%s" % (addr(sc.get("cgpa")), addr(sc.get("cdpa"))) if sc else "-",
               tcap, op, " ".join(keys) or "-", ",".join(r.get("anomalies", [])) or "-", verdict]
        print("  ".join(cut(v, w).ljust(w) for v, (_, w) in zip(row, cols)))
        counts[r["verdict"]] = counts.get(r["verdict"], 0) + 1
print()
print("verdicts: " + ", ".join("%s %d" % kv for kv in sorted(counts.items())))
EOF
echo
sed 's/^/stats: /' "$out/demo.stats"
