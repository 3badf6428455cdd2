"""Look and feel: Fusion everywhere, a light or dark palette, a modest stylesheet from ui/styles, high-DPI policy."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from nibi_desk import paths

log = logging.getLogger(__name__)

THEMES = ("light", "dark")
STYLE = "Fusion"  # the same widgets on Windows, UOS and Kylin; the native styles differ too much for screenshots


def configure_high_dpi() -> None:
    """Call before the QApplication exists: fractional scaling (125 %, 150 %) instead of rounding to 1× or 2×."""
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)


def dark_palette() -> QPalette:
    palette = QPalette()
    colors = {
        QPalette.Window: "#2b2d30",
        QPalette.WindowText: "#dfe1e5",
        QPalette.Base: "#1e1f22",
        QPalette.AlternateBase: "#26282b",
        QPalette.ToolTipBase: "#3c3f41",
        QPalette.ToolTipText: "#dfe1e5",
        QPalette.PlaceholderText: "#8c8f94",
        QPalette.Text: "#dfe1e5",
        QPalette.Button: "#35373b",
        QPalette.ButtonText: "#dfe1e5",
        QPalette.BrightText: "#ff6b68",
        QPalette.Light: "#45484d",
        QPalette.Midlight: "#3c3f43",
        QPalette.Mid: "#2f3134",
        QPalette.Dark: "#1b1c1f",
        QPalette.Shadow: "#111214",
        QPalette.Highlight: "#2f65ca",
        QPalette.HighlightedText: "#ffffff",
        QPalette.Link: "#589df6",
        QPalette.LinkVisited: "#a77dd8",
    }
    for role, color in colors.items():
        palette.setColor(QPalette.All, role, QColor(color))
    for role in (QPalette.WindowText, QPalette.Text, QPalette.ButtonText):
        palette.setColor(QPalette.Disabled, role, QColor("#6f7277"))
    palette.setColor(QPalette.Disabled, QPalette.Highlight, QColor("#3c3f43"))
    return palette


def light_palette() -> QPalette:
    style = QStyleFactory.create(STYLE)
    return style.standardPalette() if style is not None else QPalette()


def stylesheet(name: str) -> str:
    path = paths.ui_dir() / "styles" / f"{name}.qss"
    try:
        return path.read_text(encoding="utf-8")
    except OSError as e:
        log.warning("stylesheet %s not readable: %s", path, e)
        return ""


def apply_theme(app: QApplication, name: str) -> None:
    """Apply "light" or "dark" to the whole application (live: open windows repaint)."""
    if name not in THEMES:
        raise ValueError(f"unknown theme {name!r}; choose one of {', '.join(THEMES)}")
    if app.style().name().lower() != STYLE.lower():
        # setStyle() replaces the QStyle object and re-polishes every widget: do it only when it changes.
        app.setStyle(STYLE)
    app.setPalette(dark_palette() if name == "dark" else light_palette())
    app.setStyleSheet(stylesheet(name))
    app.setProperty("nibi_theme", name)


def current_theme(app: QApplication) -> str:
    return app.property("nibi_theme") or "light"
