#!/usr/bin/env bash
# Install the Debian/Ubuntu packages NIBI Desk needs on a fresh machine (Qt runtime libraries, tools the tests use).
# Does nothing when everything is present; uses sudo when not run as root.
set -euo pipefail

PACKAGES=(
  python3 python3-venv python3-pip make
  # Qt 6 (PySide6 wheels) and QtWebEngine runtime libraries
  libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libfreetype6 libdbus-1-3 libglib2.0-0
  libnss3 libnspr4 libxcomposite1 libxdamage1 libxrandr2 libxtst6 libxshmfence1 libxkbfile1 libgbm1 libdrm2
  libasound2 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xinerama0 libxcb-randr0
  libxcb-render-util0 libxcb-image0
  # Reading back what the app writes: PDFs (poppler), GeoPackages (GDAL), QR codes (zbar)
  poppler-utils gdal-bin zbar-tools
  # make dist / smoke-deb: PyInstaller reads binaries with binutils; the .desktop file and MIME types are checked
  binutils desktop-file-utils shared-mime-info
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "Installing system packages: ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
