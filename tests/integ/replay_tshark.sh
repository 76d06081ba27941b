#!/bin/sh
# Replay captures written by ss7gen with `ss7fw replay` and check every MSU
# record against tshark's decoding of the same frames (tshark is the oracle):
# OPC, DPC, SI, SLS, SCCP message type, called/calling GT digits and SSN,
# TCAP otid/dtid, component operation/error codes, MAP IMSI, MSISDN and
# service centre address, the node numbers by role (VLR, MSC, SGSN, HLR,
# GMSC, MLC, gsmSCF, roaming number, network node), TMSI, USSD string,
# TP-OA / TP-DA. A capture written with --all-ops carries every operation
# and result the MAP decoder reads, in each version form. Variants: SCTP/IPv4/Ethernet,
# SCTP/IPv6/Linux SLL, and TCP (M3UA framed by its length), whose records
# must equal the SCTP ones but for time, frame, link and stream (tshark 4.0
# has no decode-as for M3UA over TCP). The SCTP capture converted by editcap
# to pcapng and to nanosecond pcap must replay to the same records. With
# -c scripts/demo.conf, the records carry the link name and direction.
# Last line: "replay_tshark: N passed, N failed" (N counts MSUs); exit 1 on
# any failure. BUILD (default: build) says where ss7fw and ss7gen are.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() { echo "replay_tshark: $*" >&2; echo "replay_tshark: 0 passed, 1 failed"; exit 1; }
[ -x "$BUILD/ss7fw" ] || fail "no $BUILD/ss7fw (make BUILD=$BUILD all tools)"
[ -x "$BUILD/tools/ss7gen" ] || fail "no $BUILD/tools/ss7gen"
command -v tshark >/dev/null 2>&1 || fail "tshark not installed (make deps)"

"$BUILD/tools/ss7gen" -n 400 -s 42 -o "$tmp/sctp.pcap" || fail "ss7gen failed"
"$BUILD/tools/ss7gen" -n 200 -s 7 --ipv6 --sll -o "$tmp/sctp6.pcap" || fail "ss7gen --ipv6 --sll failed"
"$BUILD/tools/ss7gen" -n 400 -s 42 --tcp -o "$tmp/tcp.pcap" || fail "ss7gen --tcp failed"
"$BUILD/tools/ss7gen" -n 600 -s 5 --all-ops -o "$tmp/allops.pcap" || fail "ss7gen --all-ops failed"
"$BUILD/tools/ss7gen" -n 400 -s 11 --national -o "$tmp/national.pcap" || fail "ss7gen --national failed"
if command -v editcap >/dev/null 2>&1; then
	editcap -F pcapng "$tmp/sctp.pcap" "$tmp/ng.pcap" || fail "editcap pcapng failed"
	editcap -F nsecpcap "$tmp/sctp.pcap" "$tmp/ns.pcap" || fail "editcap nsecpcap failed"
else
	cp "$tmp/sctp.pcap" "$tmp/ng.pcap"; cp "$tmp/sctp.pcap" "$tmp/ns.pcap"
fi
for c in sctp sctp6 tcp ng ns allops; do
	"$BUILD/ss7fw" replay "$tmp/$c.pcap" >"$tmp/$c.json" 2>"$tmp/$c.err" || fail "replay $c: $(cat "$tmp/$c.err")"
done

# with the demo configuration: links and directions from its endpoints
"$BUILD/ss7fw" replay -c scripts/demo.conf "$tmp/sctp6.pcap" >"$tmp/cfg.json" 2>"$tmp/cfg.err" ||
	fail "replay -c scripts/demo.conf: $(cat "$tmp/cfg.err")"
# number formats: national GTs and TP-OA, read with the demo's home.cc 999
"$BUILD/ss7fw" replay -c scripts/demo.conf "$tmp/national.pcap" >"$tmp/national.json" 2>"$tmp/national.err" ||
	fail "replay -c scripts/demo.conf national: $(cat "$tmp/national.err")"

exec "$PY" - "$tmp" <<'EOF'
import json, subprocess, sys

tmp = sys.argv[1]
FIELDS = [
    "frame.number",
    "m3ua.protocol_data_opc", "m3ua.protocol_data_dpc",
    "m3ua.protocol_data_si", "m3ua.protocol_data_sls",
    "sccp.message_type",
    "sccp.called.digits", "sccp.called.ssn", "sccp.calling.digits", "sccp.calling.ssn",
    "tcap.otid", "tcap.dtid", "gsm_old.localValue",
    "e212.imsi", "e164.msisdn",
    "gsm_map.sm.serviceCentreAddress", "gsm_map.sm.serviceCentreAddressOA",
    "gsm_map.sm.serviceCentreAddressDA",
    "gsm_sms.tp-oa", "gsm_sms.tp-da",
    "gsm_map.sm.storedMSISDN", "gsm_map.tmsi", "gsm_map.ms.tmsi", "gsm_map.ussd_string",
    "gsm_old.serviceCentreAddress",
    "sccp.called.nai", "sccp.calling.nai", "gsm_sms.dis_field_addr.num_type",
]
# our "map" key -> the tshark fields (AddressString octets) that carry it
# (tshark decodes MAP v1 arguments with its gsm_old fields)
ROLES = {
    "vlr_number": ["gsm_map.ms.vlr_Number", "gsm_map.ms.newVLR_Number", "gsm_old.vlr_Number"],
    "msc_number": ["gsm_map.ms.msc_Number", "gsm_map.ch.msc_Number", "gsm_map.ch.vmsc_Address"],
    "sgsn_number": ["gsm_map.ms.sgsn_Number"],
    "hlr_number": ["gsm_map.ms.hlr_Number", "gsm_old.hlr_Number"],
    "gmsc_address": ["gsm_map.ch.gmsc_Address", "gsm_map.ch.gmsc_OrGsmSCF_Address"],
    "mlc_number": ["gsm_map.lcs.mlc_Number", "gsm_map.lcs.mlcNumber"],
    "gsmscf_address": ["gsm_map.ms.gsmSCF_Address"],
    "roaming_number": ["gsm_map.ch.roamingNumber", "gsm_map.ch.msrn", "gsm_old.roamingNumber"],
    "nnn": ["gsm_map.sm.networkNode_Number", "gsm_map.lcs.networkNode_Number"],
}
ROLE_FIELDS = [f for fs in ROLES.values() for f in fs]
FIELDS += ROLE_FIELDS
SCCP_TYPES = {"UDT": 9, "UDTS": 10, "XUDT": 17, "XUDTS": 18, "LUDT": 19, "LUDTS": 20}
passed = failed = 0
problems = []


def tshark(pcap):
    cmd = ["tshark", "-r", pcap, "-T", "fields", "-E", "separator=|",
           "-E", "occurrence=a", "-E", "aggregator=;"]
    for f in FIELDS:
        cmd += ["-e", f]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    rows = {}
    for line in out.splitlines():
        parts = line.split("|")
        if len(parts) != len(FIELDS):
            continue
        rows[int(parts[0])] = {f: (parts[i].split(";") if parts[i] else [])
                               for i, f in enumerate(FIELDS)}
    return rows


def address_string(hexstr):
    """AddressString bytes (TON/NPI octet, TBCD digits) as digit text."""
    b = bytes.fromhex(hexstr.replace(":", ""))[1:]
    d = ""
    for o in b:
        for n in (o & 0xF, o >> 4):
            if n != 0xF:
                d += "0123456789abcdef"[n]
    return d


def load(path):
    frames = {}
    with open(path) as f:
        for line in f:
            r = json.loads(line)
            frames.setdefault(r["frame"], []).append(r)
    return frames


def version(r):
    """The MAP version of a record's application context, 0 without one."""
    acn = r.get("tcap", {}).get("acn", "")
    if acn.startswith("0.4.0.0.1.0."):
        return int(acn.split(".")[-1])
    return 0


def expected(recs):
    """The tshark field lists a frame's records should give."""
    e = {f: [] for f in FIELDS}
    e.update({k: [] for k in ROLES})
    msisdns = []
    for r in recs:
        if "mtp3" in r:
            mt = r["mtp3"]
            e["m3ua.protocol_data_opc"].append(str(mt["opc"]))
            e["m3ua.protocol_data_dpc"].append(str(mt["dpc"]))
            e["m3ua.protocol_data_si"].append(str(mt["si"]))
            e["m3ua.protocol_data_sls"].append(str(mt["sls"]))
        s = r.get("sccp")
        if s:
            e["sccp.message_type"].append(SCCP_TYPES.get(s["type"], -1))
            for k, f in (("cdpa", "called"), ("cgpa", "calling")):
                a = s.get(k, {})
                if "digits" in a:
                    e["sccp.%s.digits" % f].append(a["digits"])
                if "nai" in a:
                    e["sccp.%s.nai" % f].append("0x%02x" % a["nai"])
                if "ssn" in a:
                    e["sccp.%s.ssn" % f].append(str(a["ssn"]))
        t = r.get("tcap")
        if t:
            for k in ("otid", "dtid"):
                if k in t:
                    e["tcap." + k].append(t[k])
            for c in t.get("components", []):
                if "opcode" in c:
                    e["gsm_old.localValue"].append(str(c["opcode"]))
                elif "error" in c:
                    e["gsm_old.localValue"].append(str(c["error"]))
        m = r.get("map", {})
        if "imsi" in m:
            e["e212.imsi"].append(m["imsi"])
        da, oa = m.get("sm_rp_da", {}), m.get("sm_rp_oa", {})
        if da.get("kind") == "imsi":
            e["e212.imsi"].append(da["digits"])
        if da.get("kind") == "sc_addr":
            e["gsm_map.sm.serviceCentreAddressDA"].append(da["digits"])
        if oa.get("kind") == "sc_addr":
            e["gsm_map.sm.serviceCentreAddressOA"].append(oa["digits"])
        if "sc_addr" in m:
            e["gsm_map.sm.serviceCentreAddress"].append(m["sc_addr"])
        if "msisdn" in m:
            msisdns.append(m["msisdn"])
        if oa.get("kind") == "msisdn":
            msisdns.append(oa["digits"])
        v = version(r)
        for k in ROLES:
            if k not in m:
                continue
            # tshark 4.0 reads the v1 UpdateLocationArg with the v2+ ASN.1
            # (its LocationInfo roamingNumber [0] is a BER error there),
            # shows the v1 bare hlr-Number of the result as an IMSI (TON/NPI
            # octet 0x91 read as the digits "19"), and the v1/v2 bare
            # roamingNumber of a provideRoamingNumber result as an msisdn
            if m.get("op") == "updateLocation" and k == "roaming_number":
                continue
            if m.get("op") == "updateLocation" and v == 1 and t.get("type") == "end":
                e["e212.imsi"].append("19" + m[k])
                continue
            if m.get("op") == "provideRoamingNumber" and v in (1, 2) and k == "roaming_number":
                msisdns.append(m[k])
                continue
            e[k].append(m[k])
        if "tmsi" in m:
            e["gsm_map.tmsi"].append(m["tmsi"])
        if "text" in m.get("ussd", {}):
            e["gsm_map.ussd_string"].append(m["ussd"]["text"])
        tp = m.get("tp", {})
        if "oa" in tp:
            e["gsm_sms.tp-oa"].append(tp["oa"])
        if "da" in tp:
            e["gsm_sms.tp-da"].append(tp["da"])
        for k in ("oa_ton", "da_ton"):
            if k in tp:
                e["gsm_sms.dis_field_addr.num_type"].append(str(tp[k]))
    return e, msisdns


def check_frame(name, fno, recs, row):
    e, msisdns = expected(recs)
    multi = any(len(r.get("tcap", {}).get("components", [])) > 1 for r in recs)
    bad = []
    if row is None:
        bad.append("tshark has no frame %d" % fno)
        return bad
    for k, fs in ROLES.items():
        got = sorted(address_string(x) for f in fs for x in row[f])
        want = sorted(e[k])
        if multi:   # "map" describes the first invoke only: ours within tshark's
            rest = list(got)
            for d in want:
                if d in rest:
                    rest.remove(d)
                else:
                    bad.append("%s %s not in tshark's %s" % (k, d, got))
        elif got != want:
            bad.append("%s: replay %s, tshark %s" % (k, want, got))
    for f in FIELDS[1:]:
        if f in ROLE_FIELDS or f in ("gsm_map.sm.storedMSISDN", "gsm_map.ms.tmsi",
                                     "gsm_old.serviceCentreAddress"):
            continue
        got = row[f]
        want = e[f]
        if f == "gsm_map.tmsi":
            got = got + row["gsm_map.ms.tmsi"]
        if f == "gsm_map.sm.serviceCentreAddress":
            got = got + row["gsm_old.serviceCentreAddress"]
        if f == "sccp.message_type":
            got = [int(x, 16) for x in got]
        elif f in ("tcap.otid", "tcap.dtid"):
            got = [x.replace(":", "").lower() for x in got]
        elif f.startswith("gsm_map.sm.serviceCentreAddress"):
            got = [address_string(x) for x in got]
        elif f == "gsm_map.tmsi":
            got = sorted(x.replace(":", "").lower() for x in got)
            want = sorted(want)
        if f == "e212.imsi":
            got, want = sorted(got), sorted(want)
            if multi:   # "map" describes the first invoke only: ours within tshark's
                rest = list(got)
                for d in want:
                    if d in rest:
                        rest.remove(d)
                    else:
                        bad.append("imsi %s not in tshark's %s" % (d, got))
                continue
        if f == "e164.msisdn":
            got = got + [address_string(x) for x in row["gsm_map.sm.storedMSISDN"]]
            for d in msisdns:   # each MSISDN of ours is one tshark saw
                if d in got:
                    got.remove(d)
                else:
                    bad.append("msisdn %s not in tshark's %s" % (d, row[f]))
            continue
        if got != want:
            bad.append("%s: replay %s, tshark %s" % (f, want, got))
    return bad


def compare_tshark(name):
    global passed, failed
    frames = load("%s/%s.json" % (tmp, name))
    rows = tshark("%s/%s.pcap" % (tmp, name))
    n = 0
    for fno, recs in sorted(frames.items()):
        bad = check_frame(name, fno, recs, rows.get(fno))
        n += len(recs)
        if bad:
            failed += len(recs)
            problems.append("%s frame %d: %s" % (name, fno, "; ".join(bad)))
        else:
            passed += len(recs)
    return n


def strip(r):
    r = dict(r)
    for k in ("ts", "frame", "link"):
        r.pop(k, None)
    if "m3ua" in r:
        r["m3ua"] = {k: v for k, v in r["m3ua"].items() if k != "stream"}
    return r


def compare_tcp():
    global passed, failed
    with open("%s/sctp.json" % tmp) as f:
        a = [strip(json.loads(l)) for l in f]
    with open("%s/tcp.json" % tmp) as f:
        b = [json.loads(l) for l in f]
    if len(a) != len(b):
        problems.append("tcp: %d records, sctp %d" % (len(b), len(a)))
        failed += abs(len(a) - len(b))
    for i, (x, y) in enumerate(zip(a, b)):
        if y.get("m3ua", {}).get("stream") != 0 or not y["link"].endswith(":2905"):
            problems.append("tcp record %d: stream/link %s" % (i, y.get("link")))
            failed += 1
        elif x != strip(y):
            problems.append("tcp record %d differs from sctp: %s / %s" % (i, json.dumps(strip(y)), json.dumps(x)))
            failed += 1
        else:
            passed += 1


def check_e164():
    """national.json (home.cc 999): an SCCP address of NAI 3 carries e164 =
    999 + its digits, one of NAI 4 none; a TP-OA of TON 2 oa_e164 likewise."""
    global passed, failed
    nat = 0
    with open("%s/national.json" % tmp) as f:
        for line in f:
            r = json.loads(line)
            ok = True
            for k in ("cdpa", "cgpa"):
                a = r.get("sccp", {}).get(k, {})
                if "digits" not in a:
                    continue
                want = "999" + a["digits"] if a.get("nai") == 3 else None
                nat += a.get("nai") == 3
                ok &= a.get("e164") == want
            tp = r.get("map", {}).get("tp", {})
            if "oa" in tp and not tp.get("oa_alnum"):
                want = "999" + tp["oa"] if tp.get("oa_ton") == 2 else None
                ok &= tp.get("oa_e164") == want
            if ok:
                passed += 1
            else:
                failed += 1
                problems.append("national frame %d: canonical forms %s" % (r["frame"], line.strip()[:300]))
    if nat < 20:
        failed += 1
        problems.append("national: only %d national GTs in the capture" % nat)


check_e164()
for name, count in (("sctp", 400), ("sctp6", 200), ("allops", 600), ("national", 400)):
    n = compare_tshark(name)
    if n != count:
        problems.append("%s: %d records, ss7gen wrote %d messages" % (name, n, count))
        failed += 1
with open("%s/sctp6.json" % tmp) as f:
    first = json.loads(f.readline())
if first["link"] != "[fd00::1]:2905>[fd00::2:1]:2905":
    problems.append("sctp6: link %s" % first["link"])
    failed += 1
compare_tcp()
with open("%s/sctp.json" % tmp) as f:
    ref = f.read().splitlines()
for name in ("ng", "ns"):
    with open("%s/%s.json" % (tmp, name)) as f:
        got = f.read().splitlines()
    same = sum(1 for a, b in zip(ref, got) if a == b)
    passed += same
    failed += max(len(ref), len(got)) - same
    if same != len(ref) or len(got) != len(ref):
        problems.append("%s: %d of %d records differ from the pcap replay" % (name, max(len(ref), len(got)) - same, len(ref)))

# -c: every record on link carrier-a; in from the carrier (OPC 1001), out to it
with open("%s/cfg.json" % tmp) as f:
    for line in f:
        r = json.loads(line)
        want = "out" if r.get("mtp3", {}).get("opc") == 2002 else "in"
        if "mtp3" not in r:
            want = r["dir"]   # ASPTM/BEAT: either way
        if r["link"] == "carrier-a" and r["dir"] == want:
            passed += 1
        else:
            failed += 1
            problems.append("cfg frame %d: link %s dir %s, expected carrier-a %s" % (r["frame"], r["link"], r["dir"], want))

for p in problems[:20]:
    print("  " + p)
if len(problems) > 20:
    print("  ... %d more" % (len(problems) - 20))
print("replay_tshark: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
EOF
