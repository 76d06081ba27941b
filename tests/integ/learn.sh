#!/bin/sh
# ss7fw learn on a capture written by ss7gen (the test world of
# scripts/demo.conf: partner-a's SMSCs 99934000x and VLRs 99934100xxx on
# link carrier-a, attackers under 4477009 and 23480312):
#   - the report lists exactly the partners, GT ranges, SMSCs with their
#     SRI-SM / forward-SM counts, operations and hostile ranges that an
#     independent computation over `ss7fw replay`'s records of the same
#     capture gives (and the values known for this seed);
#   - the draft passes `ss7fw check`; its AA.19 list holds exactly the SMSCs;
#   - `ss7fw replay -c DRAFT` of the same capture (the draft is in shadow
#     mode): no would-drop for any learned MSU, a would-drop for every MSU
#     from a hostile range;
#   - learning from the JSON records gives the same report and draft;
#   - without -c, --home orients the flows; bad input and usage fail.
# Last line: "learn: N passed, N failed". BUILD (default build).
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
pass=0; fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
ko() { fail=$((fail + 1)); echo "FAIL $1"; }
finish() { echo "learn: $pass passed, $fail failed"; [ "$fail" = 0 ]; exit $?; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fw=$BUILD/ss7fw
[ -x "$fw" ] && [ -x "$BUILD/tools/ss7gen" ] || { ko "no $fw or $BUILD/tools/ss7gen"; finish; }

"$BUILD/tools/ss7gen" -n 400 -s 42 -o "$tmp/cap.pcap" || { ko "ss7gen"; finish; }

exact=1; flag=""      # AA.19 entries are exact GTs ("=GT"); --plain-smsc is checked below

# ---- learn from the capture
"$fw" learn -c scripts/demo.conf -o "$tmp/draft.conf" $flag "$tmp/cap.pcap" >"$tmp/report" 2>"$tmp/err"
rc=$?
[ "$rc" = 0 ] && ok "learn exit 0" || { ko "learn exit $rc: $(cat "$tmp/err")"; cat "$tmp/report"; finish; }
grep -qx "draft $tmp/draft.conf: ok" "$tmp/report" && ok "learn loads its draft" || ko "draft not loaded"
out=$("$fw" check -c "$tmp/draft.conf" 2>&1)
[ "$out" = "$tmp/draft.conf: ok" ] && ok "ss7fw check accepts the draft" || ko "check: $out"

# ---- the oracle: replay's records of the same capture, and the draft's verdicts
"$fw" replay -c scripts/demo.conf "$tmp/cap.pcap" >"$tmp/cap.json" 2>/dev/null || ko "replay -c demo.conf"
"$fw" replay -c "$tmp/draft.conf" "$tmp/cap.pcap" >"$tmp/draft.json" 2>"$tmp/err" || ko "replay -c draft: $(cat "$tmp/err")"

"$PY" - "$tmp" "$exact" <<'EOF'
import json, re, sys
tmp, exact = sys.argv[1], sys.argv[2] == "1"
passed = failed = 0
def check(cond, what):
    global passed, failed
    if cond:
        passed += 1; print("ok   " + what)
    else:
        failed += 1; print("FAIL " + what)

HOME = ("9991255",)
CAT1 = {5, 9, 22, 24, 58, 62, 65, 71, 83, 85}
BAD = {"truncated", "segmented", "too_many_components", "map_undecoded", "sms_undecoded",
       "sccp_connection_oriented"}

def aggregate(gts, min_len=5):
    """Longest common prefix of each group of GTs sharing their first min_len digits."""
    groups = {}
    for g in sorted(set(gts)):
        groups.setdefault(g[:min_len] if len(g) >= min_len else "\0" + g, []).append(g)
    out = []
    for key in sorted(groups, key=lambda k: groups[k][0]):
        grp = groups[key]
        p = grp[0]
        for g in grp[1:]:
            while not g.startswith(p):
                p = p[:-1]
        p = p[:16]
        if p and not any(p.startswith(q) for q in out):
            out.append(p)
    return out

recs = [json.loads(l) for l in open(tmp + "/cap.json")]
msus = {}      # gt -> list of records (in, learnable)
for r in recs:
    if r["link"] != "carrier-a" or r["dir"] != "in" or "mtp3" not in r or "sccp" not in r:
        continue
    if r.get("rule") == "malformed" or BAD & set(r.get("anomalies", [])):
        continue
    cg = r["sccp"].get("cgpa", {})
    gt = cg.get("e164", cg.get("digits", ""))
    if not gt or gt.startswith(HOME):
        continue
    msus.setdefault(gt, []).append(r)

def invokes(r):
    return [c for c in r.get("tcap", {}).get("components", []) if c["type"] == "invoke"]

hostile_gts = [g for g, rs in msus.items() if any(c.get("opcode") in CAT1 for r in rs for c in invokes(r))]
hostile = aggregate(hostile_gts)
learned = {g: rs for g, rs in msus.items() if not any(g.startswith(h) for h in hostile)}
ranges = aggregate(learned)
ops, smsc = {}, {}
for g, rs in learned.items():
    for r in rs:
        for c in invokes(r):
            op = c.get("opcode", -1)
            ops[op] = ops.get(op, 0) + 1
            if op in (44, 45):
                s = smsc.setdefault(g, [0, 0])
                s[0 if op == 45 else 1] += 1

rep = open(tmp + "/report").read().splitlines()
link = [l for l in rep if l.startswith("link ")]
check(link == ["link carrier-a partner=partner-a in=200 out=200 non_data=18"], "link line: %s" % link)
got_ranges = [l.split()[1] for l in rep if l.startswith("  range ")]
check(got_ranges == ranges == ["99934"], "ranges %s (oracle %s)" % (got_ranges, ranges))
got_hostile = sorted(l.split()[1] for l in rep if l.startswith("  hostile_range "))
check(got_hostile == sorted(hostile) == ["23480312", "4477009"], "hostile ranges %s (oracle %s)" % (got_hostile, hostile))
got_smsc = {l.split()[1]: [int(x.split("=")[1]) for x in l.split()[2:]] for l in rep if l.startswith("  smsc ")}
check(got_smsc == smsc, "SMSCs and their SRI-SM/forward-SM counts: %s" % sorted(got_smsc.items()))
check(sorted(got_smsc) == ["99934000%d" % i for i in range(10)], "SMSCs are 999340000..9")
got_ops = {int(l.split()[1]): int(l.split()[3].split("=")[1]) for l in rep if l.startswith("  op ")}
check(got_ops == ops, "operations with counts: %s (oracle %s)" % (sorted(got_ops.items()), sorted(ops.items())))
check(got_ops == {2: 22, 44: 36, 45: 31, 47: 20, 56: 18, 67: 2}, "operations of seed 42")
nl = sum(len(rs) for rs in learned.values())
check("  learned msus=%d gts=%d ranges=1 smscs=10" % (nl, len(learned)) in rep, "learned msus=%d gts=%d" % (nl, len(learned)))

# the draft: exact AA.19 entries, the partner's ranges, its link
draft = open(tmp + "/draft.conf").read()
m = re.search(r"learned_partner_a_smsc = \[([^\]]*)\]", draft)
entries = re.findall(r'"([^"]*)"', m.group(1)) if m else []
want = [("=" if exact else "") + g for g in sorted(smsc)]
check(entries == want, "draft AA.19 list %s" % entries)
check(re.search(r'name = "partner-a";\s*gt = \[ "99934" \];\s*smsc = \[ "@learned_partner_a_smsc" \];\s*links = \[ "carrier-a" \];', draft) is not None,
      "draft partner-a: gt 99934, AA.19 list, link carrier-a")
check('mode = "shadow"' in draft, "draft in shadow mode")
check('not_opcode = [ 2, 44, 45, 47, 56, 67 ]' in draft, "draft operation allowlist of carrier-a")

# replay through the draft: learned traffic passes, hostile traffic would drop
dv = [json.loads(l) for l in open(tmp + "/draft.json")]
check(len(dv) == len(recs) == 400, "replay -c draft: 400 records")
lw = [r for r in dv if r["link"] == "carrier-a" and r["dir"] == "in" and "sccp" in r
      and r["sccp"].get("cgpa", {}).get("digits") in learned]
bad = [(r["frame"], r["verdict"], r.get("rule")) for r in lw if r["verdict"] != "allow"]
check(len(lw) == nl and not bad, "no would-drop for the %d learned MSUs %s" % (len(lw), bad[:5]))
hw = [r for r in dv if r["link"] == "carrier-a" and r["dir"] == "in" and "sccp" in r
      and any(r["sccp"].get("cgpa", {}).get("digits", "").startswith(h) for h in hostile)]
check(hw and all(r["verdict"] == "drop" and r["shadow"] for r in hw),
      "every one of the %d hostile MSUs would drop (shadow)" % len(hw))
check(all(r["verdict"] == "allow" for r in dv if r["dir"] == "out"), "nothing from the core would drop")
chk = [l for l in rep if l.startswith("draft_check ")]
check(chk == ["draft_check learned=%d learned_dropped=0 not_learned=%d not_learned_dropped=%d" % (nl, len(hw), len(hw))],
      "learn's own draft check: %s" % chk)
print("learn_py: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
EOF
[ $? = 0 ] && ok "report and draft against the replay oracle" || ko "report or draft differ from the oracle"

# ---- the same from the JSON records (an event log with every allow sampled)
"$fw" learn -c scripts/demo.conf -o "$tmp/draft2.conf" $flag "$tmp/cap.json" >"$tmp/report2" 2>"$tmp/err"
rc=$?
grep -v '^learn: \|^draft' "$tmp/report" >"$tmp/r1"
grep -v '^learn: \|^draft' "$tmp/report2" >"$tmp/r2"
if [ "$rc" = 0 ] && [ -s "$tmp/r1" ] && cmp -s "$tmp/r1" "$tmp/r2"; then
	ok "JSON records give the same report"
else
	ko "JSON records: exit $rc, report differs: $(diff "$tmp/report" "$tmp/report2" | head -10)"
fi
grep -q '^learn: files=1 messages=0 records=400 skipped=0 ' "$tmp/report2" && ok "400 records read" ||
	ko "records: $(head -n 1 "$tmp/report2")"
grep -v '^#' "$tmp/draft.conf" >"$tmp/d1"
grep -v '^#' "$tmp/draft2.conf" >"$tmp/d2"
cmp -s "$tmp/d1" "$tmp/d2" && ok "... and the same draft" ||
	ko "drafts differ: $(diff "$tmp/draft.conf" "$tmp/draft2.conf" | head -5)"
# a record that is not an MSU (the event log's suppression line), junk, and
# a line over 64 KiB are skipped and counted
{ echo '{"ts":"2026-11-25T08:00:09Z","event":"suppressed","suppressed":3}'; echo 'not json'
  printf '{"link":"x","verdict":"allow","pad":"'; head -c 70000 /dev/zero | tr '\0' a; echo '"}'
  head -n 5 "$tmp/cap.json"; } >"$tmp/mixed.json"
"$fw" learn "$tmp/mixed.json" >"$tmp/report3" 2>&1 && grep -q '^learn: files=1 messages=0 records=5 skipped=3 ' "$tmp/report3" &&
	ok "non-record, junk and overlong lines skipped and counted" || ko "mixed input: $(head -n 1 "$tmp/report3")"

# --plain-smsc: the same list as prefixes
"$fw" learn -c scripts/demo.conf -o "$tmp/plain.conf" --plain-smsc "$tmp/cap.pcap" >/dev/null 2>&1 &&
	grep -q '^  learned_partner_a_smsc = \[ "999340000", "999340001", ' "$tmp/plain.conf" &&
	! grep '^  learned_partner_a_smsc' "$tmp/plain.conf" | grep -q '"=' && ok "--plain-smsc writes prefixes" || ko "--plain-smsc"

# ---- national GTs (ss7gen --national: NAI 3 in a third of the dialogues)
# are learned in their canonical international form, from the capture and
# from the records (whose "e164" fields carry that form) alike
"$BUILD/tools/ss7gen" -n 400 -s 42 --national -o "$tmp/nat.pcap" || ko "ss7gen --national"
"$fw" replay -c scripts/demo.conf "$tmp/nat.pcap" >"$tmp/nat.json" 2>/dev/null
"$fw" learn -c scripts/demo.conf "$tmp/nat.pcap" >"$tmp/nat1" 2>&1
"$fw" learn -c scripts/demo.conf "$tmp/nat.json" >"$tmp/nat2" 2>&1
grep -v '^learn: ' "$tmp/nat1" >"$tmp/n1"; grep -v '^learn: ' "$tmp/nat2" >"$tmp/n2"
if [ "$(grep '^  range ' "$tmp/nat1")" = "  range 99934 msus=172 gts=75" ] && cmp -s "$tmp/n1" "$tmp/n2" &&
   [ "$(grep -c '^  smsc 99934000[0-9] ' "$tmp/nat1")" = 10 ]; then
	ok "national GTs learned as +999...: range 99934, 10 SMSCs, same from the records"
else
	ko "national: $(grep '^  range \|^  smsc' "$tmp/nat1" | head -5) $(diff "$tmp/n1" "$tmp/n2" | head -4)"
fi

# ---- without -c: each direction its own link; --home marks the core's side
"$fw" learn --home 9991255 -o "$tmp/draft3.conf" $flag "$tmp/cap.pcap" >"$tmp/report4" 2>"$tmp/err"
rc=$?
if [ "$rc" = 0 ] && grep -qx 'link 10.1.0.1:2905>10.2.0.1:2905 partner=learned-1 in=200 out=0 non_data=9' "$tmp/report4" &&
   grep -qx '  not_learned hostile=0 malformed=0 own_address=191 no_gt=0 not_sccp=0' "$tmp/report4" &&
   grep -qx '  range 99934 msus=162 gts=66' "$tmp/report4"; then
	ok "--home: the carrier's flow learned, the core's flow is own addresses"
else
	ko "--home: exit $rc $(cat "$tmp/err") $(head -n 8 "$tmp/report4")"
fi
out=$("$fw" check -c "$tmp/draft3.conf" 2>&1)
[ "$out" = "$tmp/draft3.conf: ok" ] && ok "draft without links passes check" || ko "check draft3: $out"

# ---- a skeleton configuration (home and links only, docs/operations.md)
cat >"$tmp/skeleton.conf" <<'EOF2'
home  = { gt = [ "9991255" ]; msisdn = [ "9991255" ]; smsc = [ "9991255000100" ]; };
links = ( { name = "carrier-a";
            carrier = { transport = "sctp"; mode = "listen"; local = [ "10.2.0.1:2905" ]; remote = [ "10.1.0.1" ]; };
            core    = { transport = "sctp"; mode = "connect"; remote = [ "10.3.0.5:2905" ]; }; } );
EOF2
"$fw" learn -c "$tmp/skeleton.conf" -o "$tmp/draft4.conf" $flag "$tmp/cap.pcap" >"$tmp/report6" 2>"$tmp/err"
rc=$?
if [ "$rc" = 0 ] && grep -qx 'link carrier-a partner=partner-carrier-a in=200 out=200 non_data=18' "$tmp/report6" &&
   grep -qx '  range 99934 msus=162 gts=66' "$tmp/report6" &&
   grep -qx 'draft_check learned=162 learned_dropped=0 not_learned=29 not_learned_dropped=29' "$tmp/report6" &&
   [ "$("$fw" check -c "$tmp/draft4.conf" 2>&1)" = "$tmp/draft4.conf: ok" ]; then
	ok "skeleton config: partner-carrier-a learned, draft ok, no learned MSU dropped"
else
	ko "skeleton: exit $rc $(cat "$tmp/err") $(head -n 4 "$tmp/report6")"
fi

# ---- errors
echo "hello" >"$tmp/text"
"$fw" learn "$tmp/text" >/dev/null 2>"$tmp/err"; rc=$?
[ "$rc" = 1 ] && grep -q 'neither a pcap/pcapng capture nor JSON records' "$tmp/err" && ok "not an input: exit 1" ||
	ko "text input: exit $rc $(cat "$tmp/err")"
"$fw" learn >/dev/null 2>&1; rc=$?
[ "$rc" = 2 ] && ok "no file: exit 2" || ko "no file: exit $rc"
"$fw" learn --min-prefix 0 "$tmp/cap.pcap" >/dev/null 2>&1; rc=$?
[ "$rc" = 2 ] && ok "--min-prefix 0: exit 2" || ko "--min-prefix 0: exit $rc"
"$fw" learn -c "$tmp/nosuch.conf" "$tmp/cap.pcap" >/dev/null 2>&1; rc=$?
[ "$rc" = 1 ] && ok "missing config: exit 1" || ko "missing config: exit $rc"
# a longer cluster length splits the partner into its SMSC and VLR ranges
"$fw" learn -c scripts/demo.conf --min-prefix 6 "$tmp/cap.pcap" >"$tmp/report5" 2>&1
[ "$(grep '^  range ' "$tmp/report5" | awk '{print $2}' | tr '\n' ' ')" = "99934000 99934100 " ] &&
	ok "--min-prefix 6: ranges 99934000 and 99934100" || ko "--min-prefix 6: $(grep '^  range ' "$tmp/report5")"

finish
