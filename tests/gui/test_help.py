"""Help: the user guide renders offline in both languages with working links and images; About lists versions and
the bundled fonts and web libraries with their licences."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QPlainTextEdit

from nibi_desk import paths
from nibi_desk.gui import diagnostics, help as help_mod
from nibi_desk.gui.i18n import install_translations

GUIDE = paths.docs_dir() / "guide"
LINK = re.compile(r"\]\(([^)\s]+)\)")


def links(lang: str) -> list[str]:
    return LINK.findall(help_mod.guide_file(lang).read_text(encoding="utf-8"))


@pytest.mark.parametrize("lang", help_mod.GUIDE_LANGUAGES)
def test_the_guide_renders_with_every_anchor_and_image_resolving(lang):
    page, base = help_mod.guide_html(lang)
    anchors = set(re.findall(r'<a name="([^"]+)"', page))
    assert len(anchors) >= 10
    for target in links(lang):
        if target.startswith("#"):
            assert target[1:] in anchors, f"{lang}: no heading for {target}"
        elif target.endswith(".png"):
            assert (help_mod.guide_file(lang).parent / target).resolve().is_file(), f"{lang}: missing {target}"
        else:
            assert (help_mod.guide_file(lang).parent / target).resolve().is_file(), f"{lang}: broken link {target}"
    assert "<table" not in page or "<th>" in page
    assert base.isLocalFile() and base.toLocalFile().endswith(f"{lang}/index.md")


def test_both_guides_cover_the_same_tasks_and_images():
    def images(lang):
        return [t.replace(f"-{lang}.png", "-LANG.png") for t in links(lang) if t.endswith(".png")]

    assert images("zh_CN") == images("en")
    assert len([t for t in links("zh_CN") if t.startswith("#")]) == len([t for t in links("en") if t.startswith("#")])
    for topic in ("first-run", "daily-inspection", "dispatching-and-returning-bundles", "resolving-conflicts",
                  "printing-reports"):
        assert f"#{topic}" in links("en")


def test_the_help_menu_opens_the_guide_in_the_interface_language(qtbot, qapp, tmp_path):
    from nibi_desk.gui.context import AppContext
    from nibi_desk.gui.main_window import MainWindow
    from nibi_desk.gui.tasks import TaskRunner
    from nibi_desk.interaction import HeadlessInteraction
    from nibi_desk.storage.registry import Registry

    install_translations(qapp, "zh_CN")
    ctx = AppContext(Registry.create(tmp_path / "r.nibi", "420682"), HeadlessInteraction(), TaskRunner(), None)
    window = MainWindow(ctx)
    try:
        assert window.actions.user_guide in window.help_menu.actions()
        assert window.actions.user_guide.shortcut().toString() == "F1"
        window.actions.user_guide.trigger()
        guide = window._guide_window
        assert guide.isVisible() and guide.lang == "zh_CN"
        assert "新基建巡检台 用户指南" in guide.browser.toPlainText()
        guide._follow(QUrl.fromLocalFile(str(GUIDE / "en" / "index.md")))  # the "English version" link
        assert guide.lang == "en" and "NIBI Desk user guide" in guide.browser.toPlainText()
        guide._follow(QUrl("https://example.com/"))  # never leaves the machine
        assert guide.lang == "en"
        window.actions.user_guide.trigger()
        assert window._guide_window is guide and guide.lang == "zh_CN"
        guide.close()
    finally:
        window.close()
        window.deleteLater()
        ctx.close()


def test_about_lists_versions_fonts_and_web_libraries_with_licences(qtbot):
    page = help_mod.about_html()
    for name in ("Python", "Qt", "PySide6", "SQLite", "OS"):
        assert f"<td>{name}</td>" in page
    fonts = json.loads((paths.resources_dir() / "fonts" / "fonts.json").read_text(encoding="utf-8"))["fonts"]
    vendor = json.loads((paths.resources_dir() / "web" / "vendor.json").read_text(encoding="utf-8"))["packages"]
    for font in fonts:
        assert font["name"] in page and font["version"] in page
    for name, spec in vendor.items():
        assert name in page and spec["version"] in page and spec["licence"] in page
    components = diagnostics.bundled_components()
    assert len(components) == len(fonts) + len(vendor)
    for component in components:
        assert component["licence_file"] is not None and Path(component["licence_file"]).is_file(), component

    dialog = help_mod.AboutDialog()
    qtbot.addWidget(dialog)
    licence = next(c["licence_file"] for c in components if c["kind"] == "font")
    shown = dialog.show_licence(QUrl.fromLocalFile(str(licence)))
    assert "Apache" in shown.findChild(QPlainTextEdit).toPlainText()
    shown.close()


def test_every_bundled_font_file_is_listed_for_about():
    folder = paths.resources_dir() / "fonts"
    listed = {f["file"] for f in json.loads((folder / "fonts.json").read_text(encoding="utf-8"))["fonts"]}
    present = {p.name for p in folder.iterdir() if p.suffix.lower() in (".ttf", ".ttc", ".otf")}
    assert present == listed
