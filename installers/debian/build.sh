#!/usr/bin/env bash
# Build dist/nibi-desk_<version>_<arch>.deb from the frozen one-folder app (make dist runs PyInstaller first).
#
#   installers/debian/build.sh [FROZEN_DIR] [OUT_DIR]      (defaults: dist/nibi-desk, dist)
#
# Layout: the frozen app in /opt/nibi-desk; /usr/bin/nibi-desk and /usr/bin/nibi are relative symlinks into it (the
# PyInstaller bootloader finds its _internal/ folder through /proc/self/exe, so a symlink is a complete launcher, and
# a relative one also works inside a throwaway root); the desktop entry, icons and shared-mime-info XML for .nibi
# registries and .nibx bundles. No maintainer scripts: dpkg's file triggers of shared-mime-info, desktop-file-utils
# and the hicolor icon theme refresh their caches. Depends: the system libraries the Qt/QtWebEngine wheels expect
# (the same list as installers/system-deps.sh) and the newest glibc symbol version found in the bundle.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
FROZEN=${1:-dist/nibi-desk}
OUT=${2:-dist}
PY=${PYTHON:-.venv/bin/python}

[ -x "$FROZEN/nibi-desk" ] || { echo "no frozen app in $FROZEN: run make dist" >&2; exit 1; }
VERSION=$("$PY" -c 'import re,sys; print(re.search(r"__version__ = \"(.+)\"", open("nibi_desk/__init__.py").read())[1])')
ARCH=$(dpkg --print-architecture)
NAME=nibi-desk_${VERSION}_${ARCH}
STAGE=build/deb/$NAME
rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
         "$STAGE/usr/share/mime/packages" "$STAGE/usr/share/icons/hicolor/scalable/apps" \
         "$STAGE/usr/share/doc/nibi-desk"

cp -a "$FROZEN" "$STAGE/opt/nibi-desk"
# QtWebEngine creates this (empty) folder on first start when it may; owned by the package, dpkg -r removes it.
mkdir -p "$STAGE/opt/nibi-desk/_internal/PySide6/Qt/resources/locales"
ln -s ../../opt/nibi-desk/nibi-desk "$STAGE/usr/bin/nibi-desk"
ln -s ../../opt/nibi-desk/nibi "$STAGE/usr/bin/nibi"
install -m 644 installers/debian/nibi-desk.desktop "$STAGE/usr/share/applications/nibi-desk.desktop"
install -m 644 installers/debian/nibi-desk-mime.xml "$STAGE/usr/share/mime/packages/nibi-desk.xml"
install -m 644 resources/icons/nibi-desk.svg "$STAGE/usr/share/icons/hicolor/scalable/apps/nibi-desk.svg"
[ -f build/icons/nibi-desk-256.png ] || "$PY" installers/make_icons.py build/icons
for size in 16 24 32 48 64 128 256; do
  mkdir -p "$STAGE/usr/share/icons/hicolor/${size}x${size}/apps"
  install -m 644 "build/icons/nibi-desk-$size.png" "$STAGE/usr/share/icons/hicolor/${size}x${size}/apps/nibi-desk.png"
done
{
  echo "NIBI Desk (新基建巡检台) $VERSION"
  echo
  echo "Bundled font: resources/fonts (see /opt/nibi-desk/_internal/nibi_desk/_data/resources/fonts/fonts.json)."
  echo "Bundled web libraries: see /opt/nibi-desk/_internal/nibi_desk/_data/resources/web/vendor.json."
  echo "Qt and PySide6 are LGPL-3.0, dynamically linked (separate files under /opt/nibi-desk/_internal/PySide6)."
  echo "Help > About in the program lists every component with its licence text."
} > "$STAGE/usr/share/doc/nibi-desk/copyright"

# The newest GLIBC_x.y any bundled ELF file asks for: the oldest system the package can run on.
GLIBC=$(find "$STAGE/opt/nibi-desk" -type f \( -name '*.so*' -o -perm -u+x \) -print0 \
        | xargs -0 grep -aoh 'GLIBC_2\.[0-9]\+' 2>/dev/null | sort -u -V | tail -1 | sed 's/GLIBC_//')
SIZE=$(du -sk "$STAGE" | cut -f1)
cat > "$STAGE/DEBIAN/control" <<CONTROL
Package: nibi-desk
Version: $VERSION
Architecture: $ARCH
Maintainer: NIBI Desk team <nibi-desk@localhost>
Installed-Size: $SIZE
Section: misc
Priority: optional
Depends: libc6 (>= ${GLIBC:-2.28}), libgl1, libegl1, libxkbcommon0, libxkbcommon-x11-0, libfontconfig1, libfreetype6,
 libdbus-1-3, libglib2.0-0 | libglib2.0-0t64, libnss3, libnspr4, libxcomposite1, libxdamage1, libxrandr2, libxtst6,
 libxshmfence1, libxkbfile1, libgbm1, libdrm2, libasound2 | libasound2t64, libxcb-cursor0, libxcb-icccm4,
 libxcb-keysyms1, libxcb-shape0, libxcb-xinerama0, libxcb-randr0, libxcb-render-util0, libxcb-image0
Description: NIBI Desk (新基建巡检台) - offline infrastructure registry and inspection
 Keeps a county's registry of new infrastructure (5G base stations, multi-function
 smart poles, video cameras) for field inspectors working offline, county offices
 and supervisors. Works without any network connection.
 .
 新基建巡检台：5G 基站、多功能智能杆和视频监控的离线登记与外业巡检。
CONTROL

mkdir -p "$OUT"
# gzip: several times faster than xz on ~400 MB of libraries (CI time), and every dpkg reads it.
dpkg-deb --root-owner-group -Zgzip -z6 --build "$STAGE" "$OUT/$NAME.deb" >/dev/null
echo "$OUT/$NAME.deb"
