#!/bin/sh
# The shipped policies tried in shadow on generated traffic
# (scripts/policy-trial.sh, ss7gen --solicited): nothing is enforced, the
# attacks of the mix are would-drops, and none of the FS.11 category 2/3,
# SMS-MO or forward-SM checks fires on its legitimate roaming traffic
# (registrations answered by our HLR, our HLR's insertSubscriberData and
# cancelLocation going out, purgeMS, SRI-SM answered then forward-SM).
#   sh tests/integ/policy_trial.sh        (BUILD=build)
# Last line: "policy_trial: N passed, N failed". About 2 s.
set -u
cd "$(dirname "$0")/../.."
BUILD=${BUILD:-build}
export BUILD
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok     - $*"; }
notok() { fail=$((fail + 1)); echo "NOT OK - $*"; }
# shadow_hits / hits of a rule in a trial's stats
col() { awk -v r="$2" -v c="$3" '$1 == r { print $c }' "$BUILD/trial-$1/stats.txt"; }

for p in fs11 ir71; do
	if sh scripts/policy-trial.sh "policies/$p.conf" 3000 3 >"$BUILD/trial-$p.out" 2>&1; then
		ok "$p: trial ran"
	else
		notok "$p: trial ran ($(tail -n 3 "$BUILD/trial-$p.out"))"
		continue
	fi
	n=$(awk '$1 == "verdict" && $2 == "drop" { print $3 }' "$BUILD/trial-$p/stats.txt")
	s=$(awk '$1 == "shadow" { print $4 }' "$BUILD/trial-$p/stats.txt")
	if [ -n "$n" ] && [ "$n" -gt 0 ] && [ "$n" = "$s" ]; then ok "$p: $n would-drops, all in shadow"
	else notok "$p: would-drops $n, shadow $s"; fi
	ls=$(col "$p" ir71-link-screening 3)
	if [ "${ls:-0}" -gt 0 ]; then ok "$p: the mix's foreign enquiries are would-drops ($ls)"
	else notok "$p: link screening would-drops: $ls"; fi
done
for r in fs11-cat2-home fs11-cat2-origin fs11-cat2-unknown-imsi fs11-cat3-consistency \
	 fs11-cat3-location fs11-cat3-velocity ir71-sms-mo-oa ir71-sms-mo-da ir71-fsm-solicited \
	 ir71-rate-sri-sm ir71-rate-partner; do
	h=$(col fs11 "$r" 2) s=$(col fs11 "$r" 3)
	if [ "$h" = 0 ] && [ "$s" = 0 ]; then ok "fs11: $r silent on legitimate roaming traffic"
	else notok "fs11: $r: hits '$h', shadow hits '$s'"; fi
done
echo "policy_trial: $pass passed, $fail failed"
[ "$fail" = 0 ]
