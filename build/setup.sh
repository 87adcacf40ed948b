#!/usr/bin/env bash
# Installs what building and testing CertKiosk needs, skipping what is already there:
# Debian packages, the frontend's npm packages and the Go modules. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages, by purpose (see README.md, "Dependencies").
packages=(
  build-essential pkg-config                                  # cgo
  libgtk-3-dev libwebkit2gtk-4.1-dev                          # the Wails window
  xvfb xauth x11-utils xdotool imagemagick dbus               # the window under Xvfb in tests
  openbox cage xwayland                                       # tests: a window manager (Alt+F4), the kiosk session under cage
  libusb-1.0-0-dev                                            # gousb
  fonts-dejavu-core                                           # fonts embedded in the PDFs
  poppler-utils zbar-tools                                    # tests read QR codes back from PDFs
  cups-ipp-utils                                              # tests print to a real IPP printer (ippeveprinter)
  softhsm2                                                    # tests sign with a key in a real PKCS#11 token
  libpcsclite-dev pcscd                                       # the PC/SC card-reader backend
  vsmartcard-vpcd vsmartcard-vpicc python3-pycryptodome       # tests: a virtual reader and card under pcscd
  chromium                                                    # tests: the real frontend in headless Chromium
)

# Go and Node come from their own installers, not from here: check them first.
need() { echo "setup: $1 (README.md lists what the project needs)" >&2; exit 1; }
command -v go >/dev/null || need "go is not installed: Go 1.26 or later is needed"
command -v node >/dev/null && command -v npm >/dev/null || need "node and npm are not installed: Node 20 or later is needed"
go_minor=$(go env GOVERSION | sed -n 's/^go1\.\([0-9]*\).*/\1/p')
[ "${go_minor:-0}" -ge 26 ] || need "$(go env GOVERSION) is too old: Go 1.26 or later is needed"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || need "node $(node -v) is too old: Node 20 or later is needed"

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# npm packages: reinstalled only when the lock file changed since the last install.
stamp=frontend/node_modules/.certkiosk-lock
want=$(sha256sum frontend/package-lock.json | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing npm packages"
  (cd frontend && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" > "$stamp"
fi

go mod download
