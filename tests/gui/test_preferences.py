"""The preferences dialog: every page loads, edits and saves its options; validation; live language switch."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QLabel

from nibi_desk.gui import i18n as gui_i18n
from nibi_desk.gui import pref_pages, theme
from nibi_desk.gui.pref_pages import (PAGES, DataDirPage, InspectorPage, LanguagePage, MapPage, ReportsPage,
                                      UnitsPage)
from nibi_desk.gui.preferences import PreferencesDialog


@pytest.fixture
def dialog(qtbot, gui_settings):
    gui_settings.set("language", "en")  # matches the translators installed (none) so only chosen changes apply
    made = PreferencesDialog(gui_settings)
    qtbot.addWidget(made)
    return made


@pytest.fixture
def restore_look(qapp):
    palette, sheet = qapp.palette(), qapp.styleSheet()
    yield
    qapp.setPalette(palette)
    qapp.setStyleSheet(sheet)
    qapp.setProperty("nibi_theme", None)


def _select(combo, data):
    combo.setCurrentIndex(combo.findData(data))


def test_pages_register_themselves_with_titles(dialog):
    assert PAGES == [LanguagePage, InspectorPage, UnitsPage, DataDirPage, MapPage, ReportsPage]
    assert [dialog.list.item(i).text() for i in range(dialog.list.count())] == [p.title for p in dialog.pages]
    assert all(page.title for page in dialog.pages)
    dialog.list.setCurrentRow(4)
    assert dialog.stack.currentWidget() is dialog.page(MapPage)


def test_every_page_round_trips(qtbot, dialog, gui_settings, tmp_path, restore_look):
    basemap = tmp_path / "县城.mbtiles"
    basemap.write_bytes(b"")
    data = tmp_path / "巡检数据"
    dialog.page(LanguagePage).language.setCurrentIndex(dialog.page(LanguagePage).language.findData("en"))
    _select(dialog.page(LanguagePage).theme, "dark")
    dialog.page(InspectorPage).name.setText("  李四 ")
    dialog.page(InspectorPage).org.setText("老河口市通信发展办公室")
    _select(dialog.page(UnitsPage).coordinates, "dms")
    _select(dialog.page(UnitsPage).distance, "km")
    dialog.page(UnitsPage).proximity.setValue(250)
    dialog.page(DataDirPage).path.setText(str(data))
    dialog.page(MapPage).basemap.setText(str(basemap))
    dialog.page(ReportsPage).unit.setText("老河口市新基建办")
    dialog.page(ReportsPage).header.setText("新型基础设施巡检报告")
    dialog.page(ReportsPage).prefix.setText("LHK")
    dialog.buttons.button(QDialogButtonBox.Ok).click()

    assert dialog.result() == PreferencesDialog.Accepted
    expected = {"language": "en", "theme": "dark", "inspector_name": "李四", "inspector_org": "老河口市通信发展办公室",
                "coordinate_format": "dms", "distance_unit": "km", "proximity_threshold_m": 250,
                "data_dir": str(data), "default_basemap": str(basemap), "report_issuing_unit": "老河口市新基建办",
                "report_header": "新型基础设施巡检报告", "report_doc_prefix": "LHK"}
    assert {name: gui_settings.get(name) for name in expected} == expected
    assert theme.current_theme(QCoreApplication.instance()) == "dark"  # applied live

    again = PreferencesDialog(gui_settings)
    qtbot.addWidget(again)
    assert again.page(InspectorPage).name.text() == "李四"
    assert again.page(UnitsPage).coordinates.currentData() == "dms"
    assert again.page(UnitsPage).distance.currentData() == "km"
    assert again.page(UnitsPage).proximity.value() == 250
    assert again.page(LanguagePage).theme.currentData() == "dark"
    assert again.page(DataDirPage).path.text() == str(data)
    assert again.page(MapPage).basemap.text() == str(basemap)
    assert again.page(ReportsPage).prefix.text() == "LHK"


def test_cancel_saves_nothing(dialog, gui_settings):
    dialog.page(InspectorPage).name.setText("王五")
    dialog.buttons.button(QDialogButtonBox.Cancel).click()
    assert gui_settings.get("inspector_name") == ""


def test_apply_saves_and_keeps_the_dialog_open(qtbot, dialog, gui_settings):
    dialog.show()
    dialog.page(ReportsPage).unit.setText("襄阳市")
    with qtbot.waitSignal(dialog.applied):
        dialog.buttons.button(QDialogButtonBox.Apply).click()
    assert gui_settings.get("report_issuing_unit") == "襄阳市" and dialog.isVisible()


@pytest.mark.parametrize("page,attr,value", [(ReportsPage, "prefix", ""), (ReportsPage, "prefix", "A B"),
                                             (MapPage, "basemap", "/no/such/file.mbtiles"),
                                             (DataDirPage, "path", "relative/dir"), (DataDirPage, "path", "")])
def test_invalid_values_are_shown_and_nothing_is_saved(dialog, gui_settings, page, attr, value):
    dialog.page(InspectorPage).name.setText("赵六")
    getattr(dialog.page(page), attr).setText(value)
    dialog.buttons.button(QDialogButtonBox.Ok).click()
    assert dialog.result() != PreferencesDialog.Accepted
    assert dialog.stack.currentWidget() is dialog.page(page)
    assert dialog.error.objectName() == "fieldError" and dialog.error.isVisibleTo(dialog)
    assert dialog.error.text().startswith(dialog.page(page).title)
    assert gui_settings.get("inspector_name") == ""


def test_browse_buttons(dialog, monkeypatch, tmp_path):
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(tmp_path)))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: ("/maps/a.mbtiles", "")))
    dialog.page(DataDirPage).browse.click()
    dialog.page(MapPage).browse.click()
    assert dialog.page(DataDirPage).path.text() == str(tmp_path)
    assert dialog.page(MapPage).basemap.text() == "/maps/a.mbtiles"


class Probe(QLabel):
    """A widget of the app: retranslates itself on LanguageChange."""

    def __init__(self):
        super().__init__()
        self.retranslations = 0
        self.retranslate()

    def retranslate(self):
        self.setText(QCoreApplication.translate("Preferences", "Reports"))

    def changeEvent(self, event):
        if event.type() == QEvent.LanguageChange:
            self.retranslations += 1
            self.retranslate()
        super().changeEvent(event)


def test_language_page_switches_the_interface_live(qtbot, dialog, gui_settings):
    probe = Probe()
    qtbot.addWidget(probe)
    assert probe.text() == "Reports"
    _select(dialog.page(LanguagePage).language, "zh_CN")
    dialog.buttons.button(QDialogButtonBox.Apply).click()
    qtbot.waitUntil(lambda: probe.text() == "报告", timeout=5000)
    assert gui_settings.get("language") == "zh_CN" and gui_i18n.current_language() == "zh_CN"
    qtbot.waitUntil(lambda: dialog.windowTitle() == "首选项", timeout=5000)
    assert dialog.list.item(0).text() == "语言"
    assert dialog.page(InspectorPage).name_label.text() == "巡检员姓名："
    assert dialog.buttons.button(QDialogButtonBox.Cancel).text().replace("&", "").startswith("取消")

    _select(dialog.page(LanguagePage).language, "en")
    dialog.buttons.button(QDialogButtonBox.Apply).click()
    qtbot.waitUntil(lambda: probe.text() == "Reports", timeout=5000)
    qtbot.waitUntil(lambda: dialog.list.item(0).text() == "Language", timeout=5000)
    assert probe.retranslations >= 2


def test_unchanged_language_installs_nothing(dialog, monkeypatch):
    calls = []
    monkeypatch.setattr(pref_pages.gui_i18n, "install_translations", lambda app, lang: calls.append(lang))
    dialog.apply()
    assert calls == []
