"""Shared page furniture of every printed document: the embedded CJK font, styles, options, page template with
header and "第 x 页 共 y 页" footer, sections with bookmarks, metadata, and the streaming build.

One PDF may hold several documents (a batch of inspection reports): each is a *section* with its own title,
document number and page count. The total "共 y 页" of a section is a form XObject referenced on each of its
pages and defined when the file is saved, so pages are written as they are laid out (no second pass).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph, Table, TableStyle
from reportlab.platypus.doctemplate import PageBegin, PageBreakIfNotEmpty, NextPageTemplate

from nibi_desk import __version__, paths
from nibi_desk.errors import NibiError, ResourceMissing
from nibi_desk.i18n import N_, _
from nibi_desk.reports import glyphs
from nibi_desk.reports.glyphs import CheckedTTFont
from nibi_desk.reports.paracache import CachedParagraph
from nibi_desk.reports.streaming import StreamingCanvas

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


# -- sections and the canvas ---------------------------------------------------------------------------------------
@dataclass
class Section:
    """One document inside a PDF: what its running header and footer print, and its bookmark."""

    title: str
    doc_number: str = ""
    bookmark: str | None = None        # outline entry (None: no bookmark)
    index: int = 0
    pages: int = 0


class SectionStart(Flowable):
    """Zero-size flowable that opens a section at the top of a page (bookmark, header and page count)."""

    def __init__(self, section: Section):
        super().__init__()
        self.section = section
        self.width = self.height = 0

    def wrap(self, aw, ah):
        return 0, 0

    def draw(self):
        self.canv.begin_section(self.section)


class ReportCanvas(StreamingCanvas):
    """Streams to disk, counts pages per section and defines each section's page total when saved."""

    def __init__(self, *args, options: ReportOptions | None = None, **kwargs):
        kwargs.setdefault("initialFontName", register_fonts())
        super().__init__(*args, **kwargs)
        self.options = options or ReportOptions()
        self.sections: list[Section] = []
        self.section: Section | None = None
        self.total_pages = 0

    def begin_section(self, section: Section) -> None:
        section.index = len(self.sections)
        self.sections.append(section)
        self.section = section
        if section.bookmark:
            key = f"s{section.index}"
            self.bookmarkPage(key)
            glyphs.check(section.bookmark)
            self.addOutlineEntry(section.bookmark, key, level=0, closed=True)

    def page_total_form(self, section: Section) -> str:
        return f"nibi-pages-{section.index}"

    def save(self) -> None:
        for section in self.sections:
            self.beginForm(self.page_total_form(section), 0, -4, 120, 14)
            self.setFont(FONT, 8.5)
            self.setFillColor(INK)
            self.drawString(0, 0, spaced(_("of {total} pages").format(total=section.pages)))
            self.endForm()
        super().save()


def spaced(text: str) -> str:
    """Double the spaces of a CJK text: pdftotext drops single spaces between CJK characters and digits."""
    return text if text.isascii() else text.replace(" ", "  ")


def draw_furniture(canv: ReportCanvas, doc: BaseDocTemplate) -> None:
    """Running header (issuing unit, document number) and footer (第 x 页 共 y 页, print time) of one page."""
    section = canv.section or Section(doc.title or "")
    section.pages += 1
    canv.total_pages += 1
    options = canv.options
    width, height = canv._pagesize
    canv.saveState()
    top = height - MARGIN + 4 * mm
    canv.setFont(FONT, 8.5)
    canv.setFillColor(MUTED)
    if options.issuing_unit:
        canv.drawString(MARGIN, top, glyphs.check(options.issuing_unit))
    if section.doc_number:
        canv.drawRightString(width - MARGIN, top, glyphs.check(_("No. {number}").format(number=section.doc_number)))
    canv.setStrokeColor(RULE)
    canv.setLineWidth(0.6)
    canv.line(MARGIN, top - 2.5 * mm, width - MARGIN, top - 2.5 * mm)
    # Footer: "第 x 页" ends just left of the centre, "共 y 页" (a form defined when saving) starts just right.
    # Spaces are doubled so that pdftotext keeps them between CJK characters.
    bottom = MARGIN - 7 * mm
    canv.line(MARGIN, bottom + 4.2 * mm, width - MARGIN, bottom + 4.2 * mm)
    canv.setFont(FONT, 8.5)
    canv.setFillColor(INK)
    canv.drawRightString(width / 2 - 2, bottom, spaced(_("Page {page}").format(page=section.pages)))
    canv.saveState()
    canv.translate(width / 2 + 4, bottom)
    canv.doForm(canv.page_total_form(section))
    canv.restoreState()
    canv.setFont(FONT, 7)
    canv.setFillColor(MUTED)
    canv.drawString(MARGIN, bottom, glyphs.check(section.title))
    canv.drawRightString(width - MARGIN, bottom, _("Printed {time} by NIBI Desk {version}").format(
        time=options.generated_at.strftime("%Y-%m-%d %H:%M"), version=__version__))
    canv.restoreState()


class ReportDoc(BaseDocTemplate):
    """A4 document (portrait or landscape) with the furniture on every page, built from a stream of sections."""

    def __init__(self, out, options: ReportOptions, title: str, subject: str = "", keywords: str = "",
                 orientation: str = "portrait", **kw):
        register_fonts()
        pagesize = landscape(A4) if orientation == "landscape" else A4
        self.options = options
        author = options.author or options.issuing_unit or "NIBI Desk"
        super().__init__(out, pagesize=pagesize, title=title, author=author, subject=subject,
                         creator=f"NIBI Desk {__version__}", keywords=keywords, leftMargin=MARGIN,
                         rightMargin=MARGIN, topMargin=MARGIN + 2 * mm, bottomMargin=MARGIN,
                         initialFontName=FONT, pageCompression=1, **kw)
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPageEnd=draw_furniture,
                                            pagesize=pagesize)])

    def canvas_maker(self, *args, **kwargs) -> ReportCanvas:
        return ReportCanvas(*args, options=self.options, **kwargs)

    def build_stream(self, parts: Iterable[list[Flowable]], cancelled: Callable[[], bool] | None = None) -> int:
        """Lay out flowables part by part (each part is made only when the previous one is on the page, so a
        long batch never holds more than one document's flowables) and save; returns the page count."""
        self._startBuild(None, self.canvas_maker)
        canv = self.canv
        canv._doctemplate = self
        for flowables in parts:
            if cancelled is not None and cancelled():
                raise ReportCancelled()
            flowables = list(flowables)
            while flowables:
                if self._hanging and self._hanging[-1] is PageBegin and isinstance(flowables[0],
                                                                                   PageBreakIfNotEmpty):
                    del flowables[0]
                    continue
                self.clean_hanging()
                self.handle_flowable(flowables)
        self._endBuild()
        return canv.total_pages


def write(out, options: ReportOptions, title: str, parts: Iterable[list[Flowable]], subject: str = "",
          keywords: str = "", orientation: str = "portrait", cancelled: Callable[[], bool] | None = None) -> int:
    """Write a PDF to ``out`` (a path, written via a temporary file and renamed; or a binary file object).
    Returns the number of pages. A failure or cancellation leaves no partial file at the path."""
    glyphs.check(title)
    if hasattr(out, "write"):
        return ReportDoc(out, options, title, subject, keywords, orientation).build_stream(parts, cancelled)
    target = Path(out)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.part")
    try:
        with open(tmp, "wb") as f:
            pages = ReportDoc(f, options, title, subject, keywords, orientation).build_stream(parts, cancelled)
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return pages


def section_parts(sections: Iterable[tuple[Section, Callable[[], list[Flowable]]]]) -> Iterator[list[Flowable]]:
    """Parts for :meth:`ReportDoc.build_stream`: each section on new pages, opened by its SectionStart."""
    from reportlab.platypus import PageBreak

    first = True
    for section, make in sections:
        flowables = [] if first else [PageBreak()]
        flowables.append(SectionStart(section))
        flowables.extend(make())
        first = False
        yield flowables


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


__all__ = ["FONT", "ReportOptions", "Styles", "styles", "para", "grid_table", "kv_table", "Section", "SectionStart",
           "ReportCanvas", "ReportDoc", "write", "section_parts", "register_fonts", "ReportCancelled",
           "rag_colours", "text_width", "NextPageTemplate"]
