#!/bin/sh
# ss7fw replay's output path: records leave in batches (more than one batch
# here), each record names its link after its own addresses while they
# change among more address pairs than the replay keeps formatted (the
# link-name cache must evict and never hand out a stale name), and a failed
# write to stdout is an error (exit 1), not silence.
# Prints "replay_output: N passed, N failed" last.
set -u
cd "$(dirname "$0")/../.."
BIN=${SS7FW:-build/ss7fw}
GEN=${SS7GEN:-build/tools/ss7gen}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$GEN" -n 3000 -s 7 -o "$tmp/in.pcap" >/dev/null || { echo "replay_output: 0 passed, 1 failed"; exit 1; }

python3 - "$BIN" "$tmp" <<'EOF'
import json, struct, subprocess, sys
binary, tmp = sys.argv[1], sys.argv[2]
passed = failed = 0
problems = []

def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        problems.append(what)

# Rewrite the IPv4 addresses of every packet (Ethernet + IPv4, no checksum is
# verified by the reader): 20 address pairs, visited in an order that keeps
# returning to old pairs after more than 8 others (the replay caches 8).
with open("%s/in.pcap" % tmp, "rb") as f:
    data = f.read()
out = bytearray(data[:24])
off = 24
pairs = []
seq = 0
while off + 16 <= len(data):
    incl = struct.unpack_from("<I", data, off + 8)[0]
    pkt = bytearray(data[off + 16: off + 16 + incl])
    if len(pkt) >= 34 and pkt[12:14] == b"\x08\x00":
        # pattern: 0..11 round robin, then every 7th packet one of 12..19
        k = seq % 12 if seq % 7 else 12 + (seq // 7) % 8
        src = bytes([10, 1, k, 1 + seq // 12 % 2])
        dst = bytes([10, 2, k, 1])
        pkt[26:30] = src
        pkt[30:34] = dst
        pairs.append("%d.%d.%d.%d" % tuple(src) + ":%d" % struct.unpack_from(">H", pkt, 34)[0] + ">" +
                     "%d.%d.%d.%d" % tuple(dst) + ":%d" % struct.unpack_from(">H", pkt, 36)[0])
    else:
        pairs.append(None)
    seq += 1
    out += data[off: off + 16] + pkt
    off += 16 + incl
with open("%s/pairs.pcap" % tmp, "wb") as f:
    f.write(out)

r = subprocess.run([binary, "replay", "%s/pairs.pcap" % tmp], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
check(r.returncode == 0, "replay exit %d: %s" % (r.returncode, r.stderr[:200]))
lines = r.stdout.decode().splitlines()
check(len(r.stdout) > 2 * 256 * 1024, "output of %d bytes does not span several batches" % len(r.stdout))
check(len(lines) >= seq, "%d records for %d packets" % (len(lines), seq))
distinct = set()
for line in lines:
    rec = json.loads(line)
    want = pairs[rec["frame"] - 1]
    distinct.add(rec["link"])
    check(rec["link"] == want, "frame %d: link %s, expected %s" % (rec["frame"], rec["link"], want))
want_distinct = len(set(p for p in pairs if p))
check(want_distinct > 16 and len(distinct) == want_distinct,
      "%d distinct link names, expected %d" % (len(distinct), want_distinct))

# The same records whether stdout is a pipe or a file.
with open("%s/out.json" % tmp, "wb") as f:
    r2 = subprocess.run([binary, "replay", "%s/pairs.pcap" % tmp], stdout=f)
with open("%s/out.json" % tmp, "rb") as f:
    check(r2.returncode == 0 and f.read() == r.stdout, "file output differs from pipe output")

# A write error is reported and fails the command.
with open("/dev/full", "wb") as full:
    r3 = subprocess.run([binary, "replay", "%s/pairs.pcap" % tmp], stdout=full, stderr=subprocess.PIPE)
check(r3.returncode == 1 and b"error writing the records" in r3.stderr,
      "stdout /dev/full: exit %d, stderr %s" % (r3.returncode, r3.stderr[:200]))

for p in problems[:20]:
    print("  " + p)
if len(problems) > 20:
    print("  ... %d more" % (len(problems) - 20))
print("replay_output: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
EOF
