#!/bin/sh
# Builds the Debian package (debian/) the way a packager would
# (dpkg-buildpackage -us -uc -b) from a copy of the source tree, so the tree
# itself stays clean, then checks what it ships:
#   - the exact file list of the .deb with modes and owners, its conffiles
#     and control fields (version = `ss7fw version`, library dependencies);
#   - unpacked into a scratch root (dpkg -x): the unit's ExecStart and
#     ExecStartPre name the shipped binary, `ss7fw check` of the unpacked
#     binary accepts every unpacked policy, the man page renders without
#     groff warnings, the binary is hardened (PIE, RELRO, BIND_NOW, fortify);
#   - the real postinst (real adduser) creates the system user ss7fw, twice
#     without error, inside a private mount namespace over a copy of /etc
#     (the host's users are not touched);
#   - lintian (pedantic, info included) reports nothing but the tags
#     overridden in debian/ss7fw.lintian-overrides, each with a comment
#     there and its name in docs/operations.md.
# Last line: "deb: N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
top=$(pwd)
pass=0; fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
ko() { fail=$((fail + 1)); echo "FAIL $1"; }
finish() { echo "deb: $pass passed, $fail failed"; [ "$fail" = 0 ]; exit $?; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for t in dpkg-buildpackage dh dpkg-parsechangelog lintian readelf; do
	command -v "$t" >/dev/null 2>&1 || { ko "$t not installed (make deps)"; finish; }
done

ver=$(dpkg-parsechangelog -l debian/changelog -S Version)
upver=${ver%-*}
arch=$(dpkg --print-architecture)
deb=$tmp/ss7fw_${ver}_${arch}.deb

# ---- 1. build from a copy (build outputs and VCS data left out)
status_before=""
git rev-parse --git-dir >/dev/null 2>&1 && status_before=$(git status --porcelain 2>/dev/null)
src=$tmp/ss7fw-$upver
mkdir "$src"
tar -C "$top" --exclude='./build*' --exclude=./.git --exclude=./debian/ss7fw \
	--exclude=./debian/.debhelper --exclude=./debian/files -cf - . | tar -C "$src" -xf -
start=$(date +%s)
(cd "$src" && DEB_BUILD_OPTIONS="nocheck parallel=$(nproc 2>/dev/null || echo 2)" \
	timeout 900 dpkg-buildpackage -us -uc -b) >"$tmp/build.log" 2>&1
rc=$?
secs=$(( $(date +%s) - start ))
if [ "$rc" = 0 ] && [ -f "$deb" ]; then
	ok "dpkg-buildpackage -us -uc -b: $(basename "$deb") in ${secs}s"
else
	ko "dpkg-buildpackage exit $rc:"; tail -n 30 "$tmp/build.log"; finish
fi
grep -Eq 'tests/run\.sh|build-deb/tests/|[0-9]+ passed, [0-9]+ failed' "$tmp/build.log" &&
	ko "tests ran inside the package build" || ok "no tests inside the package build"
if git rev-parse --git-dir >/dev/null 2>&1; then
	[ "$(git status --porcelain 2>/dev/null)" = "$status_before" ] && ok "source tree left as it was" ||
		ko "the build changed the source tree: $(git status --porcelain | head -5)"
fi

# ---- 2. contents: every path with its mode and owner, nothing else
dpkg-deb -c "$deb" | awk '{ print $1, $2, $6 }' >"$tmp/contents"
cat >"$tmp/expected" <<'EOF'
drwxr-xr-x root/root ./
drwxr-xr-x root/root ./etc/
drwxr-xr-x root/root ./etc/logrotate.d/
-rw-r--r-- root/root ./etc/logrotate.d/ss7fw
drwxr-xr-x root/root ./etc/ss7fw/
-rw-r--r-- root/root ./etc/ss7fw/fs11-category1.conf
-rw-r--r-- root/root ./etc/ss7fw/ir71.conf
drwxr-xr-x root/root ./etc/ss7fw/lists/
-rw-r--r-- root/root ./etc/ss7fw/lists/illegal.conf
-rw-r--r-- root/root ./etc/ss7fw/lists/open-smsc.conf
-rw-r--r-- root/root ./etc/ss7fw/lists/partner-a-smsc.conf
-rw-r--r-- root/root ./etc/ss7fw/partners-example.conf
drwxr-xr-x root/root ./lib/
drwxr-xr-x root/root ./lib/systemd/
drwxr-xr-x root/root ./lib/systemd/system/
-rw-r--r-- root/root ./lib/systemd/system/ss7fw.service
drwxr-xr-x root/root ./usr/
drwxr-xr-x root/root ./usr/sbin/
-rwxr-xr-x root/root ./usr/sbin/ss7fw
drwxr-xr-x root/root ./usr/share/
drwxr-xr-x root/root ./usr/share/doc/
drwxr-xr-x root/root ./usr/share/doc/ss7fw/
-rw-r--r-- root/root ./usr/share/doc/ss7fw/README.md.gz
-rw-r--r-- root/root ./usr/share/doc/ss7fw/architecture.md.gz
-rw-r--r-- root/root ./usr/share/doc/ss7fw/benchmarks.md.gz
-rw-r--r-- root/root ./usr/share/doc/ss7fw/changelog.gz
-rw-r--r-- root/root ./usr/share/doc/ss7fw/copyright
-rw-r--r-- root/root ./usr/share/doc/ss7fw/decoding.md.gz
drwxr-xr-x root/root ./usr/share/doc/ss7fw/examples/
-rw-r--r-- root/root ./usr/share/doc/ss7fw/examples/ss7fw-alerts.yml
-rw-r--r-- root/root ./usr/share/doc/ss7fw/operations.md.gz
-rw-r--r-- root/root ./usr/share/doc/ss7fw/policy.md.gz
drwxr-xr-x root/root ./usr/share/lintian/
drwxr-xr-x root/root ./usr/share/lintian/overrides/
-rw-r--r-- root/root ./usr/share/lintian/overrides/ss7fw
drwxr-xr-x root/root ./usr/share/man/
drwxr-xr-x root/root ./usr/share/man/man8/
-rw-r--r-- root/root ./usr/share/man/man8/ss7fw.8.gz
EOF
if diff -u "$tmp/expected" "$tmp/contents" >"$tmp/diff"; then
	ok "contents: $(wc -l <"$tmp/contents") paths, modes and owners exact"
else
	ko "contents differ (- expected, + in the .deb):"; sed 's/^/    /' "$tmp/diff"
fi

# every shipped policy file is in the package
missing=""
for f in policies/*.conf policies/lists/*.conf; do
	grep -qxF -- "-rw-r--r-- root/root ./etc/ss7fw/${f#policies/}" "$tmp/contents" || missing="$missing $f"
done
[ -z "$missing" ] && ok "every file of policies/ shipped under /etc/ss7fw" || ko "not shipped:$missing"

# conffiles: exactly everything under /etc
dpkg-deb --info "$deb" conffiles >"$tmp/conffiles" 2>/dev/null
grep '^-' "$tmp/expected" | awk '{ print $3 }' | grep '^\./etc/' | sed 's#^\.##' | sort >"$tmp/conf_expected"
sort "$tmp/conffiles" >"$tmp/conf_got"
if [ -s "$tmp/conf_got" ] && diff -u "$tmp/conf_expected" "$tmp/conf_got" >"$tmp/diff"; then
	ok "conffiles: $(wc -l <"$tmp/conf_got") files, every file under /etc"
else
	ko "conffiles differ:"; sed 's/^/    /' "$tmp/diff"
fi

# control fields
field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = ss7fw ] && [ "$(field Version)" = "$ver" ] && [ "$(field Architecture)" = "$arch" ] &&
	ok "control: ss7fw $ver $arch" || ko "control: $(field Package) $(field Version) $(field Architecture)"
deps=$(field Depends)
missing=""
for d in adduser libc6 libconfig9 libpcap0.8 libsctp1 libsystemd0; do
	echo ", $deps," | grep -q ", $d[ ,(]" || missing="$missing $d"
done
[ -z "$missing" ] && ok "Depends: $deps" || ko "Depends lacks$missing: $deps"

# ---- 3. unpacked into a scratch root
root=$tmp/root
dpkg -x "$deb" "$root" || { ko "dpkg -x"; finish; }
bin=$root/usr/sbin/ss7fw
unit=$root/lib/systemd/system/ss7fw.service
exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
exec_pre=$(sed -n 's/^ExecStartPre=//p' "$unit")
if [ "$exec_start" = "/usr/sbin/ss7fw run -c /etc/ss7fw/ss7fw.conf" ] &&
   [ "$exec_pre" = "/usr/sbin/ss7fw check -c /etc/ss7fw/ss7fw.conf" ] && [ -x "$root${exec_start%% *}" ]; then
	ok "unit: ExecStart=$exec_start (shipped, executable)"
else
	ko "unit: ExecStart='$exec_start' ExecStartPre='$exec_pre'"
fi
cmp -s "$unit" systemd/ss7fw.service && ok "unit is systemd/ss7fw.service" || ko "unit differs from systemd/ss7fw.service"
cmp -s "$root/etc/logrotate.d/ss7fw" contrib/logrotate.d/ss7fw && ok "logrotate snippet is contrib/logrotate.d/ss7fw" ||
	ko "logrotate snippet differs"
[ "$("$bin" version)" = "ss7fw $upver" ] && ok "ss7fw version = package version $upver" ||
	ko "ss7fw version: '$("$bin" version)' package '$upver'"
ldd "$bin" >"$tmp/ldd" 2>&1 && ! grep -q 'not found' "$tmp/ldd" && ok "every shared library found" ||
	ko "ldd: $(grep 'not found' "$tmp/ldd")"
for p in "$root"/etc/ss7fw/*.conf; do
	out=$("$bin" check -c "$p" 2>&1)
	rc=$?
	[ "$rc" = 0 ] && [ "$out" = "$p: ok" ] && ok "unpacked ss7fw check -c /etc/ss7fw/$(basename "$p")" ||
		ko "ss7fw check -c $p: exit $rc: $out"
done
# ... and it can fail: a policy of the scratch root broken on purpose
sed 's/^policy = {/policy = { nosuchkey = 1;/' "$root/etc/ss7fw/ir71.conf" >"$root/etc/ss7fw/broken.conf"
"$bin" check -c "$root/etc/ss7fw/broken.conf" >"$tmp/broken.out" 2>&1 &&
	ko "check accepted a broken policy" || ok "check rejects a broken policy: $(head -n 1 "$tmp/broken.out")"
rm -f "$root/etc/ss7fw/broken.conf"
man=$root/usr/share/man/man8/ss7fw.8.gz
if [ -f "$man" ] && zcat "$man" | grep -q '^\.TH SS7FW 8'; then
	if command -v groff >/dev/null 2>&1; then
		out=$(zcat "$man" | groff -ww -man -z 2>&1)
		[ -z "$out" ] && ok "man page ss7fw(8) present, groff clean" || ko "man page: $out"
	else
		ok "man page ss7fw(8) present"
	fi
else
	ko "man page missing"
fi
zcat "$root/usr/share/doc/ss7fw/operations.md.gz" | grep -q '^## The Debian package' &&
	ok "operations.md shipped with its Debian package section" || ko "operations.md lacks the Debian package section"

# hardening of the binary (Debian's build flags reached the compiler and linker)
hard=""
readelf -h "$bin" | grep -q 'Type:.*DYN' || hard="$hard PIE"
readelf -lW "$bin" | grep -q GNU_RELRO || hard="$hard RELRO"
readelf -dW "$bin" | grep -Eq 'BIND_NOW|FLAGS_1.*NOW' || hard="$hard BIND_NOW"
readelf --dyn-syms -W "$bin" | grep -q '__[a-z_]*_chk' || hard="$hard FORTIFY"
readelf --dyn-syms -W "$bin" | grep -q '__stack_chk_fail' || hard="$hard stack-protector"
[ -z "$hard" ] && ok "hardened: PIE, RELRO, BIND_NOW, FORTIFY, stack protector" || ko "not hardened:$hard"

# ---- 4. the postinst creates the system user (real adduser, private /etc)
dpkg-deb -e "$deb" "$tmp/ctrl"
if ! getent passwd ss7fw >/dev/null && unshare -m true 2>/dev/null; then
	cp -a /etc "$tmp/etc"
	mkdir -p "$tmp/varlib"
	unshare -m sh -c '
		set -e
		mount --bind "$1/etc" /etc
		mount --bind "$1/varlib" /var/lib/systemd 2>/dev/null || true
		sh "$1/ctrl/postinst" configure
		getent passwd ss7fw > "$1/pw1"
		getent group ss7fw > "$1/gr1"
		sh "$1/ctrl/postinst" configure
		getent passwd ss7fw > "$1/pw2"
		grep -c "^ss7fw:" /etc/passwd > "$1/n"
	' sh "$tmp" >"$tmp/postinst.log" 2>&1
	rc=$?
	if [ "$rc" = 0 ] && [ -s "$tmp/pw1" ]; then
		IFS=: read -r name _ uid gid _ home shell <"$tmp/pw1"
		gr_gid=$(cut -d: -f3 "$tmp/gr1")
		if [ "$name" = ss7fw ] && [ "$uid" -ge 100 ] && [ "$uid" -lt 1000 ] && [ "$gid" = "$gr_gid" ] &&
		   [ "$home" = /nonexistent ] && [ "$shell" = /usr/sbin/nologin ]; then
			ok "postinst: system user ss7fw uid $uid, group ss7fw, home $home, shell $shell"
		else
			ko "postinst user: $(cat "$tmp/pw1") group: $(cat "$tmp/gr1")"
		fi
		cmp -s "$tmp/pw1" "$tmp/pw2" && [ "$(cat "$tmp/n")" = 1 ] && ok "postinst run twice: one user, unchanged" ||
			ko "postinst twice: $(cat "$tmp/pw2") count $(cat "$tmp/n")"
	else
		ko "postinst configure exit $rc: $(cat "$tmp/postinst.log")"
	fi
	getent passwd ss7fw >/dev/null && ko "the host got a user ss7fw" || ok "host users untouched"
else
	echo "skip postinst: a user ss7fw exists here, or no mount namespace (unshare -m)"
fi

# ---- 5. lintian: nothing but explained overrides. One run for the verdict
# (no output, exit 0 with every level failing), one listing the overrides.
lintian --pedantic -I -E --fail-on error,warning,info,pedantic \
	"$tmp/ss7fw_${ver}_${arch}.changes" >"$tmp/lintian" 2>"$tmp/lintian.err"
rc=$?
if [ "$rc" = 0 ] && [ ! -s "$tmp/lintian" ]; then
	ok "lintian --pedantic -I -E: clean"
else
	ko "lintian exit $rc:"; sed 's/^/    /' "$tmp/lintian" "$tmp/lintian.err" | grep -v 'root privileges'
fi
lintian --pedantic -I -E --show-overrides "$tmp/ss7fw_${ver}_${arch}.changes" >"$tmp/lintian" 2>/dev/null
ovr=debian/ss7fw.lintian-overrides
bad=""
for tag in $(sed -n 's/^O: [^ ]*: \([a-z0-9+.-]*\).*/\1/p' "$tmp/lintian" | sort -u); do
	line=$(grep -n "^ss7fw: $tag\( \|$\)" "$ovr" | head -n 1 | cut -d: -f1)
	if [ -z "$line" ] || ! sed -n "$((line - 1))p" "$ovr" | grep -q '^#'; then
		bad="$bad $tag(no comment in $ovr)"
	fi
	grep -q "$tag" docs/operations.md || bad="$bad $tag(not in docs/operations.md)"
done
# every override is still needed (lintian reports it as overridden)
for tag in $(sed -n 's/^ss7fw: \([a-z0-9+.-]*\).*/\1/p' "$ovr"); do
	grep -q "^O: [^ ]*: $tag" "$tmp/lintian" || bad="$bad $tag(override unused)"
done
[ -z "$bad" ] && ok "each lintian override commented and documented, none unused" || ko "lintian overrides:$bad"

finish
