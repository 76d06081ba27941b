#!/bin/sh
# prometheus — Debian's real Prometheus scraping a running ss7fw:
#  1. the alert rules pass `promtool check rules` and their unit tests
#     (`promtool test rules contrib/prometheus/ss7fw-alerts.test.yml`), and
#     the scrape config written here passes `promtool check config`;
#  2. ss7fw runs between two ss7sim peers over TCP; the carrier sends 400
#     mixed MSUs (every fourth an attack, dropped by two rules); the core
#     receives exactly the 300 legitimate ones;
#  3. prometheus (loopback port, temporary storage, stopped by us, bounded
#     by timeout) scrapes the metrics endpoint every second; once it has
#     scraped after the traffic ended, its HTTP API holds every metric family
#     ss7fw exports, every series with exactly the value of the endpoint, and
#     the counts the traffic implies (400 screened, 100 dropped by rules,
#     300 allowed, per-rule hits equal to the event log's drop records);
#  4. the alert rules are loaded by the live prometheus and evaluate (health ok);
#  5. the Grafana dashboard contrib/grafana/ss7fw.json: each expression (and
#     each template query) names only metric families ss7fw exports, and each
#     one, with the dashboard variables filled in, is accepted by prometheus
#     and returns data.
#   sh tests/integ/prometheus.sh            (BUILD=build: $BUILD/ss7fw, $BUILD/tools/ss7sim)
# Last line: "prometheus: N passed, N failed". Bounded: about 30 s here
# (promtool's unit tests take most of it); every wait has its own limit.
set -u
cd "$(dirname "$0")/../.."
build=${BUILD:-build}
fw=$build/ss7fw
sim=$build/tools/ss7sim
NAME=prometheus
. tests/integ/lib/harness.sh

if ! command -v prometheus >/dev/null 2>&1 || ! command -v promtool >/dev/null 2>&1; then
	notok "prometheus and promtool installed (Debian package prometheus, scripts/deps.sh)"
	finish
fi
if [ ! -x "$fw" ] || [ ! -x "$sim" ]; then
	notok "$fw and $sim built (make all tools)"
	finish
fi

# ---- 1. the alert rules, offline (promtool must find every "- alert:" of the file)
nrules=$(grep -c -- '- alert:' contrib/prometheus/ss7fw-alerts.yml)
out=$(promtool check rules contrib/prometheus/ss7fw-alerts.yml 2>&1)
check "promtool check rules: $(echo "$out" | grep -o '[0-9]* rules found') of $nrules" sh -c 'echo "$1" | grep -q "SUCCESS: $2 rules found"' - "$out" "$nrules"
out=$(cd contrib/prometheus && timeout 120 promtool test rules ss7fw-alerts.test.yml 2>&1)
if echo "$out" | grep -q '^  SUCCESS'; then ok "promtool test rules: every alert fires and stays silent as tested"
else notok "promtool test rules"; echo "$out" | head -n 40 | sed 's/^/    | /'; fi

# five free loopback ports: carrier, core, metrics, prometheus, syslog (UDP, no one listening)
set -- $(python3 -c 'import socket
ss = [socket.socket() for _ in range(5)]
for s in ss: s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in ss))')
cport=$1 kport=$2 mport=$3 pport=$4 sport=$5

# every optional output on, so that every metric family is exported:
# event log, pcap of drops, syslog (UDP to a port no one listens on: its
# errors are counted) and the journal (absent in a container: errors too)
cat > "$W/fw.conf" <<EOF
policy = { mode = "enforce"; default = "allow"; malformed = "allow"; };
links = (
  { name = "carrier-a";
    carrier = { transport = "tcp"; mode = "listen"; local = [ "127.0.0.1:$cport" ]; };
    core = { transport = "tcp"; mode = "connect"; remote = [ "127.0.0.1:$kport" ]; };
  }
);
settings = { metrics_port = $mport; reconnect_min_ms = 20; reconnect_max_ms = 200;
             event_log = "$W/events.json"; drop_pcap = "$W/drops.pcap";
             syslog_server = "127.0.0.1:$sport"; journal = true; };
rules = (
  { name = "foreign-gt"; action = "drop"; match = { cgpa_gt = [ "44" ]; }; },
  { name = "spoofed-sc"; action = "drop"; match = { sc_addr = [ "44" ]; }; }
);
EOF
cat > "$W/prometheus.yml" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
  evaluation_interval: 1s
rule_files:
  - $PWD/contrib/prometheus/ss7fw-alerts.yml
scrape_configs:
  - job_name: ss7fw
    static_configs:
      - targets: [ "127.0.0.1:$mport" ]
EOF
check "promtool check config" promtool check config "$W/prometheus.yml" > "$W/promtool-config.log" 2>&1

# ---- 2. traffic through ss7fw
"$fw" run -c "$W/fw.conf" 2> "$W/fw.log" &
fwpid=$!; pids="$pids $fwpid"
if ! wait_for 5 grep -q "running" "$W/fw.log"; then
	notok "ss7fw run starts"
	finish
fi
"$sim" core --tcp --listen "127.0.0.1:$kport" --record "$W/core.rec" --expect 301 --timeout 20 2> "$W/core.log" &
core=$!; pids="$pids $core"
"$sim" carrier --tcp --connect "127.0.0.1:$cport" --asp --send 400 --mix mixed \
	--sent "$W/sent.txt" --timeout 20 --linger 300 2> "$W/carrier.log"
wait_rc "$core" 10 > /dev/null
legit=$(grep -c '^legit ' "$W/sent.txt")
attack=$(grep -c '^attack ' "$W/sent.txt")
got=$(awk '$2 ~ /^01000101/' "$W/core.rec" | wc -l)
check "traffic: 400 MSUs sent ($legit legitimate, $attack attacks), the core got the $legit legitimate ($got)" \
	test "$legit" = 300 -a "$attack" = 100 -a "$got" = 300
# the carrier closed; the relay closes the core side; then nothing changes
wait_for 5 grep -q "core: down" "$W/fw.log"
wait_for 3 sh -c "test \"\$(wc -l < '$W/events.json')\" = 100" 2>/dev/null

# ---- 3. prometheus
timeout -s KILL 90 prometheus --config.file="$W/prometheus.yml" --storage.tsdb.path="$W/tsdb" \
	--web.listen-address="127.0.0.1:$pport" --log.level=warn > "$W/prometheus.log" 2>&1 &
prom=$!; pids="$pids $prom"
ready() { curl -sf -m 1 "http://127.0.0.1:$pport/-/ready" > /dev/null 2>&1; }
if ! wait_for 30 ready; then
	notok "prometheus ready on 127.0.0.1:$pport"
	finish
fi
ok "prometheus ready on 127.0.0.1:$pport (storage $W/tsdb)"

# the endpoint now (stable: the traffic is over), then wait for a scrape after it
curl -sf -m 3 "http://127.0.0.1:$mport/metrics" > "$W/metrics.txt"
t0=$(date +%s.%N)
scraped_after() {
	python3 - "$pport" "$1" <<'PY'
import json, sys, urllib.parse, urllib.request
q = urllib.parse.quote('timestamp(ss7fw_msus_total{job="ss7fw"})')
r = json.load(urllib.request.urlopen("http://127.0.0.1:%s/api/v1/query?query=%s" % (sys.argv[1], q), timeout=2))
res = r["data"]["result"]
sys.exit(0 if res and float(res[0]["value"][1]) > float(sys.argv[2]) else 1)
PY
}
if ! wait_for 20 scraped_after "$t0" 2>/dev/null; then
	notok "prometheus scraped ss7fw after the traffic"
	finish
fi
ok "prometheus scraped ss7fw after the traffic"

python3 - "$pport" "$W" "$legit" "$attack" > "$W/compare.out" 2>&1 <<'PY'
import json, re, sys, urllib.parse, urllib.request
port, w, legit, attack = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
def query(q):
    u = "http://127.0.0.1:%s/api/v1/query?query=%s" % (port, urllib.parse.quote(q))
    return json.load(urllib.request.urlopen(u, timeout=5))
# the endpoint's text: families from "# TYPE", samples name{labels} value
families, samples = set(), {}
lab_re = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')
for line in open(w + "/metrics.txt"):
    line = line.rstrip("\n")
    if line.startswith("# TYPE "):
        families.add(line.split()[2])
        continue
    if not line or line.startswith("#"):
        continue
    m = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$', line)
    assert m, "unparsable line: " + line
    labels = tuple(sorted((k, v.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\"))
                          for k, v in lab_re.findall(m.group(2) or "")))
    samples[(m.group(1), labels)] = float(m.group(3))
res = query('{__name__=~"ss7fw_.+", job="ss7fw"}')
assert res["status"] == "success", res
prom = {}
for s in res["data"]["result"]:
    met = dict(s["metric"])
    name = met.pop("__name__")
    met.pop("job"); met.pop("instance")
    prom[(name, tuple(sorted(met.items())))] = float(s["value"][1])
names = {k[0] for k in prom}
fails = 0
def check(what, cond):
    global fails
    print(("ok   " if cond else "FAIL ") + what)
    fails += not cond
check("%d families exported, all %d in prometheus (missing: %s)" % (len(families), len(families), sorted(families - names)),
      families and families <= names)
check("no family in prometheus that the endpoint lacks (%s)" % sorted(names - families), names <= families)
diff = [(k, v, prom.get(k)) for k, v in samples.items() if prom.get(k) != v]
check("%d series, every value equal to the endpoint's%s" % (len(samples), "" if not diff else ": " + repr(diff[:5])),
      not diff and len(prom) == len(samples))
def p(name, **lab):
    return prom.get((name, tuple(sorted(lab.items()))))
ev = [json.loads(l) for l in open(w + "/events.json")]
per_rule = {}
for e in ev:
    per_rule[e.get("rule")] = per_rule.get(e.get("rule"), 0) + 1
# ss7fw_msus_total and the verdicts count every M3UA message (ASP
# management too, as non-DATA); the carrier's first ASPUP may come before
# the core side is connected and is then dropped as link_down (and resent)
data = p("ss7fw_msus_total") - p("ss7fw_non_data_total")
check("DATA MSUs screened: msus - non_data = %s, want %d" % (data, legit + attack), data == legit + attack)
check("allowed DATA MSUs: allow verdicts - non_data = %s, want %d" % (p("ss7fw_verdicts_total", verdict="allow") - p("ss7fw_non_data_total"), legit),
      p("ss7fw_verdicts_total", verdict="allow") - p("ss7fw_non_data_total") == legit)
link_down = p("ss7fw_drops_total", reason="link_down")
check("link_down drops: at most the carrier's first ASP messages (%s)" % link_down, link_down is not None and link_down <= 3)
check("drops of link carrier-a in = rule drops + link_down drops",
      p("ss7fw_link_drops_total", link="carrier-a", dir="in") == attack + link_down and
      p("ss7fw_relay_dropped_total", link="carrier-a", dir="in") == attack + link_down)
exact = [
    ("ss7fw_verdicts_total", {"verdict": "drop"}, attack),
    ("ss7fw_verdicts_total", {"verdict": "reject"}, 0),
    ("ss7fw_drops_total", {"reason": "rule"}, attack),
    ("ss7fw_drops_total", {"reason": "default"}, 0),
    ("ss7fw_drops_total", {"reason": "malformed"}, 0),
    ("ss7fw_drops_total", {"reason": "overload"}, 0),
    ("ss7fw_link_drops_total", {"link": "carrier-a", "dir": "out"}, 0),
    ("ss7fw_relay_dropped_total", {"link": "carrier-a", "dir": "out"}, 0),
    ("ss7fw_shadow_total", {}, 0),
    ("ss7fw_policy_rules", {}, 2),
    ("ss7fw_policy_shadow_mode", {}, 0),
    ("ss7fw_policy_reloads_total", {"result": "ok"}, 1),
    ("ss7fw_evlog_written_total", {}, attack),
    ("ss7fw_evlog_suppressed_total", {}, 0),
    ("ss7fw_evlog_errors_total", {}, 0),
    ("ss7fw_droppcap_written_total", {}, attack),
    ("ss7fw_rule_hits_total", {"rule": "foreign-gt"}, per_rule.get("foreign-gt", 0)),
    ("ss7fw_rule_hits_total", {"rule": "spoofed-sc"}, per_rule.get("spoofed-sc", 0)),
    ("ss7fw_link_up", {"link": "carrier-a"}, 0),
]
for name, lab, want in exact:
    check("%s%s = %s" % (name, lab, want), p(name, **lab) == want)
check("rule hits: both rules hit, together the %d attacks (%s)" % (attack, per_rule),
      per_rule.get("foreign-gt", 0) > 0 and per_rule.get("spoofed-sc", 0) > 0 and
      per_rule.get("foreign-gt", 0) + per_rule.get("spoofed-sc", 0) == attack)
sent, dropped = p("ss7fw_syslog_sent_total"), p("ss7fw_syslog_dropped_total")
js, je = p("ss7fw_journal_sent_total"), p("ss7fw_journal_errors_total")
check("journal: sent %s + refused %s = %d event lines" % (js, je, attack), js + je == attack)
check("syslog: sent %s + dropped %s = %d event lines" % (sent, dropped, attack), sent + dropped == attack)
check("relay: forwarded in = read in - dropped in",
      p("ss7fw_relay_forwarded_total", link="carrier-a", dir="in") ==
      p("ss7fw_relay_msgs_total", link="carrier-a", dir="in") - attack - link_down)
print("compare: %d failed" % fails)
sys.exit(1 if fails else 0)
PY
rc=$?
sed 's/^/    /' "$W/compare.out"
check "prometheus holds every family and series of the endpoint, with the exact counts" test "$rc" = 0

# ---- 4. the alert rules in the live prometheus
rules_ok() {
	python3 - "$pport" "$nrules" <<'PY'
import json, sys, urllib.request
r = json.load(urllib.request.urlopen("http://127.0.0.1:%s/api/v1/rules" % sys.argv[1], timeout=2))
rules = [x for g in r["data"]["groups"] for x in g["rules"]]
sys.exit(0 if len(rules) == int(sys.argv[2]) and all(x["health"] == "ok" for x in rules) else 1)
PY
}
check "prometheus loaded the $nrules alert rules and evaluates them (health ok)" wait_for 10 rules_ok

# ---- 5. the Grafana dashboard
# its rate() and increase() panels need two samples of a counter in their
# range: wait (bounded) for a second scrape, which a loaded machine delays
two_samples() {
	python3 - "$pport" <<'PY'
import json, sys, urllib.parse, urllib.request
q = urllib.parse.quote('count_over_time(ss7fw_msus_total{job="ss7fw"}[1m])')
r = json.load(urllib.request.urlopen("http://127.0.0.1:%s/api/v1/query?query=%s" % (sys.argv[1], q), timeout=2))
res = r["data"]["result"]
sys.exit(0 if res and float(res[0]["value"][1]) >= 2 else 1)
PY
}
wait_for 20 two_samples 2>/dev/null
python3 - "$pport" "$W/metrics.txt" contrib/grafana/ss7fw.json > "$W/grafana.out" 2>&1 <<'PY'
import json, re, sys, urllib.parse, urllib.request
port, metrics, dash = sys.argv[1], sys.argv[2], sys.argv[3]
families = {l.split()[2] for l in open(metrics) if l.startswith("# TYPE ")}
d = json.load(open(dash))
exprs = []
def walk(panels):
    for p in panels:
        for t in p.get("targets", []):
            exprs.append((p["title"], t["expr"]))
        walk(p.get("panels", []))
walk(d["panels"])
templ = []
for v in d["templating"]["list"]:
    if v["type"] == "query":
        q = v["query"]["query"] if isinstance(v["query"], dict) else v["query"]
        m = re.match(r'^label_values\((.*),\s*([a-zA-Z_]+)\)$', q)
        assert m, q
        templ.append((v["name"], m.group(1)))
fails = 0
used = set()
# metric names: identifiers that are not functions, aggregations, keywords,
# label names (before =, =~, !=, !~ or inside by/without (...)), or durations
words = {"sum", "min", "max", "avg", "count", "by", "without", "rate", "increase", "irate",
         "clamp_min", "clamp_max", "and", "or", "unless", "offset", "bool", "on", "ignoring",
         "group_left", "group_right", "topk", "bottomk", "abs", "timestamp"}
def names_in(e):
    e = re.sub(r'"(?:[^"\\]|\\.)*"', '""', e)                 # strings out
    e = re.sub(r'\b(by|without|on|ignoring)\s*\([^)]*\)', ' ', e)   # grouping labels out
    e = re.sub(r'\{[^}]*\}', ' ', e)                          # matchers out
    e = re.sub(r'\[[^\]]*\]', ' ', e)                          # ranges out
    return {w for w in re.findall(r'[a-zA-Z_:][a-zA-Z0-9_:]*', e) if w not in words and not w.startswith("$")}
def run(e):
    e = e.replace("$__rate_interval", "1m").replace("$__range", "5m").replace("$instance", ".*").replace("$link", ".*")
    u = "http://127.0.0.1:%s/api/v1/query?query=%s" % (port, urllib.parse.quote(e))
    try:
        r = json.load(urllib.request.urlopen(u, timeout=5))
    except Exception as x:
        return "error %s" % x
    if r.get("status") != "success":
        return "status %s" % r
    return "" if r["data"]["result"] else "no data"
for title, e in exprs:
    n = names_in(e)
    used |= n
    bad = n - families
    err = run(e)
    ok = n and not bad and not err
    print(("ok   " if ok else "FAIL ") + "%s: %s%s%s" % (title, sorted(n), " not exported: %s" % sorted(bad) if bad else "", " (%s)" % err if err else ""))
    fails += not ok
for name, sel in templ:
    n = names_in(sel)
    bad = n - families
    err = run(sel)
    ok = n and not bad and not err
    print(("ok   " if ok else "FAIL ") + "variable %s: %s%s" % (name, sel, " (%s %s)" % (bad, err) if bad or err else ""))
    fails += not ok
print("grafana: %d expressions, %d families used of %d exported, %d failed" % (len(exprs), len(used), len(families), fails))
sys.exit(1 if fails or len(exprs) < 30 else 0)
PY
rc=$?
sed 's/^/    /' "$W/grafana.out"
check "grafana dashboard: every expression names exported families only, and runs with data" test "$rc" = 0

# ---- stop, bounded
kill -TERM "$prom" 2>/dev/null
wait_rc "$prom" 15 > /dev/null; rc=$?
check "prometheus stops on SIGTERM (exit $rc)" test "$rc" = 0
kill -TERM "$fwpid" 2>/dev/null
wait_rc "$fwpid" 5 > /dev/null; rc=$?
check "ss7fw stops on SIGTERM (exit $rc)" test "$rc" = 0
finish
