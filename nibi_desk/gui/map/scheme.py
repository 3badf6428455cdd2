"""The nibi:// URL scheme of the map page: the page itself, the vendored web files, and MBTiles tiles.

    nibi://app/page.html            the current page (HTML kept in memory: setHtml fails silently above 2 MB)
    nibi://web/<path>               resources/web/<path> (Leaflet, jQuery, nibi-map.js...); nibi://web/fonts/ -> fonts
    nibi://tiles/<id>/<z>/<x>/<y>   a tile of an open basemap, XYZ (MBTiles.tile flips to TMS rows)

``register_schemes()`` must run before the QApplication exists (Qt's rule for custom schemes).
"""

from __future__ import annotations

import base64
import logging
import os
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QCoreApplication, QIODevice, Qt
from PySide6.QtWebEngineCore import QWebEngineUrlRequestJob, QWebEngineUrlScheme, QWebEngineUrlSchemeHandler

from nibi_desk.maps import vendor, webfont

log = logging.getLogger(__name__)

SCHEME = vendor.SCHEME.encode()
PAGE_URL = f"{vendor.SCHEME}://app/page.html"
# A missing tile (outside the file, NULL or empty) answers a transparent pixel: the canvas shows through, no
# broken-image icon and no error in the console.
EMPTY_TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")
# V8's young generation may grow to 16 MB per semi-space (three of them in use at times); the map page's garbage
# is a few hundred KB of JSON per answer, so 1 MB semi-spaces hold it: about 10 MB less renderer memory for a few
# more (sub-millisecond) scavenges (bench/map.py measures both).
JS_FLAGS = "--js-flags=--max-semi-space-size=1"
_registered = False


def web_engine_flags() -> str:
    """Add the map page's Chromium flags to QTWEBENGINE_CHROMIUM_FLAGS (read when the web engine starts), unless
    the user already gives V8 flags there. Returns the flags in effect."""
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    if "--js-flags" not in flags:
        flags = f"{flags} {JS_FLAGS}".strip()
        os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = flags
    return flags


def register_schemes() -> None:
    """Declare nibi:// as a secure, local, CORS-enabled scheme. Call once, before the QApplication is created.

    Also shares OpenGL contexts, which Qt WebEngine needs when its widgets are created after the application, and
    sets the web engine's flags (``web_engine_flags``).
    """
    global _registered
    if _registered or QWebEngineUrlScheme.schemeByName(SCHEME).name() == SCHEME:
        _registered = True
        return
    web_engine_flags()
    if QCoreApplication.instance() is None:
        QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    scheme = QWebEngineUrlScheme(SCHEME)
    scheme.setSyntax(QWebEngineUrlScheme.Syntax.Host)
    flags = (QWebEngineUrlScheme.Flag.SecureScheme | QWebEngineUrlScheme.Flag.LocalScheme
             | QWebEngineUrlScheme.Flag.LocalAccessAllowed | QWebEngineUrlScheme.Flag.CorsEnabled
             | QWebEngineUrlScheme.Flag.FetchApiAllowed)
    scheme.setFlags(flags)
    QWebEngineUrlScheme.registerScheme(scheme)
    _registered = True


class NibiSchemeHandler(QWebEngineUrlSchemeHandler):
    """Answers nibi:// requests on the GUI thread from memory, resources/ and the open MBTiles files."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.page_html = b""
        self.pages: dict[str, bytes] = {}   # extra in-memory documents under nibi://app/
        self.tilesets: dict = {}            # basemap id -> MBTiles
        self.served = 0
        self.failed: list[str] = []

    def set_page(self, html: str) -> None:
        self.page_html = html.encode("utf-8")

    def _reply(self, job: QWebEngineUrlRequestJob, mime: str, data: bytes) -> None:
        buffer = QBuffer(job)  # owned by the job: lives until the reply has been read
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        job.reply(QByteArray(mime.encode()), buffer)
        self.served += 1

    def _fail(self, job: QWebEngineUrlRequestJob, url: str) -> None:
        self.failed.append(url)
        job.fail(QWebEngineUrlRequestJob.Error.UrlNotFound)

    def requestStarted(self, job: QWebEngineUrlRequestJob) -> None:  # noqa: N802 (Qt override)
        url = job.requestUrl()
        host, path = url.host(), url.path()
        try:
            if host == "app":
                name = path.lstrip("/")
                if name == "page.html":
                    return self._reply(job, "text/html; charset=utf-8", self.page_html)
                if name in self.pages:
                    return self._reply(job, vendor.mime_type(name), self.pages[name])
            elif host == "web":
                if path == f"/fonts/{webfont.WEB_NAME}" and webfont.web_font() is not None:
                    return self._reply(job, "font/ttf", webfont.web_font())
                file = vendor.resolve(path)
                if file is not None:
                    return self._reply(job, vendor.mime_type(file), Path(file).read_bytes())
            elif host == "tiles":
                return self._tile(job, path)
        except Exception:  # a request must always be answered, or the page waits for it forever
            log.exception("serving %s failed", url.toString())
        self._fail(job, url.toString())

    def _tile(self, job: QWebEngineUrlRequestJob, path: str) -> None:
        parts = path.strip("/").split("/")
        if len(parts) != 4:
            return self._fail(job, job.requestUrl().toString())
        basemap_id, z, x, y = parts
        y = y.split(".")[0]
        tiles = self.tilesets.get(basemap_id)
        if tiles is None or not (z.isdigit() and x.isdigit() and y.isdigit()):
            return self._fail(job, job.requestUrl().toString())
        data = tiles.tile(int(z), int(x), int(y))
        if data is None:
            return self._reply(job, "image/png", EMPTY_TILE)
        self._reply(job, tiles.mime_type, data)
