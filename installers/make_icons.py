"""Render resources/icons/nibi-desk.svg into the PNG sizes and the Windows .ico the installers need (build/icons/).

    .venv/bin/python installers/make_icons.py [OUT_DIR]

Uses Qt's SVG renderer (offscreen) and Pillow for the multi-size .ico; run by `make dist`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "nibi-desk.svg"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def main(argv: list[str]) -> int:
    out = Path(argv[0]) if argv else ROOT / "build" / "icons"
    out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 (Qt needs one for painting)
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SVG}")
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        image.save(str(out / f"nibi-desk-{size}.png"))
    (out / "nibi-desk.png").write_bytes((out / "nibi-desk-256.png").read_bytes())
    Image.open(out / "nibi-desk-256.png").save(out / "nibi-desk.ico", sizes=[(s, s) for s in SIZES])
    print(f"icons in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
