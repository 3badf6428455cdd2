"""Writing long PDFs with flat memory: JPEGs embedded from their files at save time, objects written as formatted.

reportlab keeps a whole document in memory until ``save()`` — every image's bytes from the moment it is drawn, and
the finished file as one joined string. For a batch of hundreds of inspections with four photos each that is
gigabytes. Two changes keep memory flat without leaving reportlab:

* :func:`place_jpeg` registers a :class:`LazyJpeg` image XObject that knows only the file's path and header (size,
  colour components); its bytes are read when the object is written, one image at a time, and copied as they are
  (``/DCTDecode``: the JPEG is never decoded or re-encoded).
* :class:`StreamingCanvas` writes the file object by object as reportlab formats it (``PDFFile`` replaced by a
  writer that passes each formatted object straight to the output file), instead of joining it in memory.

Page content streams stay in memory until save. reportlab keeps them as text and compresses them (and wraps them
in ASCII85, in pure Python) only when saving; :meth:`StreamingCanvas.showPage` compresses each page's stream as the
page ends (Flate, no ASCII85), so a page costs a few kB until save instead of some 20 kB: memory grows by a few MB
per thousand pages — flat next to the photos.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen import canvas as rl_canvas

_local = threading.local()  # the output file of the save running on this thread, if it streams
_BasePDFFile = pdfdoc.PDFFile


class _StreamingPDFFile(_BasePDFFile):
    """reportlab's output collector, writing straight to the file of a streaming save on this thread."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)  # writes the header into self.strings
        self._out = getattr(_local, "out", None)
        if self._out is not None:
            for chunk in self.strings:
                self._out.write(chunk)
            self.strings = []
            self.write = self._out.write

    def format(self, document):
        return b"" if self._out is not None else super().format(document)


if not issubclass(pdfdoc.PDFFile, _StreamingPDFFile):
    # A subclass that behaves exactly like the original unless a streaming save runs on the current thread.
    pdfdoc.PDFFile = _StreamingPDFFile


FP_MEMO = 65536  # numbers remembered by the memoized fp_str (a batch of 60 reports uses some 2,000 distinct)


def _memoize_fp_str() -> None:
    """Remember reportlab's number formatting when it is its pure-Python fallback (the C accelerator is a separate
    package): every coordinate, width and colour of every page goes through ``fp_str``, and 97 % of a batch's calls
    repeat an earlier one (the same positions on every page). The memo returns exactly what ``fp_str`` returned."""
    import sys

    from reportlab.lib import rl_accel

    original = rl_accel.fp_str
    if "fp_str" not in rl_accel._py_funcs or getattr(original, "memoized", False):
        return  # the C version (fast already), or done
    memo: dict = {}

    def fp_str(*a):
        try:
            return memo[a]
        except KeyError:
            if len(memo) >= FP_MEMO:
                memo.clear()
            text = memo[a] = original(*a)
            return text
        except TypeError:  # a list argument: not a key
            return original(*a)

    fp_str.memoized = True
    rl_accel.fp_str = fp_str  # for modules imported from now on
    for name, module in list(sys.modules.items()):  # and those that imported it already
        if name.startswith("reportlab") and getattr(module, "fp_str", None) is original:
            module.fp_str = fp_str


_memoize_fp_str()


class LazyJpeg(pdfdoc.PDFImageXObject):
    """An image XObject whose JPEG bytes are read from ``path`` only when the PDF is written."""

    def __init__(self, name: str, path: Path, width: int, height: int, components: int):
        self.name = name
        self.path = Path(path)
        self.width, self.height = width, height
        self.bitsPerComponent = 8
        self.colorSpace = {1: "DeviceGray", 3: "DeviceRGB"}.get(components, "DeviceCMYK")
        self._filters = ("DCTDecode",)
        self.mask = None
        if components == 4:
            self._dotrans = 1  # Adobe CMYK JPEGs store inverted values

    def format(self, document):
        self.streamContent = self.path.read_bytes()
        try:
            return super().format(document)
        finally:
            del self.streamContent


def jpeg_header(path: str | os.PathLike) -> tuple[int, int, int]:
    """(width, height, colour components) of a JPEG from its header (no decoding)."""
    from reportlab.pdfbase.pdfutils import readJPEGInfo

    with open(path, "rb") as f:
        width, height, components, _dpi = readJPEGInfo(f)
    return width, height, components


def place_jpeg(canv: rl_canvas.Canvas, path: str | os.PathLike, x: float, y: float, width: float, height: float,
               header: tuple[int, int, int] | None = None) -> None:
    """Draw the JPEG file at ``path`` into the box (its pixels embedded unchanged, read at save time). The same
    file drawn twice is embedded once."""
    path = Path(path)
    name = "jpeg-" + pdfdoc._digester(str(path.resolve()).encode("utf-8"))
    reg_name = canv._doc.getXObjectName(name)
    image = canv._doc.idToObject.get(reg_name)
    if image is None:
        image = LazyJpeg(name, path, *(header or jpeg_header(path)))
        canv._setXObjects(image)
        canv._doc.Reference(image, reg_name)
        canv._doc.addForm(name, image)
    canv._currentPageHasImages = 1
    canv.saveState()
    canv.translate(x, y)
    canv.scale(width, height)
    canv._code.append(f"/{reg_name} Do")
    canv.restoreState()
    canv._formsinuse.append(name)


class StreamingCanvas(rl_canvas.Canvas):
    """A canvas whose ``save()`` writes the PDF object by object into its file (a path or a binary file), and
    whose pages are compressed as they end."""

    def showPage(self) -> None:
        super().showPage()
        pages = self._doc.Pages.pages
        page = pages[-1] if pages else None
        if page is None or not getattr(page, "compression", 0) or page.Contents or not page.stream:
            return
        contents = pdfdoc.PDFStream(content=pdfdoc.PDFZCompress.encode(page.stream))  # reportlab's own Flate
        contents.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])  # already applied
        contents.__Comment__ = "page stream"
        page.Contents, page.stream = contents, None

    def save(self) -> None:
        target = self._filename
        own = not hasattr(target, "write")
        out = open(target, "wb") if own else target
        previous = getattr(_local, "out", None)
        _local.out = out
        try:
            self._filename = out
            super().save()
        finally:
            _local.out = previous
            self._filename = target
            if own:
                out.close()
