#!/usr/bin/env bash
# package.sh builds the CertKiosk .deb from a built binary with dpkg-deb alone:
#
#     build/linux/package.sh [BINARY [OUT_DIR]]      (make package runs it)
#
# BINARY defaults to build/bin/certkiosk, OUT_DIR to build/bin. VERSION (default:
# version.sh), ARCH (default: dpkg's) and MAINTAINER can be set in the environment.
# It prints the path of the .deb it wrote.
set -euo pipefail
cd "$(dirname "$0")/../.."

bin=${1:-build/bin/certkiosk}
out=${2:-build/bin}
version=${VERSION:-$(build/linux/version.sh)}
arch=${ARCH:-$(dpkg --print-architecture)}
maintainer=${MAINTAINER:-CertKiosk maintainers <certkiosk@example.invalid>}

[ -x "$bin" ] || { echo "package: no binary at $bin (make build first)" >&2; exit 1; }
# Debian policy §5.6.12: a version starts with a digit; no hyphen, as there is no
# Debian revision.
[[ $version =~ ^[0-9][A-Za-z0-9.+~]*$ ]] || { echo "package: $version is not a Debian version" >&2; exit 1; }

# The runtime libraries the binary links (check-package.sh compares them with its
# ELF NEEDED entries), the fonts the PDFs embed (backend/certpdf), and libusb for
# the drivers; pcscd's client library for the PC/SC card-reader backend.
depends="libc6, libglib2.0-0, libgtk-3-0, libgdk-pixbuf-2.0-0, libwebkit2gtk-4.1-0, libjavascriptcoregtk-4.1-0, libsoup-3.0-0, libusb-1.0-0, libpcsclite1, fonts-dejavu-core | fonts-noto-core, adduser | passwd"
# The kiosk session: the compositor (Debian 12's cage 0.1.4 refuses to start without
# Xwayland, which its package does not pull in) and the logind session it runs in.
recommends="cage, xwayland, libpam-systemd"
# A hardware-backed signing key (PKCS#11): SoftHSM2 to try it, a smart-card
# daemon for a card or token reader.
suggests="softhsm2, pcscd"

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root=$stage/root
install -D -m 0755 "$bin" "$root/usr/bin/certkiosk"
install -D -m 0644 build/linux/certkiosk.service "$root/usr/lib/systemd/system/certkiosk.service"
install -D -m 0644 build/linux/certkiosk.pam "$root/etc/pam.d/certkiosk"
install -D -m 0644 build/linux/70-certkiosk.rules "$root/usr/lib/udev/rules.d/70-certkiosk.rules"
install -D -m 0644 build/linux/certkiosk.desktop "$root/usr/share/applications/certkiosk.desktop"
install -D -m 0644 build/appicon.png "$root/usr/share/icons/hicolor/512x512/apps/certkiosk.png"
install -D -m 0644 build/linux/etc-README "$root/etc/certkiosk/README"
install -D -m 0644 README.md "$root/usr/share/doc/certkiosk/README.md"
if [ -f build/certkiosk.example.toml ]; then
	install -D -m 0644 build/certkiosk.example.toml "$root/usr/share/doc/certkiosk/certkiosk.example.toml"
fi

install -d -m 0755 "$root/DEBIAN"
for script in postinst prerm postrm; do
	install -m 0755 "build/linux/$script" "$root/DEBIAN/$script"
done
printf '%s\n' /etc/certkiosk/README /etc/pam.d/certkiosk > "$root/DEBIAN/conffiles"
size=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
cat > "$root/DEBIAN/control" <<CONTROL
Package: certkiosk
Version: $version
Architecture: $arch
Maintainer: $maintainer
Installed-Size: $size
Depends: $depends
Recommends: $recommends
Suggests: $suggests
Section: misc
Priority: optional
Description: kiosk that prints COVID-19 certificates
 CertKiosk runs on a touch-screen kiosk in a library or a social-insurance
 office. A resident identifies with an ID card or a scanned document; the
 kiosk fetches their records from the health registry (HL7 FHIR R4) and prints
 the signed EU Digital COVID Certificates they are entitled to.
 .
 certkiosk.service runs it full screen in the cage Wayland compositor on tty1,
 supervised by systemd's watchdog.
CONTROL

mkdir -p "$out"
deb="$out/certkiosk_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zxz --build "$root" "$deb" >/dev/null
echo "$deb"
