"""Paragraphs that are parsed and line-broken once per text, not once per use.

A batch of inspection reports prints the same short texts hundreds of times (labels, table headers, checklist items,
answers, headings) and reportlab redoes all the work each time: it parses the text as markup, measures it glyph by
glyph in pure Python and breaks it into lines — and a table cell is broken twice, once to size its row and again
when the row is drawn. :class:`CachedParagraph` keeps, per text and style, the parsed fragments, and per width the
broken lines, so each is computed once per run. What is drawn is the same: the cached results are exactly what
reportlab computes for the same text, style and width (the report tests compare whole PDFs).

Every paragraph is still its own flowable (reportlab marks flowables while laying out a page); only reportlab's
results are shared, and they are read, never changed, when drawing. Splitting a paragraph across pages may change
its lines, so a shared line-break is copied back into the paragraph (computed again) before it is split.
"""

from __future__ import annotations

from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import _FUZZ

# Texts (and text-width pairs) remembered, the least recently used forgotten first: a report's repeated texts are a
# few hundred, and an entry costs some 10 kB (reportlab's fragments), so texts printed once (photo captions,
# coordinates, document numbers) must not pile up.
MAX_ENTRIES = 1024

_parsed: dict[tuple, _Parsed] = {}
_broken: dict[tuple, tuple] = {}


def _recall(cache: dict, key):
    """The entry of ``key`` (None if there is none), now the most recently used."""
    value = cache.pop(key, None)
    if value is not None:
        cache[key] = value
    return value


def _remember(cache: dict, key, value) -> None:
    while len(cache) >= MAX_ENTRIES:
        try:
            del cache[next(iter(cache))]  # the least recently used (dicts keep insertion order)
        except (KeyError, RuntimeError, StopIteration):  # another thread got there first
            break
    cache[key] = value


class _Parsed:
    """What reportlab's parser made of one text in one style (compared by identity: a cache key)."""

    __slots__ = ("bullet", "frags", "style", "text")

    def __init__(self, text, style, frags, bullet):
        self.text, self.style, self.frags, self.bullet = text, style, frags, bullet


def clear() -> None:
    _parsed.clear()
    _broken.clear()


class CachedParagraph(Paragraph):
    """A :class:`Paragraph` of markup ``text`` in ``style`` whose parse and line breaks are shared with every other
    one of the same text and style. ``checked`` (called with the text before its first parse) may refuse it."""

    def __init__(self, text, style=None, bulletText=None, frags=None, caseSensitive=1, encoding="utf8",
                 checked=None):
        if style is None or frags is not None or bulletText is not None or not isinstance(text, str):
            # Pieces made by split() (frags given), or anything unusual: a plain paragraph.
            self._parsed = None
            super().__init__(text, style, bulletText, frags, caseSensitive, encoding)
            return
        key = (text, style)
        parsed = _recall(_parsed, key)
        if parsed is None:
            if checked is not None:
                checked(text)
            super().__init__(text, style)
            parsed = _Parsed(self.text, self.style, self.frags, self.bulletText)
            _remember(_parsed, key, parsed)
        else:  # what Paragraph.__init__ and _setup would set
            self.caseSensitive, self.encoding = caseSensitive, encoding
            self.text, self.style, self.frags, self.bulletText = (parsed.text, parsed.style, parsed.frags,
                                                                  parsed.bullet)
            self.debug = 0
        self._parsed = parsed

    def wrap(self, availWidth, availHeight):
        parsed = self._parsed
        if parsed is None or availWidth < _FUZZ:
            return super().wrap(availWidth, availHeight)
        key = (parsed, availWidth)
        hit = _recall(_broken, key)
        if hit is None:
            size = super().wrap(availWidth, availHeight)
            _remember(_broken, key, (self.blPara, self._wrapWidths, self.width, self.height))
            self._shared_lines = self.blPara
            return size
        self.blPara, self._wrapWidths, self.width, self.height = hit
        self._shared_lines = self.blPara
        return self.width, self.height

    def split(self, availWidth, availHeight):
        shared = self.__dict__.pop("_shared_lines", None)
        if shared is not None and self.__dict__.get("blPara") is shared:
            # reportlab's split may edit the lines it splits: this paragraph breaks its own copy first (at the
            # width of its last wrap, which is what split() uses).
            Paragraph.wrap(self, self.width, availHeight)
        return super().split(availWidth, availHeight)
