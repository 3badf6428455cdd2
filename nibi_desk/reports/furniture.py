"""Shared furniture of every printed document: the embedded CJK font, colours, styles, options, paragraphs and
tables. The page template, sections and the streaming build are in :mod:`.document`.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle
from reportlab.platypus.doctemplate import NextPageTemplate

from nibi_desk import paths
from nibi_desk.errors import NibiError, ResourceMissing
from nibi_desk.i18n import N_
from nibi_desk.reports import glyphs
from nibi_desk.reports.glyphs import CheckedTTFont
from nibi_desk.reports.paracache import CachedParagraph

FONT = "NibiCJK"
FONT_FILE = "wqy-microhei.ttc"
INK = colors.HexColor("#1F2937")
MUTED = colors.HexColor("#6B7280")
RULE = colors.HexColor("#9CA3AF")
ACCENT = colors.HexColor("#1E3A8A")
HEADER_RED = colors.HexColor("#C00000")
SHADE = colors.HexColor("#E8EEF5")
GREEN, AMBER, RED = colors.HexColor("#16A34A"), colors.HexColor("#D97706"), colors.HexColor("#DC2626")
GREEN_BG, AMBER_BG, RED_BG = colors.HexColor("#DCFCE7"), colors.HexColor("#FEF3C7"), colors.HexColor("#FEE2E2")
MARGIN = 18 * mm
HEADER_H = 14 * mm
FOOTER_H = 12 * mm

# reportlab's list of characters that must not start a line lacks the full-width Chinese punctuation, so a line of
# a paragraph could begin with "，". Added once: such a character then hangs at the end of the previous line.
_NO_LINE_START = "，。、；：！？）》」』】〕〉”’…％"


def _kinsoku() -> None:
    from reportlab.lib import textsplit
    from reportlab.platypus import paragraph

    for module in (paragraph, textsplit):
        missing = "".join(ch for ch in _NO_LINE_START if ch not in module.ALL_CANNOT_START)
        module.ALL_CANNOT_START += missing


_kinsoku()

E_FONT = N_("The report font {path} is missing")
E_CANCELLED = N_("Report generation was cancelled")

_lock = threading.Lock()
_registered = False


class ReportCancelled(NibiError):
    """The user stopped a long report; the partial file is removed."""

    template = E_CANCELLED


def register_fonts() -> str:
    """Register the bundled WenQuanYi Micro Hei (face 0 of the TTC, TrueType outlines: embeddable as a subset)."""
    global _registered
    if _registered:
        return FONT
    with _lock:
        if not _registered:
            path = paths.resources_dir() / "fonts" / FONT_FILE
            if not path.is_file():
                raise ResourceMissing(E_FONT, path=str(path))
            pdfmetrics.registerFont(CheckedTTFont(FONT, str(path), subfontIndex=0))
            # One face serves every style: <b> in a paragraph must not fall back to a Latin-only font.
            pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT, italic=FONT, boldItalic=FONT)
            # Table cells without a FONT command (empty layout cells) would select Helvetica: a Latin-only font
            # that is not embedded. Every table of ours is in the report font.
            from reportlab.platypus import tables

            tables.CellStyle.fontname = FONT
            _registered = True
    return FONT


def char_map() -> dict[int, int]:
    register_fonts()
    return pdfmetrics.getFont(FONT).face.charToGlyph


def text_width(text: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, register_fonts(), size)


# -- options -------------------------------------------------------------------------------------------------------
@dataclass
class ReportOptions:
    """What the documents need from outside the registry. The GUI fills it from its settings
    (report_issuing_unit, report_header, report_doc_prefix); the CLI from --issuing-unit, --doc-prefix."""

    issuing_unit: str = ""
    header: str = ""                   # banner line above the title (e.g. the office's full name); optional
    doc_prefix: str = "NIBI"
    author: str = ""                   # metadata Author; defaults to the issuing unit
    basemap: Any = None                # an open nibi_desk.maps.mbtiles.MBTiles for map snapshots, or None
    photo_max_px: int = 1000           # long side of printed photos (306 dpi in an 83 mm box); larger ones are
                                       # downscaled once and cached
    cache_dir: Path | None = None      # default: <registry>.photos/reports
    today: date | None = None          # "as of" date for overdue and ages (default: today)
    map_radius_m: float = 150.0
    generated_at: datetime = field(default_factory=lambda: datetime.now().astimezone())

    @property
    def as_of(self) -> date:
        return self.today or date.today()

    def doc_number(self, kind: str, day: date | str | None, record_id: str | None = None) -> str:
        """``PREFIX-KIND-YYYYMMDD-XXXXXX``: the prefix from the settings, the document kind, the record's date and
        the end of its UUID (random bits of a UUIDv7, so two records of one day differ)."""
        text = day.isoformat() if isinstance(day, date) else (day or "")[:10]
        parts = [p for p in (self.doc_prefix.strip(), kind, text.replace("-", "")) if p]
        if record_id:
            parts.append(record_id.replace("-", "")[-6:].upper())
        return "-".join(parts)


# -- styles --------------------------------------------------------------------------------------------------------
class Styles:
    """Paragraph styles, all in the CJK font with CJK line breaking."""

    def __init__(self):
        font = register_fonts()

        def style(name, size, leading=None, **kw):
            kw.setdefault("textColor", INK)
            return ParagraphStyle(name, fontName=font, fontSize=size, leading=leading or size * 1.4,
                                  wordWrap="CJK", **kw)

        self.banner = style("banner", 20, 26, alignment=TA_CENTER, textColor=HEADER_RED, spaceAfter=2)
        self.title = style("title", 17, 24, alignment=TA_CENTER, spaceBefore=2, spaceAfter=4)
        self.subtitle = style("subtitle", 9.5, 13, alignment=TA_CENTER, textColor=MUTED, spaceAfter=6)
        self.h2 = style("h2", 11.5, 16, textColor=ACCENT, spaceBefore=9, spaceAfter=4)
        self.body = style("body", 9.5, 14)
        self.small = style("small", 8, 10.5, textColor=MUTED)
        self.cell = style("cell", 8.5, 11.2)
        self.cell_c = style("cell_c", 8.5, 11.2, alignment=TA_CENTER)
        self.cell_r = style("cell_r", 8.5, 11.2, alignment=TA_RIGHT)
        self.cell_h = style("cell_h", 8.5, 11.2, alignment=TA_CENTER, textColor=ACCENT)
        self.label = style("label", 8.5, 11.2, textColor=MUTED)
        self.caption = style("caption", 7.2, 9.2, textColor=MUTED)
        self.left = TA_LEFT


_styles: Styles | None = None


def styles() -> Styles:
    global _styles
    if _styles is None:
        _styles = Styles()
    return _styles


def para(text: Any, style: ParagraphStyle | None = None, markup: bool = False) -> Paragraph:
    """A paragraph of plain text (escaped; line breaks kept), glyph-checked as a whole so that an error names it.
    Parsed and broken into lines once per text, style and width (:mod:`.paracache`)."""
    text = "" if text is None else str(text)
    body = text if markup else escape(text).replace("\n", "<br/>")
    return CachedParagraph(body, style or styles().body, checked=lambda _body: glyphs.check(text))


def grid_table(rows: list[list], widths: list[float], header_rows: int = 1, zebra: bool = False,
               extra: Iterable[tuple] = (), repeat: bool = True) -> Table:
    """A ruled table with a shaded header row that repeats on each page."""
    table = Table(rows, colWidths=widths, repeatRows=header_rows if repeat else 0)
    commands = [
        ("FONT", (0, 0), (-1, -1), FONT, 8.5),
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3.5),
    ]
    if header_rows:
        commands.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), SHADE))
    if zebra:
        for r in range(header_rows + 1, len(rows), 2):
            commands.append(("BACKGROUND", (0, r), (-1, r), colors.HexColor("#F7F9FB")))
    table.setStyle(TableStyle(commands + list(extra)))
    return table


def rag_colours(state: str | None) -> tuple:
    """(text colour, background) of a red/amber/green state (None: no target)."""
    return {"green": (GREEN, GREEN_BG), "amber": (AMBER, AMBER_BG), "red": (RED, RED_BG)}.get(
        state, (INK, None))


def kv_table(pairs: list[tuple[str, Any]], widths: list[float], columns: int = 2) -> Table:
    """A label/value card: ``columns`` pairs per row, labels muted."""
    s = styles()
    rows, row = [], []
    for label, value in pairs:
        row += [para(label, s.label), value if isinstance(value, Flowable) else para(value if value not in (
            None, "") else "—", s.cell)]
        if len(row) == 2 * columns:
            rows.append(row)
            row = []
    if row:
        rows.append(row + [""] * (2 * columns - len(row)))
    table = Table(rows, colWidths=widths)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ("LEFTPADDING", (0, 0), (-1, -1), 3.5),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3.5),
        *[("BACKGROUND", (c, 0), (c, -1), colors.HexColor("#F3F5F8")) for c in range(0, 2 * columns, 2)],
    ]))
    return table


__all__ = ["FONT", "ReportOptions", "Styles", "styles", "para", "grid_table", "kv_table", "register_fonts",
           "ReportCancelled", "rag_colours", "text_width", "NextPageTemplate"]
