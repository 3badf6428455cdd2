"""Qt translations: the committed .ts covers the code's strings, and installing a language switches app and Qt."""

from __future__ import annotations

import importlib.util
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import QDialogButtonBox

from nibi_desk import i18n as core_i18n
from nibi_desk.gui import i18n as gui_i18n

TRANSLATIONS = Path(__file__).resolve().parents[2] / "resources" / "translations"


def _update_ts_module():
    spec = importlib.util.spec_from_file_location("update_ts", TRANSLATIONS / "update_ts.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _messages(ts: Path) -> dict[tuple[str, str], ET.Element]:
    found = {}
    for context in ET.parse(ts).getroot().iter("context"):
        for message in context.iter("message"):
            found[(context.findtext("name") or "", message.findtext("source"))] = message.find("translation")
    return found


@pytest.fixture(scope="module")
def code_messages(tmp_path_factory):
    if gui_i18n.find_qt_tool("lupdate") is None:
        pytest.skip("PySide6's lupdate is not available")
    ts = tmp_path_factory.mktemp("lupdate") / "current.ts"
    _update_ts_module().run_lupdate(ts, quiet=True)
    return _messages(ts)


def test_every_string_in_the_code_has_a_finished_translation(code_messages):
    committed = _messages(TRANSLATIONS / "nibi_zh_CN.ts")
    missing = [key for key in code_messages
               if key not in committed or committed[key].get("type") or not (committed[key].text or "").strip()]
    assert not missing, f"{len(missing)} untranslated; run resources/translations/update_ts.py: {missing[:20]}"


def test_every_string_has_a_context(code_messages):
    without = sorted(source for context, source in code_messages if not context)
    assert not without, f"use QCoreApplication.translate('Context', '...') literally: {without[:20]}"


def test_the_committed_ts_is_well_formed_and_has_chinese():
    committed = _messages(TRANSLATIONS / "nibi_zh_CN.ts")
    assert committed[("Preferences", "Language")].text == "语言"
    assert ET.parse(TRANSLATIONS / "nibi_zh_CN.ts").getroot().get("language") == "zh_CN"


def _cancel_text() -> str:
    box = QDialogButtonBox(QDialogButtonBox.Cancel)
    try:
        return box.button(QDialogButtonBox.Cancel).text().replace("&", "")
    finally:
        box.deleteLater()


def test_install_switches_app_qt_and_core_languages(qapp):
    gui_i18n.install_translations(qapp, "zh_CN")
    assert gui_i18n.current_language() == "zh_CN" and core_i18n.language() == "zh_CN"
    assert QCoreApplication.translate("Preferences", "Reports") == "报告"
    assert QCoreApplication.translate("Errors", "Unexpected error") == "意外错误"
    assert _cancel_text().startswith("取消")  # Qt's own qtbase translation is loaded too
    assert QLocale().name() == "zh_CN"

    gui_i18n.install_translations(qapp, "en")
    assert gui_i18n.current_language() == "en" and core_i18n.language() == "en"
    assert QCoreApplication.translate("Preferences", "Reports") == "Reports"
    assert _cancel_text() == "Cancel"

    gui_i18n.install_translations(qapp, "zh_CN")  # switching back and forth does not stack translators
    gui_i18n.install_translations(qapp, "zh_CN")
    assert len(gui_i18n.installed_translators()) == 2  # qtbase + the app's catalog


def test_unsupported_language_is_refused_and_keeps_the_current_one(qapp):
    gui_i18n.install_translations(qapp, "zh_CN")
    with pytest.raises(ValueError):
        gui_i18n.install_translations(qapp, "fr")
    assert QCoreApplication.translate("Preferences", "Reports") == "报告"


def test_the_catalog_is_compiled_into_the_cache(qapp, monkeypatch):
    if gui_i18n.find_qt_tool("lrelease") is None:
        pytest.skip("PySide6's lrelease is not available")
    qm = gui_i18n.compiled_catalog("zh_CN")
    packaged = TRANSLATIONS / "nibi_zh_CN.qm"
    if qm != packaged:  # a packaged build ships the .qm; a checkout compiles it on first use
        assert qm.parent == gui_i18n.cache_dir() and qm.is_file()
        assert gui_i18n.compiled_catalog("zh_CN") == qm  # cached: not rebuilt


def test_without_lrelease_the_ts_is_read_directly(qapp, monkeypatch):
    monkeypatch.setattr(gui_i18n, "compiled_catalog", lambda lang: None)
    gui_i18n.install_translations(qapp, "zh_CN")
    assert any(isinstance(t, gui_i18n.TsTranslator) for t in gui_i18n.installed_translators())
    assert QCoreApplication.translate("Preferences", "Reports") == "报告"
    assert QCoreApplication.translate("Preferences", "no such string") == "no such string"
