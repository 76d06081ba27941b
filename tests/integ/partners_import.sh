#!/bin/sh
# ss7fw partners import: the example CSV (policies/partners-ir21.csv) gives a
# partner list that a policy @includes and `ss7fw check` accepts, with the
# fields written as policies/fs11.conf has them; errors come as FILE:LINE and
# nothing is written.
#   sh tests/integ/partners_import.sh        (BUILD=build)
# Last line: "partners_import: N passed, N failed". About 1 s.
set -u
cd "$(dirname "$0")/../.."
fw=${BUILD:-build}/ss7fw
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok     - $*"; }
notok() { fail=$((fail + 1)); echo "NOT OK - $*"; }
check() { what=$1; shift; if "$@"; then ok "$what"; else notok "$what"; fi; }

"$fw" partners import -o "$W/partners.conf" policies/partners-ir21.csv 2>"$W/err"
check "import of the example exits 0" test $? = 0
check "three partners written" test "$(grep -c '{ name = ' "$W/partners.conf")" = 3
check "AA.19 SMSCs as exact entries" grep -q 'smsc = \[ "=999340001", "=999340002" \]' "$W/partners.conf"
check "node ranges and country" grep -q 'country = "XA"; gt = \[ "99934" \]; imsi = \[ "99934" \]; e164 = \[ "99934" \]; hlr = \[ "999340000" \]; vlr = \[ "999341" \]' "$W/partners.conf"
# a policy with the imported list: fs11.conf's partners replaced by it
mkdir -p "$W/p" && ln -s "$PWD/policies/lists" "$W/p/lists" && cp "$W/partners.conf" "$W/p/"
awk '/^partners = \(/{skip=1; print "@include \"partners.conf\""; next} skip && /^\);/{skip=0; next} !skip' \
	policies/fs11.conf > "$W/p/fs11.conf"
out=$("$fw" check -c "$W/p/fs11.conf" 2>&1)
check "a policy including it passes ss7fw check ($out)" test "$out" = "$W/p/fs11.conf: ok"

printf 'name,country,imsi,gt\npartner-x,XYZ,9993a,99934\n,XA,1,2\n' > "$W/bad.csv"
"$fw" partners import -o "$W/bad.conf" "$W/bad.csv" 2>"$W/err"
check "errors exit 1" test $? = 1
check "bad country reported at its line" grep -q "bad.csv:2: country must be an ISO 3166 alpha-2 code" "$W/err"
check "bad IMSI prefix reported at its line" grep -q "bad.csv:2: imsi: '9993a' is not valid" "$W/err"
check "missing name reported at its line" grep -q "bad.csv:3: a partner name" "$W/err"
check "nothing written on error" test ! -e "$W/bad.conf"
printf 'name,colour\n' > "$W/bad2.csv"
"$fw" partners import "$W/bad2.csv" >/dev/null 2>"$W/err"
check "unknown column reported" grep -q "bad2.csv:1: unknown column 'colour'" "$W/err"
echo "partners_import: $pass passed, $fail failed"
[ "$fail" = 0 ]
