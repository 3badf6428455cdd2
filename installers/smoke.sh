#!/usr/bin/env bash
# Smoke tests of what `make dist` built, offscreen, with a throwaway data directory. Exit 0 only when all passed.
#
#   installers/smoke.sh frozen [FROZEN_DIR]   the one-folder app (default dist/nibi-desk)
#   installers/smoke.sh deb [DEB]             dpkg -i the .deb into a throwaway root, then run its /usr/bin launchers
#
# Work files go to /tmp/nibi-smoke-<mode>.XXXXXX, removed after a pass unless NIBI_SMOKE_KEEP=1.
# Each run: `nibi --version`, `nibi demo --check` (data directories, migrations, translations found), and
# `nibi-desk --smoke OUT`: opens the demo county in the main window (building the demo first), renders the map page
# in QtWebEngine with zero network requests, prints it to a PDF. The frozen run also writes the offline map page
# and a static map snapshot with the CLI; both runs write a PDF report with `nibi report summary` when the CLI
# has it.
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:?usage: smoke.sh frozen|deb [PATH]}
export QT_QPA_PLATFORM=offscreen
export QTWEBENGINE_CHROMIUM_FLAGS="${QTWEBENGINE_CHROMIUM_FLAGS:---no-sandbox --disable-gpu}"
WORK=$(mktemp -d /tmp/nibi-smoke-$MODE.XXXXXX)
export NIBI_DATA_DIR=$WORK/data HOME=$WORK/home
mkdir -p "$HOME"
OUT=$WORK/out
SCALE=${NIBI_SMOKE_SCALE:-1.0}

case "$MODE" in
  frozen)
    BIN=$(cd "${2:-dist/nibi-desk}" && pwd)
    NIBI=$BIN/nibi
    DESK=$BIN/nibi-desk
    ;;
  deb)
    DEB=${2:-$(ls -t dist/nibi-desk_*.deb | head -1)}
    ROOT=$WORK/root
    mkdir -p "$ROOT/var/lib/dpkg/info" "$ROOT/var/lib/dpkg/updates"
    touch "$ROOT/var/lib/dpkg/status"
    echo "== dpkg -i $DEB into $ROOT"
    dpkg --root="$ROOT" --force-not-root --force-depends --force-script-chrootless --log=/dev/null -i "$DEB"
    dpkg --root="$ROOT" -s nibi-desk | grep -q '^Status: install ok installed'
    for f in usr/bin/nibi-desk usr/bin/nibi usr/share/applications/nibi-desk.desktop \
             usr/share/mime/packages/nibi-desk.xml usr/share/icons/hicolor/scalable/apps/nibi-desk.svg \
             usr/share/icons/hicolor/256x256/apps/nibi-desk.png opt/nibi-desk/nibi-desk; do
      [ -e "$ROOT/$f" ] || { echo "missing in the package: /$f" >&2; exit 1; }
    done
    if command -v desktop-file-validate >/dev/null; then desktop-file-validate "$ROOT/usr/share/applications/nibi-desk.desktop"; fi
    if command -v update-mime-database >/dev/null; then
      mkdir -p "$WORK/mime/packages" && cp "$ROOT/usr/share/mime/packages/nibi-desk.xml" "$WORK/mime/packages/"
      update-mime-database "$WORK/mime" && grep -q 'application/x-nibi-registry' "$WORK/mime/globs2"
    fi
    # Informational: which Depends this machine lacks (a throwaway root has none of them installed).
    dpkg-deb -f "$DEB" Depends | tr -d '\n' | tr ',' '\n' | while read -r group; do
      found=no
      for alt in $(echo "$group" | sed 's/([^)]*)//g' | tr '|' ' '); do
        dpkg-query -W -f='${Status}' "$alt" 2>/dev/null | grep -q "install ok installed" && found=yes
      done
      [ $found = yes ] || echo "note: Depends '$group' is not installed on this machine"
    done
    NIBI=$ROOT/usr/bin/nibi
    DESK=$ROOT/usr/bin/nibi-desk
    ;;
  *) echo "unknown mode $MODE" >&2; exit 2 ;;
esac

cd "$WORK"   # nothing may depend on the checkout
echo "== $NIBI --version"; "$NIBI" --version
echo "== nibi demo --check"; "$NIBI" --lang en demo --check
echo "== nibi-desk --smoke (demo scale $SCALE)"
"$DESK" --smoke "$OUT" --scale "$SCALE" 2> "$WORK/smoke.stderr" || { tail -40 "$WORK/smoke.stderr" >&2; exit 1; }
[ -s "$OUT/main-window.png" ] && [ -s "$OUT/map.png" ] && head -c 4 "$OUT/map.pdf" | grep -q '%PDF'
if [ "$MODE" = frozen ]; then
  echo "== nibi map page / snapshot"
  "$NIBI" --lang en map page --out "$OUT/page"
  "$NIBI" --lang en map snapshot --bbox 111.60,32.30,111.75,32.45 --out "$OUT/snapshot.png"
  grep -Eqi 'src="https?://|href="https?://' "$OUT/page/index.html" && { echo "the map page links the network" >&2; exit 1; }
fi
if "$NIBI" report --help >/dev/null 2>&1; then
  echo "== nibi report summary (a PDF report of the demo county)"
  "$NIBI" --lang en report summary "$(date +%Y)" --out "$OUT/summary-report.pdf"
  head -c 4 "$OUT/summary-report.pdf" | grep -q '%PDF'
else
  echo "== nibi report: not in this build (the map page PDF above stands in for a report)"
fi
if [ "$MODE" = deb ]; then
  echo "== dpkg -r"
  dpkg --root="$ROOT" --force-not-root --force-script-chrootless --log=/dev/null -r nibi-desk
  [ ! -e "$ROOT/opt/nibi-desk/nibi-desk" ] && [ ! -e "$ROOT/usr/bin/nibi-desk" ]
fi
ls -la "$OUT"
if [ -n "${NIBI_SMOKE_KEEP:-}" ]; then
  echo "SMOKE $MODE PASSED (kept: $WORK)"
else
  rm -rf "$WORK"   # ~100 MB: the full demo registry, its backup, the screenshots
  echo "SMOKE $MODE PASSED (set NIBI_SMOKE_KEEP=1 to keep $WORK)"
fi
