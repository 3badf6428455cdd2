"""The document around the pages: A4 template with the running header and the "第 x 页 共 y 页" footer, sections
with bookmarks, PDF metadata, and the streaming build (:func:`write`).

One PDF may hold several documents (a batch of inspection reports): each is a *section* with its own title,
document number and page count. The total "共 y 页" of a section is a form XObject referenced on each of its
pages and defined when the file is saved, so pages are written as they are laid out (no second pass).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate
from reportlab.platypus.doctemplate import PageBegin, PageBreakIfNotEmpty

from nibi_desk import __version__
from nibi_desk.i18n import _
from nibi_desk.reports import glyphs
from nibi_desk.reports.furniture import FONT, INK, MARGIN, MUTED, RULE, ReportCancelled, ReportOptions, register_fonts
from nibi_desk.reports.streaming import StreamingCanvas


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


__all__ = ["Section", "SectionStart", "ReportCanvas", "ReportDoc", "draw_furniture", "section_parts", "spaced", "write"]
