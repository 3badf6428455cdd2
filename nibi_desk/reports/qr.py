"""QR codes of asset codes, drawn as vector squares (sharp at any print resolution, a few hundred bytes each).

What a tag encodes: the asset's business code when it has one (site code, pole code, GB/T 28181 device ID: what
a field worker's scanner or the video platform looks up), else ``nibi:asset:<uuid>``. Error correction M (15 %)
survives scratches and dirt on a tag outdoors; the four-module quiet zone the standard requires is kept.
"""

from __future__ import annotations

import hashlib
import io
import json
from functools import lru_cache
from pathlib import Path

import segno
from PIL import Image, PngImagePlugin
from reportlab.lib import colors
from reportlab.platypus import Flowable

QUIET_ZONE = 4  # modules of white border (ISO/IEC 18004)
UUID_SCHEME = "nibi:asset:"
STORE_KEY = "nibi-qr"    # the PNG text entry of a stored matrix: which text, error level and segno made it


def payload(asset: dict) -> str:
    """What an asset's QR code says: its code, or its UUID with the ``nibi:asset:`` scheme."""
    code = (asset.get("code") or "").strip()
    return code or f"{UUID_SCHEME}{asset['id']}"


@lru_cache(maxsize=4096)
def matrix(text: str, error: str = "m") -> tuple[tuple[bool, ...], ...]:
    """The module matrix (True = dark) without quiet zone."""
    code = segno.make_qr(text, error=error, boost_error=False)
    return tuple(tuple(bool(v) for v in row) for row in code.matrix)


def stored_matrix(text: str, folder: Path, tmp_dir: Path | None = None, error: str = "m") -> tuple:
    """:func:`matrix`, kept in ``folder`` between runs as a PNG of one pixel per module (black = dark) that names
    its text: segno tries all eight masks in pure Python (some 3 ms a code) and a batch printed again draws the
    same codes. A file that is unreadable or not this text's code (another segno may choose another mask) is made
    again."""
    key = hashlib.sha256(repr((text, error)).encode("utf-8")).hexdigest()[:24]
    path = Path(folder) / f"{key}.png"
    made_by = json.dumps({"text": text, "error": error, "segno": segno.__version__}, ensure_ascii=False)
    try:
        with Image.open(path) as im:
            im.load()
            n = im.width
            if (im.text.get(STORE_KEY) == made_by and im.mode == "1" and im.height == n and n >= 21
                    and (n - 17) % 4 == 0):
                pixels = im.convert("L").tobytes()
                return tuple(tuple(v == 0 for v in pixels[r * n:(r + 1) * n]) for r in range(n))
    except (OSError, ValueError, SyntaxError):
        pass
    rows = matrix(text, error)
    n = len(rows)
    im = Image.new("1", (n, n), 1)
    im.putdata([0 if dark else 1 for row in rows for dark in row])
    info = PngImagePlugin.PngInfo()
    info.add_itxt(STORE_KEY, made_by)
    out = io.BytesIO()
    im.save(out, "PNG", pnginfo=info)
    try:
        from nibi_desk.photos.thumbs import write_atomic

        write_atomic(path, out.getvalue(), tmp_dir)
    except OSError:  # a read-only cache costs time, never the report
        pass
    return rows


def draw(canv, text: str, x: float, y: float, size: float, quiet_zone: bool = True,
         rows: tuple | None = None) -> None:
    """Draw the QR code of ``text`` with its lower-left corner at (x, y) in a square of ``size`` points (``rows``:
    its :func:`matrix`, when already known)."""
    rows = rows or matrix(text)
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
    """A QR code as a square flowable of ``size`` points (quiet zone included); its matrix kept in ``store`` (see
    :func:`stored_matrix`) when given."""

    def __init__(self, text: str, size: float, store: Path | None = None, tmp_dir: Path | None = None):
        super().__init__()
        self.text, self.size, self.store, self.tmp_dir = text, size, store, tmp_dir
        self.width = self.height = size

    def wrap(self, aw, ah):
        return self.size, self.size

    def draw(self):
        rows = stored_matrix(self.text, self.store, self.tmp_dir) if self.store is not None else None
        draw(self.canv, self.text, 0, 0, self.size, rows=rows)
