#!/bin/sh
# The IR.71 measurement alerts (contrib/prometheus/ss7fw-ir71-alerts.yml):
#  1. `promtool check rules` accepts them (6 rules, one per measurement);
#  2. their unit tests pass (`promtool test rules ...-ir71-alerts.test.yml`:
#     each alert fires on its series and stays silent on a neighbour);
#  3. every metric they use is one the engine exports (src/ops/engine.c).
#   sh tests/integ/promtool_ir71.sh
# Last line: "promtool_ir71: N passed, N failed". About 5 s.
set -u
cd "$(dirname "$0")/../.."
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok     - $*"; }
notok() { fail=$((fail + 1)); echo "NOT OK - $*"; [ -n "${2:-}" ] && echo "$2" | tail -n 30 | sed 's/^/    | /'; }
finish() { echo "promtool_ir71: $pass passed, $fail failed"; [ "$fail" = 0 ]; exit; }
rules=contrib/prometheus/ss7fw-ir71-alerts.yml

if ! command -v promtool >/dev/null 2>&1; then
	notok "promtool installed (Debian package prometheus, scripts/deps.sh)"
	finish
fi
out=$(promtool check rules "$rules" 2>&1)
if echo "$out" | grep -q "SUCCESS: 6 rules found"; then ok "promtool check rules: 6 rules"
else notok "promtool check rules" "$out"; fi
out=$(cd contrib/prometheus && timeout 120 promtool test rules ss7fw-ir71-alerts.test.yml 2>&1)
if echo "$out" | grep -q '^  SUCCESS'; then ok "promtool test rules: every IR.71 alert fires and stays silent as tested"
else notok "promtool test rules" "$out"; fi
for m in $(grep -o 'ss7fw_ir71_[a-z_]*_total' "$rules" | sort -u); do
	if grep -q "\"$m\"" src/ops/engine.c; then ok "$m exported by the engine"
	else notok "$m exported by the engine"; fi
done
finish
