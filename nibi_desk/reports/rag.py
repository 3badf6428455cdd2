"""Red/amber/green judgements that also read on a black-and-white printout: a shape and a word for each state.

Colour alone (a pale cell background, a bar's fill) is lost on the office's black-and-white printer, so every judged
value carries its state's shape (● met, ▲ close, ■ missed) in the state's colour, and state columns say it in
words. The shapes are in the bundled font (the report tests check it).
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import getAscentDescent
from reportlab.platypus import Paragraph

from nibi_desk.i18n import N_, _
from nibi_desk.reports import glyphs
from nibi_desk.reports.furniture import para, rag_colours

MARKS = {"green": "●", "amber": "▲", "red": "■"}
SCALE = {"green": 1.35, "amber": 1.7, "red": 1.35}  # the font's ▲ is smaller than its ● and ■
TITLES = {"green": N_("met"), "amber": N_("close"), "red": N_("missed")}


def hex_colour(colour) -> str:
    return "#%02X%02X%02X" % tuple(int(round(c * 255)) for c in (colour.red, colour.green, colour.blue))


def mark(state: str | None) -> str:
    """The state's shape, or "" when nothing was judged."""
    return MARKS.get(state, "")


def _mark_markup(state: str, size: float) -> str:
    # The font's geometric shapes are small next to its characters: drawn larger than the text so that they are
    # told apart on a black-and-white printout.
    colour = hex_colour(rag_colours(state)[0])
    return f'<font size="{size * SCALE[state]:.1f}" color="{colour}">{MARKS[state]}</font>'


class _Marked(Paragraph):
    """A paragraph whose larger shape does not push its first line down: the line keeps the ascent of the text's
    own size (the shape reaches into the cell's top padding), so marked and plain cells share a baseline."""

    def wrap(self, available_width, available_height):
        size = super().wrap(available_width, available_height)
        ascent = getAscentDescent(self.style.fontName, self.style.fontSize)[0]
        for line in self.blPara.lines[:1] if self.blPara.kind == 1 else ():
            line.ascent = min(line.ascent, ascent)  # where the first line sits: its ascent, or its font size when
            line.fontSize = min(line.fontSize, self.style.fontSize)  # rl_config.paraFontSizeHeightOffset is on
        return size


def rag_para(text: str, state: str | None, style: ParagraphStyle) -> Paragraph:
    """A judged value with its state's shape (in the state's colour) in front; plain when there is no target."""
    if state not in MARKS:
        return para(text, style)
    glyphs.check(text)
    return _Marked(f"{_mark_markup(state, style.fontSize)} {escape(text)}", style)


def title_para(state: str | None, style: ParagraphStyle) -> Paragraph:
    """The state in words after its shape ("▲ close"); "—" when nothing was judged."""
    if state not in MARKS:
        return para("—", style)
    return rag_para(_(TITLES[state]), state, style)


def legend_para(template: str, style: ParagraphStyle) -> Paragraph:
    """``template`` (translated, with ``{met}``, ``{close}``, ``{missed}``) with each state's shape and title."""
    glyphs.check(template)
    titles = {key: f"{_mark_markup(state, style.fontSize)} {escape(_(TITLES[state]))}"
              for key, state in (("met", "green"), ("close", "amber"), ("missed", "red"))}
    return _Marked(escape(template).format(**titles), style)
