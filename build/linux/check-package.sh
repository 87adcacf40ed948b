#!/usr/bin/env bash
# check-package.sh inspects a CertKiosk .deb as an installer would see it:
#
#     build/linux/check-package.sh build/bin/certkiosk_*.deb     (make test-package)
#
# its control fields, its files and their modes, that every library the binary
# links comes from a package it depends on, that the binary runs, that the
# maintainer scripts parse, and that systemd-analyze verify finds nothing to say
# about the unit. Exits 1 naming each failure.
set -uo pipefail

deb=${1:?usage: check-package.sh FILE.deb}
failed=0 passed=0
pass() { passed=$((passed + 1)); }
fail() { echo "check-package: $*" >&2; failed=$((failed + 1)); }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dpkg-deb -I "$deb" > "$work/info" || { echo "check-package: dpkg-deb cannot read $deb" >&2; exit 1; }
dpkg-deb -c "$deb" > "$work/contents"
dpkg-deb -x "$deb" "$work/root"
dpkg-deb -e "$deb" "$work/DEBIAN"

field() { dpkg-deb -f "$deb" "$1"; }

# Control fields.
[ "$(field Package)" = certkiosk ] && pass || fail "Package is $(field Package), want certkiosk"
[[ $(field Version) =~ ^[0-9] ]] && pass || fail "Version $(field Version) does not start with a digit"
[ "$(field Architecture)" = "$(dpkg --print-architecture)" ] && pass || fail "Architecture is $(field Architecture)"
depends=$(field Depends)
for want in libgtk-3-0 libwebkit2gtk-4.1-0 libusb-1.0-0 fonts-dejavu-core; do
	[[ ", $depends," == *", $want"[\ ,\|]* ]] && pass || fail "Depends lacks $want: $depends"
done
for want in cage xwayland libpam-systemd; do
	[[ ", $(field Recommends)," == *", $want,"* ]] && pass || fail "Recommends lacks $want: $(field Recommends)"
done
[[ $(field Suggests) == *softhsm2* ]] && pass || fail "Suggests lacks softhsm2: $(field Suggests)"

# Files, with their modes and owners.
want_file() { # mode path
	if grep -qE "^$1 root/root +[0-9]+ [0-9-]+ [0-9:]+ \./${2#/}\$" "$work/contents"; then
		pass
	else
		fail "no $2 with mode $1 owned by root: $(grep -F " ./${2#/}" "$work/contents" || echo missing)"
	fi
}
want_file -rwxr-xr-x /usr/bin/certkiosk
want_file -rw-r--r-- /usr/lib/systemd/system/certkiosk.service
want_file -rw-r--r-- /etc/pam.d/certkiosk
want_file -rw-r--r-- /usr/lib/udev/rules.d/70-certkiosk.rules
want_file -rw-r--r-- /usr/share/applications/certkiosk.desktop
want_file -rw-r--r-- /usr/share/icons/hicolor/512x512/apps/certkiosk.png
want_file -rw-r--r-- /etc/certkiosk/README
want_file -rw-r--r-- /usr/share/doc/certkiosk/README.md
for script in postinst prerm postrm; do
	if [ -x "$work/DEBIAN/$script" ] && sh -n "$work/DEBIAN/$script"; then pass; else fail "$script missing, not executable or not valid sh"; fi
done
grep -qx /etc/pam.d/certkiosk "$work/DEBIAN/conffiles" && pass || fail "/etc/pam.d/certkiosk is not a conffile"
grep -q 'useradd --system\|adduser --system' "$work/DEBIAN/postinst" && pass || fail "postinst creates no system user"

# Every library the binary links is in a package named in Depends (resolved on
# this machine, where the binary was built).
bin=$work/root/usr/bin/certkiosk
for lib in $(readelf -d "$bin" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p'); do
	pkg=$(dpkg -S "*/$lib" 2>/dev/null | grep -v '^diversion' | head -1 | cut -d: -f1)
	if [ -z "$pkg" ]; then
		fail "the binary links $lib, which no installed package provides"
	elif [[ ", $depends," == *", $pkg"[\ ,\|]* || $depends == *"| $pkg"[\ ,]* ]]; then
		pass
	else
		fail "the binary links $lib from $pkg, which Depends does not name: $depends"
	fi
done
# The binary runs: -h prints its usage before anything opens a display.
usage=$("$bin" -h 2>&1)
[[ $usage == *"certkiosk COMMAND"* ]] && pass || fail "the packaged binary does not run: -h printed ${usage:-nothing}"

# The desktop entry starts the installed binary with the installed icon.
desktop=$work/root/usr/share/applications/certkiosk.desktop
for line in '[Desktop Entry]' Type=Application Exec=certkiosk Icon=certkiosk; do
	grep -qxF "$line" "$desktop" && pass || fail "certkiosk.desktop lacks $line"
done

# The unit, as systemd reads it. cage and certkiosk need not be installed here:
# ExecStart's programs are replaced by stubs; everything else is verified as shipped.
unit=$work/root/usr/lib/systemd/system/certkiosk.service
for key in Type=notify WatchdogSec=10 Restart=always User=certkiosk StateDirectory=certkiosk NoNewPrivileges=yes ProtectSystem=strict ProtectHome=yes PrivateTmp=yes; do
	grep -qx "$key" "$unit" && pass || fail "certkiosk.service lacks $key"
done
if command -v systemd-analyze >/dev/null; then
	mkdir -p "$work/stub"
	printf '#!/bin/sh\n' > "$work/stub/cage"
	printf '#!/bin/sh\n' > "$work/stub/certkiosk"
	chmod +x "$work/stub/cage" "$work/stub/certkiosk"
	sed -e "s#/usr/bin/cage #$work/stub/cage #" -e "s#/usr/bin/certkiosk #$work/stub/certkiosk #" "$unit" > "$work/stub/certkiosk.service"
	grep -q "ExecStart=$work/stub/cage .*$work/stub/certkiosk " "$work/stub/certkiosk.service" || fail "ExecStart is not cage running certkiosk"
	# verify exits 0 on unknown keys and bad values, warning only: any output fails.
	if out=$(systemd-analyze verify "$work/stub/certkiosk.service" 2>&1) && [ -z "$out" ]; then
		pass
	else
		fail "systemd-analyze verify certkiosk.service: ${out:-exit status $?}"
	fi
else
	echo "check-package: systemd-analyze is not installed: certkiosk.service was not verified" >&2
fi

echo "check-package: $deb: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
