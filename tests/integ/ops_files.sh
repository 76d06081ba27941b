#!/bin/sh
# Checks the shipped operations files: the systemd unit (systemd-analyze
# verify and its security exposure, when systemd-analyze exists), the man
# page (groff warnings), the Prometheus alert rules (YAML structure, and every
# metric they use is one the sources export), the logrotate snippet.
# Prints "ops_files: N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
pass=0; fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
ko() { fail=$((fail + 1)); echo "FAIL $1"; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

unit=systemd/ss7fw.service
# 1. the directives the service relies on are there
missing=""
for d in 'Type=notify' 'ExecStart=/usr/sbin/ss7fw run -c /etc/ss7fw/ss7fw.conf' \
	'ExecReload=/bin/kill -HUP $MAINPID' 'NoNewPrivileges=yes' 'ProtectSystem=strict' \
	'ProtectHome=yes' 'PrivateTmp=yes' 'PrivateDevices=yes' 'ReadWritePaths=/var/log/ss7fw' \
	'RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX AF_NETLINK' \
	'SystemCallFilter=@system-service' 'MemoryDenyWriteExecute=yes' 'LockPersonality=yes' \
	'RestrictRealtime=yes' 'RestrictNamespaces=yes' 'CapabilityBoundingSet=' \
	'Restart=on-failure' 'User=ss7fw'; do
	grep -qxF "$d" "$unit" || missing="$missing [$d]"
done
[ -z "$missing" ] && ok "unit directives" || ko "unit directives missing:$missing"

if command -v systemd-analyze >/dev/null 2>&1; then
	# 2. verify: no diagnostics at all (the binary path swapped for one that
	# exists here; the man page is not installed)
	sed 's#/usr/sbin/ss7fw#/bin/true#' "$unit" > "$tmp/ss7fw.service"
	out=$(systemd-analyze verify --man=no "$tmp/ss7fw.service" 2>&1)
	[ $? = 0 ] && [ -z "$out" ] && ok "systemd-analyze verify" || ko "systemd-analyze verify: $out"
	# 3. ... and it does catch a broken unit (the check can fail)
	sed 's#^Type=notify#Type=notifyy#' "$tmp/ss7fw.service" > "$tmp/broken.service"
	out=$(systemd-analyze verify --man=no "$tmp/broken.service" 2>&1)
	[ -n "$out" ] && ok "systemd-analyze flags a broken unit" || ko "broken unit not flagged"
	# 4. exposure score (0 best .. 10 worst) at most 2.0
	score=$(systemd-analyze security --offline=yes "$tmp/ss7fw.service" 2>/dev/null |
		sed -n 's/.*Overall exposure level for ss7fw.service: \([0-9.]*\).*/\1/p')
	if [ -n "$score" ] && awk "BEGIN{exit !($score <= 2.0)}"; then
		ok "security exposure $score <= 2.0"
	else
		ko "security exposure '${score}'"
	fi
else
	echo "skip systemd-analyze not installed"
fi

# 5. man page: no groff warnings, every command and signal documented
if command -v groff >/dev/null 2>&1; then
	out=$(groff -ww -man -z docs/ss7fw.8 2>&1)
	[ -z "$out" ] && ok "man page groff clean" || ko "man page: $out"
fi
missing=""
for w in 'run' 'check' 'replay' 'version' 'SIGHUP' 'SIGUSR1' 'SIGTERM' 'EXIT STATUS' 'FILES' 'SEE ALSO'; do
	grep -q "$w" docs/ss7fw.8 || missing="$missing $w"
done
[ -z "$missing" ] && ok "man page sections" || ko "man page lacks:$missing"

# 6. alert rules: structure, and every metric they use exists in the sources
rules=contrib/prometheus/ss7fw-alerts.yml
if command -v python3 >/dev/null 2>&1 && python3 -c 'import yaml' 2>/dev/null; then
	if python3 - "$rules" <<'PY'
import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
names = set()
for g in d["groups"]:
    assert g["name"] and g["rules"]
    for r in g["rules"]:
        assert set(r) <= {"alert", "expr", "for", "labels", "annotations"}, r
        assert r["alert"] not in names, r["alert"]
        names.add(r["alert"])
        assert r["labels"]["severity"] in ("critical", "warning", "info")
        assert r["annotations"]["summary"]
PY
	then ok "alert rules structure"; else ko "alert rules structure"; fi
fi
missing=""
for m in $(grep -o 'ss7fw_[a-z_]*' "$rules" | sort -u); do
	grep -rqF "$m" src/ || missing="$missing $m"
done
[ -z "$missing" ] && ok "alert metrics exported" || ko "alert metrics not in src/:$missing"
grep -q 'ss7fw_smsc_sri_sm_total' "$rules" && grep -q '> 2.5' "$rules" &&
	ok "SRI-SM/FSM ratio alert" || ko "SRI-SM/FSM ratio alert"

# 7. logrotate: SIGUSR1 to the main process, logrotate's own parse if present
grep -q 'systemctl kill -s USR1' contrib/logrotate.d/ss7fw && ok "logrotate postrotate" ||
	ko "logrotate postrotate"
if command -v logrotate >/dev/null 2>&1; then
	logrotate -d contrib/logrotate.d/ss7fw >"$tmp/lr" 2>&1 && ok "logrotate parses" ||
		ko "logrotate: $(cat "$tmp/lr")"
fi

echo "ops_files: $pass passed, $fail failed"
[ "$fail" = 0 ]
