#!/bin/sh
# version.sh prints the package version: from the nearest tag vX.Y.Z
# (v1.2.0-5-gabc1234 becomes 1.2.0+5.gabc1234), else the product version in
# wails.json with the commit count and hash (0.1.0+git42.abc1234).
set -e
cd "$(dirname "$0")/../.."
if tag=$(git describe --tags --match 'v[0-9]*' 2>/dev/null); then
	echo "${tag#v}" | sed 's/-\([0-9]*\)-g/+\1.g/'
	exit 0
fi
base=$(sed -n 's/.*"productVersion": *"\([^"]*\)".*/\1/p' wails.json)
count=$(git rev-list --count HEAD 2>/dev/null || echo 0)
hash=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
echo "${base:-0.0.0}+git${count}.${hash}"
