"""Registers the bundled CJK font so Chinese renders on machines that have none installed."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase

from nibi_desk import paths

FONT_FILE = "wqy-microhei.ttc"


def install_bundled_font(app) -> str | None:
    """Add the bundled font and make it the application font; return its family name."""
    font_id = QFontDatabase.addApplicationFont(str(paths.resources_dir() / "fonts" / FONT_FILE))
    if font_id < 0:
        return None
    families = QFontDatabase.applicationFontFamilies(font_id)
    if not families:
        return None
    font = QFont(families[0], app.font().pointSize())
    app.setFont(font)
    return families[0]
