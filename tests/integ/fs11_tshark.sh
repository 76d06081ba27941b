#!/bin/sh
# fsm_solicited against an independent decoder: on ss7gen captures (MT
# forward-SMs after SRI-SM answers with --solicited, unrelated ones without),
# tshark decodes every SRI-SM answer (IMSI, LMSI, the SMSC GT it goes to) and
# every MT forward-SM (its SM-RP-DA: an IMSI, an LMSI, or noSM-RP-DA with the
# IMSI in the MAP-OPEN's destinationReference; the calling SMSC GT); from
# that alone this script computes which forward-SMs were solicited (an
# earlier answer gave that SMSC that IMSI or LMSI) and which were screened
# armed (after the first answer, or all with fsm_unarmed = "fire", as
# fs11.conf has it). ss7fw replay with policies/fs11.conf (in
# shadow, links set to the capture's: scripts/policy-trial.sh) must decode
# the same IMSIs, LMSIs, destination references and GTs and flag exactly the
# unsolicited armed ones as fsm_solicited would-drops.
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
		-e gsm_map.sm.sm_RP_DA -e gsm_map.sm.lmsi -e gsm_map.dialogue.destinationReference \
		>"$tmp/$c.tsv" 2>/dev/null || fail "tshark $c"
done
exec python3 - "$tmp" "$conf" <<'PY'
import json, re, sys
tmp, conf = sys.argv[1], sys.argv[2]
# armed from the start (fsm_unarmed "fire", fs11.conf's) or by the first answer
fire = re.search(r'fsm_unarmed\s*=\s*"fire"', open(conf).read()) is not None
passed = failed = 0
def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("NOT OK - " + what)

def nibbles(hexstr):
    """An octet string as ss7fw writes BCD digits: low nibble, then high."""
    return "".join(hexstr[k + 1] + hexstr[k] for k in range(0, len(hexstr) - 1, 2))

def tbcd(hexstr):
    return nibbles(hexstr).rstrip("f")

for cap in ("sol", "plain"):
    recs = {}               # frame -> its records in order (ss7gen bundles messages)
    for line in open(f"{tmp}/{cap}.json"):
        r = json.loads(line)
        recs.setdefault(r["frame"], []).append(r)
    answered = set()        # (imsi or lmsi, smsc) of SRI-SM answers, per tshark
    oracle = {}             # MT forward-SM (frame, i) -> flagged by an armed fsm_solicited?
    n_ans = n_fsm = 0
    forms = {"0": 0, "1": 0, "5": 0}
    for line in open(f"{tmp}/{cap}.tsv"):
        f = line.rstrip("\n").split("|")
        if len(f) < 10:
            continue
        frame, begin, end = int(f[0]), f[1], f[2]
        ops, cgs, cds = (x.split(",") for x in (f[3], f[5], f[6]))
        imsis, kinds, lmsis, drefs = (iter([v for v in x.split(",") if v]) for x in (f[4], f[7], f[8], f[9]))
        rs = [r for r in recs.get(frame, []) if "map" in r]
        check(len(rs) == len(cgs) == len(cds), f"{cap} frame {frame}: {len(rs)} records, tshark {len(cgs)} messages")
        for i, r in enumerate(rs[:len(cgs)]):
            op, cg, cd = ops[min(i, len(ops) - 1)], cgs[i], cds[i]
            m = r.get("map", {})
            if op == "45" and end:
                imsi = next(imsis, None)
                lmsi = next(lmsis, None) if cap == "sol" else None
                n_ans += 1
                answered.add((imsi, cd))
                check(m.get("imsi") == imsi, f"{cap} frame {frame}: SRI-SM answer IMSI {m.get('imsi')} vs tshark {imsi}")
                if lmsi is not None:
                    answered.add((nibbles(lmsi), cd))
                    check(m.get("lmsi") == nibbles(lmsi), f"{cap} frame {frame}: answer LMSI {m.get('lmsi')} vs tshark {lmsi}")
                check(r["sccp"]["cdpa"]["digits"] == cd, f"{cap} frame {frame}: answer's called GT")
            elif op == "44" and begin:
                n_fsm += 1
                kind = next(kinds, "?")
                forms[kind] = forms.get(kind, 0) + 1
                da = m.get("sm_rp_da", {})
                if kind == "1":
                    who = nibbles(next(lmsis, ""))
                    check(da.get("kind") == "lmsi" and da.get("digits") == who,
                          f"{cap} frame {frame}: SM-RP-DA {da} vs tshark lmsi {who}")
                elif kind == "5":
                    who = next(imsis, None)
                    dref = tbcd(next(drefs, "")[2:])
                    check(da.get("kind") == "none" and r["tcap"].get("dest_ref") == dref == who,
                          f"{cap} frame {frame}: noSM-RP-DA, dest_ref {r['tcap'].get('dest_ref')} vs tshark {dref} / {who}")
                else:
                    who = next(imsis, None)
                    check(da.get("kind") == "imsi" and da.get("digits") == who,
                          f"{cap} frame {frame}: SM-RP-DA {da} (tshark kind {kind}) vs tshark {who}")
                oracle[(frame, i)] = (fire or n_ans > 0) and (who, cg) not in answered
                check(r["sccp"]["cgpa"]["digits"] == cg, f"{cap} frame {frame}: calling GT")
    flagged = {(fr, i) for fr, rs in recs.items() for i, r in enumerate([x for x in rs if "map" in x])
               if r.get("rule") == "ir71-fsm-solicited"}
    unsolicited = {k for k, bad in oracle.items() if bad}
    check(n_ans > 20 and n_fsm > 20, f"{cap}: {n_ans} answers, {n_fsm} forward-SMs")
    check(flagged == unsolicited,
          f"{cap}: ss7fw flagged {sorted(flagged)[:10]}..., tshark says unsolicited {sorted(unsolicited)[:10]}...")
    print(f"ok     - {cap}: {n_ans} SRI-SM answers, {n_fsm} MT forward-SMs (by IMSI {forms['0']}, LMSI {forms['1']}, "
          f"destinationReference {forms['5']}), {len(unsolicited)} unsolicited per tshark, {len(flagged)} flagged by ss7fw")
    if cap == "sol":
        check(len(unsolicited) == 0, "sol: every forward-SM solicited")
        check(forms["1"] > 10 and forms["5"] > 10, "sol: forward-SMs by LMSI and by destinationReference")
    else:
        check(len(unsolicited) > 20, "plain: unrelated forward-SMs are unsolicited")
print(f"fs11_tshark: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
