"""Help ▸ User guide (docs/guide/<lang>/index.md rendered offline in a QTextBrowser) and Help ▸ About."""

from __future__ import annotations

import html
import re
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QMainWindow, QPlainTextEdit, QTextBrowser, QToolBar,
                               QVBoxLayout)

from nibi_desk import paths
from nibi_desk.gui import diagnostics

GUIDE_LANGUAGES = ("zh_CN", "en")
_HEADING_ID = re.compile(r'<(h[1-6]) id="([^"]+)">')


def guide_file(lang: str) -> Path:
    return paths.docs_dir() / "guide" / (lang if lang in GUIDE_LANGUAGES else "en") / "index.md"


def render_markdown(text: str) -> str:
    """Markdown → HTML that QTextBrowser understands (heading anchors as <a name>, which it scrolls to)."""
    import markdown

    body = markdown.markdown(text, extensions=["tables", "toc", "fenced_code", "sane_lists"],
                             extension_configs={"toc": {"slugify": _slug}}, output_format="html")
    return _HEADING_ID.sub(lambda m: f'<{m[1]}><a name="{m[2]}"></a>', body)


def _slug(value: str, separator: str) -> str:
    """Heading anchors that keep Chinese characters (the default slug drops them and every heading collides)."""
    value = re.sub(r"[^\w\s-]", "", value, flags=re.UNICODE).strip().lower()
    return re.sub(r"[\s_-]+", separator, value)


STYLE = """
body { font-size: 11pt; }
h1 { font-size: 18pt; } h2 { font-size: 15pt; margin-top: 18px; } h3 { font-size: 12pt; }
code { background: #eef1f4; }
table { border-collapse: collapse; } th, td { border: 1px solid #c5ccd3; padding: 3px 6px; }
"""


def guide_html(lang: str) -> tuple[str, QUrl]:
    """The guide page and the base URL its images resolve against."""
    path = guide_file(lang)
    body = render_markdown(path.read_text(encoding="utf-8"))
    page = f"<html><head><style>{STYLE}</style></head><body>{body}</body></html>"
    return page, QUrl.fromLocalFile(str(path))


def export_html(lang: str, out: Path) -> Path:
    """The guide as a standalone HTML page (the installers' Start-menu entry), for a folder beside index.md."""
    page, _base = guide_html(lang)
    page = re.sub(r'href="([^"#]+)\.md(#[^"]*)?"', lambda m: f'href="{m[1]}.html{m[2] or ""}"', page)
    page = page.replace("<head>", '<head><meta charset="utf-8">', 1)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    return out


class GuideWindow(QMainWindow):
    """The user guide, offline: links inside the guide work, links to the outside world are not followed."""

    def __init__(self, lang: str, parent=None):
        super().__init__(parent)
        self.setObjectName("guideWindow")
        self.browser = QTextBrowser()
        self.browser.setObjectName("guideBrowser")
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._follow)
        self.setCentralWidget(self.browser)
        bar = QToolBar(self)
        bar.setObjectName("guideToolbar")
        bar.setMovable(False)
        self.addToolBar(bar)
        self.home_action = bar.addAction("", lambda: self.show_language(self.lang))
        self.zh_action = bar.addAction("中文", lambda: self.show_language("zh_CN"))
        self.en_action = bar.addAction("English", lambda: self.show_language("en"))
        self.lang = lang
        self.resize(900, 760)
        self.show_language(lang)

    def show_language(self, lang: str) -> None:
        self.lang = lang if lang in GUIDE_LANGUAGES else "en"
        page, base = guide_html(self.lang)
        self.browser.document().setBaseUrl(base)
        self.browser.setHtml(page)
        self.setWindowTitle(self.tr("NIBI Desk user guide"))
        self.home_action.setText(self.tr("Contents"))

    def _follow(self, url: QUrl) -> None:
        if url.scheme() in ("http", "https", "ftp", "mailto"):
            return  # offline program: nothing outside the machine is opened from here
        if url.hasFragment() and (not url.path() or url.path() == self.browser.document().baseUrl().path()):
            self.browser.scrollToAnchor(url.fragment())
            return
        path = Path(url.toLocalFile()) if url.isLocalFile() else None
        if path is not None and path.name == "index.md" and path.parent.name in GUIDE_LANGUAGES:
            self.show_language(path.parent.name)
            if url.hasFragment():
                self.browser.scrollToAnchor(url.fragment())


def _current_language() -> str:
    from nibi_desk.gui.i18n import current_language

    return "zh_CN" if current_language() == "zh_CN" else "en"


def open_guide(ctx, parent) -> GuideWindow:
    """Help ▸ User guide: one guide window per main window, raised when already open."""
    window = getattr(parent, "_guide_window", None) if parent is not None else None
    if window is None:
        window = GuideWindow(_current_language(), parent)
        if parent is not None:
            parent._guide_window = window
    else:
        window.show_language(_current_language())
    window.show()
    window.raise_()
    window.activateWindow()
    return window


def about_html() -> str:
    from PySide6.QtCore import QCoreApplication as Q

    rows = "".join(f"<tr><td>{html.escape(k)}</td><td>{html.escape(v)}</td></tr>"
                   for k, v in diagnostics.versions().items())
    parts = []
    for c in diagnostics.bundled_components():
        kind = Q.translate("About", "font") if c["kind"] == "font" else Q.translate("About", "web library")
        licence = html.escape(c["licence"])
        if c["licence_file"] is not None and Path(c["licence_file"]).is_file():
            licence = f'<a href="{QUrl.fromLocalFile(str(c["licence_file"])).toString()}">{licence}</a>'
        parts.append(f"<tr><td>{html.escape(c['name'])}</td><td>{kind}</td><td>{html.escape(c['version'])}</td>"
                     f"<td>{licence}</td></tr>")
    title = Q.translate("About", "NIBI Desk (新基建巡检台)")
    summary = Q.translate("About",
                          "Offline registry and field inspection of 5G base stations, smart poles and cameras.")
    versions = Q.translate("About", "Versions")
    bundled = Q.translate("About", "Bundled fonts and web libraries")
    headers = (Q.translate("About", "Name"), Q.translate("About", "Kind"), Q.translate("About", "Version"),
               Q.translate("About", "Licence"))
    qt_licence = Q.translate("About", "Qt and PySide6: LGPL-3.0 (dynamically linked; the libraries ship as separate "
                                      "files). Click a licence to read it.")
    return (f"<h2>{html.escape(title)}</h2><p>{html.escape(summary)}</p>"
            f"<h3>{html.escape(versions)}</h3><table cellpadding='3'>{rows}</table>"
            f"<h3>{html.escape(bundled)}</h3><table cellpadding='3'><tr>"
            + "".join(f"<th>{html.escape(h)}</th>" for h in headers)
            + f"</tr>{''.join(parts)}</table><p>{html.escape(qt_licence)}</p>")


class AboutDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("aboutDialog")
        self.setWindowTitle(self.tr("About NIBI Desk"))
        self.browser = QTextBrowser()
        self.browser.setObjectName("aboutBrowser")
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self.show_licence)
        self.browser.setHtml(about_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(680, 560)

    def show_licence(self, url: QUrl) -> QDialog | None:
        if not url.isLocalFile():
            return None
        path = Path(url.toLocalFile())
        dialog = QDialog(self)
        dialog.setObjectName("licenceDialog")
        dialog.setWindowTitle(path.name)
        text = QPlainTextEdit(path.read_text(encoding="utf-8", errors="replace"))
        text.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(dialog.reject)
        layout = QVBoxLayout(dialog)
        layout.addWidget(text)
        layout.addWidget(buttons)
        dialog.resize(640, 520)
        dialog.open()
        return dialog


def show_about(ctx, parent) -> AboutDialog:
    """Help ▸ About: versions (program, Python, Qt, PySide6, SQLite, OS) and the bundled fonts and web libraries
    with their licences (resources/fonts/fonts.json, resources/web/vendor.json)."""
    dialog = AboutDialog(parent)
    dialog.open()
    return dialog
