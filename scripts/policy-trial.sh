#!/bin/sh
# Try a shipped policy in shadow on generated traffic: a copy of POLICY in
# global shadow mode, its first link's carrier side set to the addresses of
# ss7gen's capture (carrier STP 10.1.0.1, firewall 10.2.0.1:2905) so that
# every MSU gets its link and direction, replayed with --stats.
#   sh scripts/policy-trial.sh POLICY [COUNT [SEED]]     (BUILD=build)
# Prints the per-rule counters (hits: enforced; shadow_hits: would drop).
# Nothing in the policy's directory is changed: the copy goes to $BUILD.
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
pol=${1:?usage: policy-trial.sh POLICY [COUNT [SEED]]}
count=${2:-2000}
seed=${3:-1}
name=$(basename "$pol" .conf)
dir=$(cd "$(dirname "$pol")" && pwd)
out="$BUILD/trial-$name"
mkdir -p "$out"
"$BUILD/tools/ss7gen" -n "$count" -s "$seed" --solicited -o "$out/gen.pcap"
# shadow mode; the first carrier side with a local listen address becomes
# ss7gen's; list files are included from the policy's own directory (a link)
[ -e "$out/lists" ] || ln -s "$dir/lists" "$out/lists"
awk '
	/^[ \t]*mode = "enforce";/ { sub(/"enforce"/, "\"shadow\"") }
	/^policy = \{ mode = "enforce";/ { sub(/"enforce"/, "\"shadow\"") }
	!done && /carrier = \{/ && /local = \[/ {
		sub(/local = \[[^]]*\]/, "local = [ \"10.2.0.1:2905\" ]")
		sub(/remote = \[[^]]*\]/, "remote = [ \"10.1.0.1\" ]")
		done = 1
	}
	{ print }
' "$pol" > "$out/$name.conf"
"$BUILD/ss7fw" check -c "$out/$name.conf" >/dev/null
"$BUILD/ss7fw" replay -c "$out/$name.conf" --stats "$out/gen.pcap" >"$out/records.json" 2>"$out/stats.txt"
echo "trial: $pol in shadow on $count generated messages (ss7gen -s $seed --solicited)"
sed -n '/^== ss7fw engine ==/,/^-- rules --/p' "$out/stats.txt" | grep -E "^msus|^verdict|^shadow"
sed -n '/^-- rules --/,/^-- links --/p' "$out/stats.txt" | grep -v '^-- links --'
echo "records: $out/records.json"
