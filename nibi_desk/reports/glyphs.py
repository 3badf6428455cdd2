"""Every character printed must exist in the report font: a missing one raises :class:`MissingGlyph`, never a box.

reportlab draws a character the TrueType font lacks as glyph 0 (an empty box or nothing, depending on the font)
without a word. A rare name character (𪚥) or an emoji typed into a note would then vanish from an official
document. The report font (:mod:`.furniture`) runs :func:`check` on every string it is asked to draw, whatever the
path (paragraphs, tables, canvas text, chart labels), and the builders check whole texts first so that the error
names the sentence the character is in.
"""

from __future__ import annotations

from reportlab.pdfbase.ttfonts import TTFont

from nibi_desk.errors import NibiError
from nibi_desk.i18n import N_

# Control characters never reach the page as glyphs (line breaks and tabs are layout, not text).
_IGNORED = frozenset(range(0x20)) | {0x7F, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0xAD}
E_MISSING = N_("The report font has no glyph for “{char}” (U+{code}) in “{text}”; replace or remove the character")


class MissingGlyph(NibiError):
    """A string to print contains a character the bundled font cannot draw."""

    template = E_MISSING

    def __init__(self, char: str, text: str):
        self.char, self.text = char, text
        shown = text if len(text) <= 80 else text[:77] + "…"
        super().__init__(E_MISSING, char=char, code=f"{ord(char):04X}", text=shown)


def missing(text: str, char_to_glyph: dict[int, int]) -> str | None:
    """The first character of ``text`` that the font (its ``charToGlyph`` map) cannot draw, or None."""
    for ch in text:
        code = ord(ch)
        if code not in _IGNORED and not char_to_glyph.get(code):
            return ch
    return None


def check(text: str, char_to_glyph: dict[int, int] | None = None) -> str:
    """Return ``text`` when every character has a glyph in the report font; raise :class:`MissingGlyph` otherwise."""
    if char_to_glyph is None:
        from nibi_desk.reports import furniture

        char_to_glyph = furniture.char_map()
    if text.isascii() and text.isprintable():  # the font has all of printable ASCII: the common case is cheap
        return text
    ch = missing(text, char_to_glyph)
    if ch is not None:
        raise MissingGlyph(ch, text)
    return text


class CheckedTTFont(TTFont):
    """The report font, refusing characters it has no glyph for (reportlab would silently draw glyph 0). Each text
    is checked once (the same labels are drawn on every page), and measured once per size: reportlab measures
    glyph by glyph in pure Python without its optional C accelerator."""

    def splitString(self, text, doc, encoding="utf-8"):
        if isinstance(text, bytes):
            text = text.decode(encoding)
        checked = self.__dict__.setdefault("_checked", set())  # texts drawn before: the same every page
        if text not in checked:
            check(text, self.face.charToGlyph)
            if len(checked) >= 8192:
                checked.clear()
            checked.add(text)
        return super().splitString(text, doc, encoding)

    def stringWidth(self, text, size, encoding="utf8"):
        if not isinstance(text, str):
            return super().stringWidth(text, size, encoding)
        widths = self.__dict__.setdefault("_widths", {})
        width = widths.get((text, size))
        if width is None:
            if len(widths) >= 16384:
                widths.clear()
            width = widths[(text, size)] = super().stringWidth(text, size, encoding)
        return width
