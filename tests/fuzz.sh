#!/bin/sh
# Run every libFuzzer target (build-fuzz/fuzz_*) for SECONDS each under
# ASan+UBSan, starting from the seed corpus in fuzz/corpus/<target>/ (if any)
# and keeping what it finds in build-fuzz/corpus/<target>/. A crash leaves
# its input in build-fuzz/ and makes this script fail: turn it into a test.
#   sh tests/fuzz.sh [SECONDS]
set -u
cd "$(dirname "$0")/.."
secs=${1:-60}
pass=0; fail=0
for f in build-fuzz/fuzz_*; do
	[ -x "$f" ] || continue
	name=$(basename "$f")
	corpus=build-fuzz/corpus/$name
	mkdir -p "$corpus"
	seeds=""
	[ -d "fuzz/corpus/$name" ] && seeds="fuzz/corpus/$name"
	if "$f" -max_total_time="$secs" -timeout=5 -rss_limit_mb=1024 -max_len=4096 \
		-artifact_prefix=build-fuzz/"$name"- -print_final_stats=1 \
		"$corpus" $seeds >build-fuzz/"$name".log 2>&1; then
		execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' build-fuzz/"$name".log | grep -o '[0-9]*$')
		echo "ok   $name: ${execs:-?} inputs in ${secs}s"
		pass=$((pass + 1))
	else
		echo "FAIL $name: see build-fuzz/$name.log"
		grep -E 'ERROR|SUMMARY|runtime error' build-fuzz/"$name".log | head -n 5 | sed 's/^/    /'
		fail=$((fail + 1))
	fi
done
echo "fuzz: $pass passed, $fail failed"
[ "$fail" = 0 ]
