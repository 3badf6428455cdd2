"""Themes: Fusion, a dark palette, the stylesheets' object names; the high-DPI policy."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QLabel

from nibi_desk.gui import theme


@pytest.fixture
def restore_look(qapp):
    style, palette, sheet = qapp.style().name(), qapp.palette(), qapp.styleSheet()
    yield
    qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setStyleSheet(sheet)
    qapp.setProperty("nibi_theme", None)


def _foreground(qtbot, object_name):
    label = QLabel("x")
    label.setObjectName(object_name)
    qtbot.addWidget(label)
    label.ensurePolished()
    return label.palette().color(label.foregroundRole())


def test_dark_theme(qapp, qtbot, restore_look):
    theme.apply_theme(qapp, "dark")
    assert qapp.palette().color(QPalette.Window).lightness() < 80
    assert qapp.palette().color(QPalette.WindowText).lightness() > 180
    assert "fieldError" in qapp.styleSheet()
    assert theme.current_theme(qapp) == "dark"
    error = _foreground(qtbot, "fieldError")
    assert error.red() > 200 and error.green() < 150


def test_light_theme_and_its_labels(qapp, qtbot, restore_look):
    theme.apply_theme(qapp, "dark")
    theme.apply_theme(qapp, "light")
    assert qapp.palette().color(QPalette.Window).lightness() > 180
    error, finding = _foreground(qtbot, "fieldError"), _foreground(qtbot, "findingLabel")
    assert error.red() > 150 and error.green() < 80  # red
    assert finding.red() > 150 and 60 < finding.green() < 160 and finding.blue() < 60  # amber


def test_fusion_style(qapp, restore_look, monkeypatch):
    monkeypatch.setattr(theme, "stylesheet", lambda name: "")  # a stylesheet wraps the style and hides its name
    theme.apply_theme(qapp, "dark")
    assert qapp.style().name().lower() == "fusion"


def test_unknown_theme_is_refused(qapp, restore_look):
    with pytest.raises(ValueError):
        theme.apply_theme(qapp, "solarized")


def test_both_stylesheets_exist():
    for name in theme.THEMES:
        assert "QHeaderView::section" in theme.stylesheet(name)


def test_high_dpi_policy_is_pass_through(qapp):
    theme.configure_high_dpi()
    assert QGuiApplication.highDpiScaleFactorRoundingPolicy() == Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
