#!/bin/sh
# fsm_solicited against an independent decoder: on ss7gen captures (MT
# forward-SMs after SRI-SM answers with --solicited, unrelated ones without),
# tshark decodes every SRI-SM answer (IMSI, the SMSC GT it goes to) and every
# MT forward-SM (SM-RP-DA IMSI, calling SMSC GT); from that alone this script
# computes which forward-SMs were solicited (an earlier answer gave that SMSC
# that IMSI). ss7fw replay with policies/fs11.conf (in shadow, links set to
# the capture's: scripts/policy-trial.sh) must decode the same IMSIs and GTs
# and flag exactly the unsolicited ones as fsm_solicited would-drops.
#   sh tests/integ/fs11_tshark.sh        (BUILD=build)
# Last line: "fs11_tshark: N passed, N failed". About 10 s.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
export BUILD
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "fs11_tshark: $*" >&2; echo "fs11_tshark: 0 passed, 1 failed"; exit 1; }
command -v tshark >/dev/null 2>&1 || fail "tshark not installed (scripts/deps.sh)"
sh scripts/policy-trial.sh policies/fs11.conf 10 1 >/dev/null 2>&1 || fail "policy-trial.sh failed"
conf="$BUILD/trial-fs11/fs11.conf"
"$BUILD/tools/ss7gen" -n 1500 -s 21 --solicited -o "$tmp/sol.pcap" || fail "ss7gen --solicited"
"$BUILD/tools/ss7gen" -n 1500 -s 21 -o "$tmp/plain.pcap" || fail "ss7gen"
for c in sol plain; do
	"$BUILD/ss7fw" replay -c "$conf" "$tmp/$c.pcap" >"$tmp/$c.json" 2>"$tmp/$c.err" || fail "replay $c"
	tshark -r "$tmp/$c.pcap" -Y 'gsm_old.localValue == 44 || gsm_old.localValue == 45' -T fields \
		-E separator='|' -E occurrence=a -E aggregator=, -e frame.number -e tcap.begin_element -e tcap.end_element \
		-e gsm_old.localValue -e e212.imsi -e sccp.calling.digits -e sccp.called.digits \
		>"$tmp/$c.tsv" 2>/dev/null || fail "tshark $c"
done
exec python3 - "$tmp" <<'PY'
import json, sys
tmp = sys.argv[1]
passed = failed = 0
def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("NOT OK - " + what)

for cap in ("sol", "plain"):
    recs = {}               # frame -> its records in order (ss7gen bundles messages)
    for line in open(f"{tmp}/{cap}.json"):
        r = json.loads(line)
        recs.setdefault(r["frame"], []).append(r)
    answered = set()        # (imsi, smsc) of SRI-SM answers, per tshark
    oracle = {}             # MT forward-SM frame -> solicited?
    n_ans = n_fsm = 0
    for line in open(f"{tmp}/{cap}.tsv"):
        f = line.rstrip("\n").split("|")
        if len(f) < 7 or not f[4]:
            continue
        frame, begin, end = int(f[0]), f[1], f[2]
        ops, imsis, cgs, cds = (x.split(",") for x in f[3:7])
        rs = [r for r in recs.get(frame, []) if "map" in r]
        check(len(rs) == len(imsis) == len(cgs) == len(cds),
              f"{cap} frame {frame}: {len(rs)} records, tshark {len(imsis)} messages")
        for i, r in enumerate(rs[:len(imsis)]):
          op, imsi, cg, cd = ops[min(i, len(ops) - 1)], imsis[i], cgs[i], cds[i]
          m = r.get("map", {})
          key = (frame, i)
          if op == "45" and end:
            answered.add((imsi, cd))
            n_ans += 1
            check(m.get("imsi") == imsi, f"{cap} frame {frame}: SRI-SM answer IMSI {m.get('imsi')} vs tshark {imsi}")
            check(r["sccp"]["cdpa"]["digits"] == cd, f"{cap} frame {frame}: answer's called GT")
          elif op == "44" and begin:
            n_fsm += 1
            oracle[key] = (imsi, cg) in answered
            da = m.get("sm_rp_da", {})
            check(da.get("kind") == "imsi" and da.get("digits") == imsi,
                  f"{cap} frame {frame}: SM-RP-DA {da} vs tshark {imsi}")
            check(r["sccp"]["cgpa"]["digits"] == cg, f"{cap} frame {frame}: calling GT")
    flagged = {(fr, i) for fr, rs in recs.items() for i, r in enumerate([x for x in rs if "map" in x])
               if r.get("rule") == "ir71-fsm-solicited"}
    unsolicited = {fr for fr, ok in oracle.items() if not ok}
    check(n_ans > 20 and n_fsm > 20, f"{cap}: {n_ans} answers, {n_fsm} forward-SMs")
    check(flagged == unsolicited,
          f"{cap}: ss7fw flagged {sorted(flagged)[:10]}..., tshark says unsolicited {sorted(unsolicited)[:10]}...")
    print(f"ok     - {cap}: {n_ans} SRI-SM answers, {n_fsm} MT forward-SMs, {len(unsolicited)} unsolicited per tshark, "
          f"{len(flagged)} flagged by ss7fw")
    if cap == "sol":
        check(len(unsolicited) == 0, "sol: every forward-SM solicited")
    else:
        check(len(unsolicited) > 20, "plain: unrelated forward-SMs are unsolicited")
print(f"fs11_tshark: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
