"""Asset tag sheets: QR code, code, name, BeiDou grid code on A4 label stock, to stick on poles and cabinets.

Layouts are named after the sheet (columns × rows) and match common A4 label stock; the QR code takes the label's
full height so that it scans from arm's length. Label sheets carry no header or footer (they would print on the
labels); cut marks are drawn only on edge-to-edge stock.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from nibi_desk import __version__
from nibi_desk.errors import ValidationError, Where
from nibi_desk.i18n import N_, _
from nibi_desk.reports import data, glyphs, qr
from nibi_desk.reports.furniture import FONT, INK, MUTED, ReportCancelled, ReportOptions, register_fonts, text_width
from nibi_desk.reports.streaming import StreamingCanvas


@dataclass(frozen=True)
class Layout:
    key: str
    title: str
    columns: int
    rows: int
    width: float
    height: float
    left: float
    top: float
    gap_x: float = 0.0
    gap_y: float = 0.0
    cut_marks: bool = False

    @property
    def per_sheet(self) -> int:
        return self.columns * self.rows


LAYOUTS = {l.key: l for l in (
    Layout("3x7", N_("21 labels 63.5 × 38.1 mm (3 × 7, e.g. L7160)"), 3, 7, 63.5 * mm, 38.1 * mm, 7.2 * mm,
           15.1 * mm, 2.5 * mm, 0),
    Layout("3x8", N_("24 labels 70 × 37 mm (3 × 8, edge to edge)"), 3, 8, 70 * mm, 37 * mm, 0, 0.5 * mm, 0, 0,
           True),
    Layout("2x7", N_("14 labels 99.1 × 38.1 mm (2 × 7, e.g. L7163)"), 2, 7, 99.1 * mm, 38.1 * mm, 4.7 * mm,
           15.1 * mm, 2.5 * mm, 0),
    Layout("2x4", N_("8 labels 99.1 × 67.7 mm (2 × 4, e.g. L7165) for cabinets"), 2, 4, 99.1 * mm, 67.7 * mm,
           4.7 * mm, 13.1 * mm, 2.5 * mm, 0),
)}
DEFAULT_LAYOUT = "3x7"


def check_layout(key: str) -> Layout:
    if key not in LAYOUTS:
        raise ValidationError("Unknown label layout {layout}; choose one of {choices}", where=Where(field="layout"),
                              layout=key, choices=", ".join(LAYOUTS))
    return LAYOUTS[key]


def _wrap(text: str, size: float, width: float, lines: int) -> list[str]:
    """Break ``text`` into at most ``lines`` lines of ``width`` points (CJK: anywhere), the last one ellipsised."""
    out, current = [], ""
    for ch in text:
        if text_width(current + ch, size) <= width:
            current += ch
            continue
        out.append(current)
        current = ch
        if len(out) == lines:
            break
    else:
        if current:
            out.append(current)
        return out
    last = out[-1]
    while last and text_width(last + "…", size) > width:
        last = last[:-1]
    out[-1] = last + "…"
    return out


def _fit(text: str, size: float, width: float, smallest: float = 5.5) -> float:
    while size > smallest and text_width(text, size) > width:
        size -= 0.25
    return size


def _fitted(text: str, size: float, width: float, smallest: float = 5.0) -> list[tuple[str, float]]:
    """``text`` on one line, made smaller down to ``smallest`` if needed; else broken over two lines at ``size``
    (at a space when there is one, so "网格码" and the code part whole). Never wider than ``width``."""
    fitted = _fit(text, size, width, smallest)
    if text_width(text, fitted) <= width:
        return [(text, fitted)]
    head, _sep, tail = text.partition(" ")
    if tail and text_width(head, size) <= width:
        tail_size = _fit(tail, size, width, smallest)
        if text_width(tail, tail_size) <= width:
            return [(head, size), (tail, tail_size)]
    return [(part, size) for part in _wrap(text, size, width, 2)]


def draw_label(canv, asset: dict, x: float, y: float, layout: Layout, heading: str = "") -> None:
    """One label with its lower-left corner at (x, y); every line fits inside the label (the issuing unit and a
    long grid code are made smaller or broken, a long name is cut with "…")."""
    w, h = layout.width, layout.height
    pad = 2.2 * mm
    qr_size = h - 2 * pad
    big = h > 50 * mm
    if big:
        qr_size = min(qr_size, w * 0.48)
    payload = qr.payload(asset)
    qr.draw(canv, payload, x + pad, y + (h - qr_size) / 2, qr_size, quiet_zone=True)
    tx = x + pad + qr_size + 1.2 * mm
    tw = x + w - pad - tx
    top = y + h - pad
    code = asset.get("code") or _("no code")
    lines: list[tuple[str, float, object]] = []
    if heading:
        lines += [(t, size, MUTED) for t, size in _fitted(heading, 5.8 if not big else 7.5, tw, 5.4)]
    lines += [(t, size, INK) for t, size in _fitted(code, 9.5 if not big else 12, tw)]
    name_size = 8 if not big else 10.5
    lines += [(part, name_size, INK) for part in _wrap(asset["name"], name_size, tw, 2 if not big else 3)]
    grid_code = asset.get("grid_code") or ""
    if grid_code:
        # Shrunk only a little, else on two lines: labels of one sheet look alike and the code stays legible.
        lines += [(t, size, INK) for t, size in _fitted(_("Grid {code}").format(code=grid_code),
                                                         6.3 if not big else 8, tw, 5.8 if not big else 7.2)]
    if asset.get("township") and big:
        lines.append((asset["township"], 8, MUTED))
    canv.saveState()
    cursor = top
    for text, size, colour in lines:
        if cursor - size * 1.22 < y + pad * 0.5:
            break  # nothing is printed past the label's bottom edge
        cursor -= size * 1.22
        canv.setFont(FONT, size)
        canv.setFillColor(colour)
        canv.drawString(tx, cursor, glyphs.check(text))
    canv.restoreState()


def label_origin(layout: Layout, index: int, page_h: float = A4[1]) -> tuple[float, float]:
    col, row = index % layout.columns, index // layout.columns
    x = layout.left + col * (layout.width + layout.gap_x)
    y = page_h - layout.top - (row + 1) * layout.height - row * layout.gap_y
    return x, y


def _cut_marks(canv, layout: Layout) -> None:
    canv.saveState()
    canv.setStrokeColor(colors.HexColor("#BBBBBB"))
    canv.setLineWidth(0.3)
    for col in range(layout.columns + 1):
        x = layout.left + col * layout.width
        canv.line(x, A4[1] - 0.2 * mm, x, A4[1] - layout.top + 0.2 * mm)
    canv.restoreState()


def write_tags(registry, out, asset_ids: Iterable[str] | None = None, township: str | None = None,
               types: Iterable[str] | None = None, layout: str = DEFAULT_LAYOUT,
               options: ReportOptions | None = None, skip: int = 0, outline: bool = False,
               progress: Callable[[int], None] | None = None, cancelled: Callable[[], bool] | None = None) -> int:
    """Write tag sheets for the given assets (ids or codes), or for a township / types, to ``out``. ``skip``
    leaves that many labels empty on the first sheet (a part-used sheet); ``outline`` draws each label's border
    (for plain paper). Returns the number of pages."""
    options = options or ReportOptions()
    sheet = check_layout(layout)
    register_fonts()
    conn = registry.read()
    assets = data.tag_assets(conn, asset_ids, township, types)
    heading = options.issuing_unit
    path_out = None
    if not hasattr(out, "write"):
        from pathlib import Path

        path_out = Path(out)
        path_out.parent.mkdir(parents=True, exist_ok=True)
        target = path_out.with_name(f".{path_out.name}.part")
    else:
        target = out
    canv = StreamingCanvas(target if path_out is None else str(target), pagesize=A4, initialFontName=FONT,
                           pageCompression=1)
    title = _("Asset tags")
    canv.setTitle(title)
    canv.setAuthor(options.author or options.issuing_unit or "NIBI Desk")
    canv.setSubject(_(sheet.title))
    canv.setCreator(f"NIBI Desk {__version__}")
    pages, index, count = 0, max(0, int(skip)) % sheet.per_sheet, 0
    try:
        for asset in assets:
            if cancelled is not None and cancelled():
                raise ReportCancelled()
            if index == 0 and count:
                canv.showPage()
            if index == 0 or count == 0:
                pages += 1
                if sheet.cut_marks:
                    _cut_marks(canv, sheet)
            x, y = label_origin(sheet, index)
            if outline:
                canv.saveState()
                canv.setStrokeColor(colors.HexColor("#CCCCCC"))
                canv.setLineWidth(0.3)
                canv.roundRect(x, y, sheet.width, sheet.height, 2 * mm)
                canv.restoreState()
            draw_label(canv, asset, x, y, sheet, heading)
            count += 1
            index = (index + 1) % sheet.per_sheet
            if progress is not None:
                progress(count)
        if count == 0:
            raise ValidationError("No assets to print tags for", where=Where(field="assets"))
        canv.showPage()
        canv.save()
        if path_out is not None:
            target.replace(path_out)
    except BaseException:
        if path_out is not None:
            target.unlink(missing_ok=True)
        raise
    return pages
