#!/bin/sh
# ss7fw replay of segmented XUDT/LUDT traffic (tests/tools/segcap.c): one
# record per segment, "verdict":"held" on the segments kept until their
# message is whole, the whole's decode and verdict on the segment that
# completes it ("segments": N), and the reassembly counters of --stats; with
# policies/ir71.conf and without a policy. Cross-checked with tshark where
# tshark reassembles the same way: the messages whose reference is unique
# and sent without duplicates (tshark keys a reassembly by the reference
# alone, keeps no T(reass) and appends duplicates, so for the interleaved A,
# the duplicated D and the late L it answers differently, and we check that
# it does: that is the ambiguity an attacker would use against a firewall
# that reassembled like it).
# Last line: "replay_segments: N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "replay_segments: $*" >&2; echo "replay_segments: 0 passed, 1 failed"; exit 1; }
[ -x "$BUILD/ss7fw" ] && [ -x "$BUILD/tools/segcap" ] || fail "build ss7fw and tools first"
"$BUILD/tools/segcap" -p "$tmp/s.pcap" >/dev/null || fail "segcap failed"
"$BUILD/ss7fw" replay -c policies/ir71.conf --stats "$tmp/s.pcap" >"$tmp/ir71.json" 2>"$tmp/ir71.err" ||
	fail "replay: $(cat "$tmp/ir71.err")"
"$BUILD/ss7fw" replay "$tmp/s.pcap" >"$tmp/none.json" 2>"$tmp/none.err" || fail "replay without -c"
if command -v tshark >/dev/null 2>&1; then
	tshark -r "$tmp/s.pcap" -T fields -e frame.number -e sccp.msg.fragment.count -e tcap.otid \
		-e gsm_old.localValue -e e164.msisdn -E separator='|' >"$tmp/tshark.txt" 2>/dev/null ||
		fail "tshark failed"
else
	: >"$tmp/tshark.txt"
fi

exec python3 - "$tmp" <<'EOF'
import json, sys
tmp = sys.argv[1]
passed = failed = 0
def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("NOT OK - %s" % what)

def load(name):
    return [json.loads(l) for l in open("%s/%s" % (tmp, name))]

ir71 = load("ir71.json")
none = load("none.json")
check(len(ir71) == 27 and len(none) == 27, "one record per segment (27)")
# frame -> (verdict, rule, segments) with policies/ir71.conf
want = {
    1: ("held",), 2: ("held",), 3: ("held",), 4: ("held",),
    5: ("allow", None, 3), 6: ("allow", None, 3),             # B whole, then A whole
    7: ("held",), 8: ("allow", None, 2),                      # MT forward-SM, AA.19 SMSC
    9: ("held",), 10: ("drop", "ir71-forward-sm-allowlist", 2),
    11: ("held",), 12: ("drop", "reassembly", None), 13: ("allow", None, 2),   # duplicate D1
    14: ("held",), 15: ("drop", "malformed", 2),              # LUDT, 9 components
    16: ("allow", None, None),                                # first and only
    17: ("held",), 18: ("held",), 19: ("drop", "reassembly", None),            # after T(reass)
    20: ("held",), 21: ("held",), 22: ("held",), 23: ("held",), 24: ("held",), 25: ("held",),
    26: ("held",), 27: ("allow", None, None),
}
for r in ir71:
    f = r["frame"]
    w = want.get(f)
    got = (r["verdict"],) if r["verdict"] == "held" else (r["verdict"], r.get("rule"), r.get("segments"))
    check(got == w, "frame %d: %s, expected %s" % (f, got, w))
    if r["verdict"] == "held":
        check("tcap" not in r and r["sccp"]["segment"]["first"] in (True, False),
              "frame %d: a held record is decoded to SCCP only" % f)
# the whole's record: the first segment's SCCP, the TCAP of all
byf = {r["frame"]: r for r in ir71}
check(byf[5]["mtp3"]["opc"] == 1235 and byf[5]["tcap"]["otid"] == "0b0b0b0b", "frame 5 is B (OPC 1235)")
check(byf[6]["mtp3"]["opc"] == 1234 and byf[6]["tcap"]["otid"] == "0a0b0c0d", "frame 6 is A (OPC 1234)")
check(byf[5]["sccp"]["segment"] == {"first": True, "remaining": 2, "ref": 1}, "frame 5 shows B's first segment")
check("too_many_components" in byf[15].get("anomalies", []), "frame 15: too_many_components")
check(byf[8]["map"]["op"] == "mt-forwardSM" and byf[8]["map"]["tp"]["mti"] == "deliver", "frame 8: the SMS-DELIVER decoded")
# without a policy: the same decode, everything allowed or held
for a, b in zip(ir71, none):
    if a["verdict"] == "held":
        check(b["verdict"] == "held", "no policy: frame %d held" % a["frame"])
    elif a.get("rule") != "reassembly":
        check(b["verdict"] == "allow" and b.get("tcap") == a.get("tcap"),
              "no policy: frame %d allowed with the same TCAP" % a["frame"])
# --stats
stats = open("%s/ir71.err" % tmp).read()
for line in ["reassembly started                                 14",
             "reassembly completed                                6",
             "reassembly expired (T(reass))                       1",
             "reassembly duplicate segments                       1",
             "reassembly segments without a first                 1",
             "drops reassembly_timeout                            2",
             "drops reassembly_error                              2",
             "reassemblies in progress                            7 of 1024"]:
    check(line in stats, "--stats has %r" % line)
# tshark
ts = {}
for l in open("%s/tshark.txt" % tmp):
    p = l.rstrip("\n").split("|")
    if len(p) == 5:
        ts[int(p[0])] = p
if ts:
    for f in (5, 8, 10, 16, 27):
        p, r = ts[f], byf[f]
        check(p[2] == r["tcap"]["otid"], "tshark frame %d otid %s, ours %s" % (f, p[2], r["tcap"]["otid"]))
        ops = [c.get("opcode") for c in r["tcap"]["components"]]
        check(p[3].split(",") == [str(o) for o in ops], "tshark frame %d opcodes %s, ours %s" % (f, p[3], ops))
        nums = set(p[4].split(",")) if p[4] else set()
        m = r.get("map", {})
        ours = {m[k] for k in ("msisdn", "sc_addr") if k in m}
        if "sm_rp_oa" in m:
            ours.add(m["sm_rp_oa"]["digits"])
        check(ours and ours <= nums, "tshark frame %d numbers %s include ours %s" % (f, nums, ours))
    for f in (5, 8, 10):
        check(ts[f][1] == str(byf[f]["segments"]), "tshark frame %d: %s fragments, ours %s" % (f, ts[f][1], byf[f]["segments"]))
    # where tshark reassembles otherwise (see the header)
    check(ts[6][2] == "" and ts[13][1] == "3" and ts[19][1] == "3",
          "tshark: A not reassembled at frame 6, the duplicate appended at 13, L joined across T(reass) at 19")
else:
    print("skip   - tshark not installed")
print("replay_segments: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
EOF
