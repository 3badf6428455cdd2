"""QR codes of asset codes, drawn as vector squares (sharp at any print resolution, a few hundred bytes each).

What a tag encodes: the asset's business code when it has one (site code, pole code, GB/T 28181 device ID: what
a field worker's scanner or the video platform looks up), else ``nibi:asset:<uuid>``. Error correction M (15 %)
survives scratches and dirt on a tag outdoors; the four-module quiet zone the standard requires is kept.
"""

from __future__ import annotations

from functools import lru_cache

import segno
from reportlab.lib import colors
from reportlab.platypus import Flowable

QUIET_ZONE = 4  # modules of white border (ISO/IEC 18004)
UUID_SCHEME = "nibi:asset:"


def payload(asset: dict) -> str:
    """What an asset's QR code says: its code, or its UUID with the ``nibi:asset:`` scheme."""
    code = (asset.get("code") or "").strip()
    return code or f"{UUID_SCHEME}{asset['id']}"


@lru_cache(maxsize=4096)
def matrix(text: str, error: str = "m") -> tuple[tuple[bool, ...], ...]:
    """The module matrix (True = dark) without quiet zone."""
    code = segno.make_qr(text, error=error, boost_error=False)
    return tuple(tuple(bool(v) for v in row) for row in code.matrix)


def draw(canv, text: str, x: float, y: float, size: float, quiet_zone: bool = True) -> None:
    """Draw the QR code of ``text`` with its lower-left corner at (x, y) in a square of ``size`` points."""
    rows = matrix(text)
    n = len(rows) + (2 * QUIET_ZONE if quiet_zone else 0)
    module = size / n
    offset = QUIET_ZONE if quiet_zone else 0
    canv.saveState()
    canv.setFillColor(colors.white)
    canv.rect(x, y, size, size, stroke=0, fill=1)
    canv.setFillColor(colors.black)
    path = canv.beginPath()
    for r, row in enumerate(rows):
        c = 0
        while c < len(row):  # one rectangle per run of dark modules: fewer path elements, no hairline seams
            if row[c]:
                start = c
                while c < len(row) and row[c]:
                    c += 1
                path.rect(x + (offset + start) * module, y + size - (offset + r + 1) * module,
                          (c - start) * module, module)
            else:
                c += 1
    canv.drawPath(path, stroke=0, fill=1)
    canv.restoreState()


class QRFlowable(Flowable):
    """A QR code as a square flowable of ``size`` points (quiet zone included)."""

    def __init__(self, text: str, size: float):
        super().__init__()
        self.text, self.size = text, size
        self.width = self.height = size

    def wrap(self, aw, ah):
        return self.size, self.size

    def draw(self):
        draw(self.canv, self.text, 0, 0, self.size)
