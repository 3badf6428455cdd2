"""Settings: every option declared once, typed on the way out of QSettings, persisted, versioned."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from nibi_desk.gui import settings as settings_module
from nibi_desk.gui.settings import OPTIONS, Option, Settings

EXPECTED_DEFAULTS = {
    "language": "zh_CN", "theme": "light", "inspector_name": "", "inspector_org": "",
    "coordinate_format": "decimal", "distance_unit": "m", "default_basemap": "", "report_issuing_unit": "",
    "report_header": "", "report_doc_prefix": "NIBI", "last_registry": "", "recent_registries": [],
    "proximity_threshold_m": 100, "table_columns": [],
}

NON_DEFAULTS = {
    "language": "en", "theme": "dark", "inspector_name": "张三", "inspector_org": "老河口市通信发展办公室",
    "coordinate_format": "dms", "distance_unit": "km", "data_dir": "/srv/巡检/data",
    "default_basemap": "/srv/maps/老河口.mbtiles", "report_issuing_unit": "老河口市新基建办",
    "report_header": "新型基础设施巡检报告", "report_doc_prefix": "LHK", "last_registry": "/srv/a.nibi",
    "recent_registries": ["/srv/a.nibi", "/srv/b.nibi"], "proximity_threshold_m": 250,
    "table_columns": ["code", "name"],
}


def test_every_option_has_a_title_and_a_valid_default(gui_settings):
    assert set(OPTIONS) == set(EXPECTED_DEFAULTS) | {"data_dir"}
    for name, option in OPTIONS.items():
        assert option.title, name
        assert option.convert(option.default_value()) == option.default_value()


def test_defaults(gui_settings):
    for name, value in EXPECTED_DEFAULTS.items():
        assert gui_settings.get(name) == value, name
    assert gui_settings.get("data_dir") == os.environ["NIBI_DATA_DIR"]
    assert gui_settings.is_default("theme")


def test_default_lists_are_not_shared(gui_settings):
    gui_settings.get("recent_registries").append("x")
    assert gui_settings.get("recent_registries") == []


def test_round_trip_through_the_file(gui_settings, tmp_path):
    for name, value in NON_DEFAULTS.items():
        gui_settings.set(name, value)
    gui_settings.sync()
    again = Settings.for_file(gui_settings.file_name())
    for name, value in NON_DEFAULTS.items():
        assert again.get(name) == value, name
    assert isinstance(again.get("proximity_threshold_m"), int)


@pytest.mark.parametrize("value", [[], ["only one"], ["a", "b, c", "路径"]])
def test_lists_survive_the_ini_format(gui_settings, value):
    # QSettings' INI backend turns [] into None and a one-item list into a string; the JSON storage does not.
    gui_settings.set("table_columns", value)
    gui_settings.sync()
    assert Settings.for_file(gui_settings.file_name()).get("table_columns") == value


def test_strings_from_the_backend_are_converted_by_kind(gui_settings):
    gui_settings.qsettings.setValue("proximity_threshold_m", "300")
    assert gui_settings.get("proximity_threshold_m") == 300
    gui_settings.set("proximity_threshold_m", "42")
    assert gui_settings.get("proximity_threshold_m") == 42


def test_bool_kind_converts_strings():
    option = Option("flag", False, "bool", "Flag")
    assert option.convert("true") is True and option.convert("false") is False
    assert option.convert(1) is True and option.convert("0") is False
    with pytest.raises(ValueError):
        option.convert("perhaps")


def test_unusable_stored_values_fall_back_to_the_default(gui_settings):
    gui_settings.qsettings.setValue("proximity_threshold_m", "a lot")
    gui_settings.qsettings.setValue("language", "fr")
    gui_settings.qsettings.setValue("recent_registries", "{not json")
    assert gui_settings.get("proximity_threshold_m") == 100
    assert gui_settings.get("language") == "zh_CN"
    assert gui_settings.get("recent_registries") == []


def test_unknown_names_raise_key_error(gui_settings):
    with pytest.raises(KeyError):
        gui_settings.get("no_such_option")
    with pytest.raises(KeyError):
        gui_settings.set("no_such_option", 1)


def test_invalid_choices_are_refused(gui_settings):
    with pytest.raises(ValueError):
        gui_settings.set("theme", "purple")
    with pytest.raises(ValueError):
        gui_settings.set("proximity_threshold_m", "near")
    assert gui_settings.get("theme") == "light"


def test_changed_fires_only_for_real_changes(gui_settings):
    seen = []
    gui_settings.changed.connect(lambda name, value: seen.append((name, value)))
    gui_settings.set("theme", "dark")
    gui_settings.set("theme", "dark")
    gui_settings.set("proximity_threshold_m", "100")  # equal to the default once converted
    gui_settings.reset("theme")
    assert seen == [("theme", "dark"), ("theme", "light")]


def test_recent_registries(gui_settings):
    for name in ("a", "b", "a", "c"):
        gui_settings.add_recent_registry(Path("/r") / f"{name}.nibi", limit=2)
    assert gui_settings.get("recent_registries") == [str(Path("/r/c.nibi")), str(Path("/r/a.nibi"))]
    assert gui_settings.get("last_registry") == str(Path("/r/c.nibi"))


def test_default_location_is_isolated_in_tests(tmp_path):
    settings = Settings()
    assert Path(settings.file_name()).is_relative_to(tmp_path)
    assert settings.qsettings.format() == QSettings.IniFormat


def test_fresh_file_records_the_version_without_running_hooks(tmp_path, monkeypatch):
    ran = []
    monkeypatch.setattr(settings_module, "UPGRADE_HOOKS", {1: lambda s: ran.append(1)})
    settings = Settings.for_file(tmp_path / "fresh.ini")
    assert ran == []
    assert int(settings.qsettings.value(settings_module.VERSION_KEY)) == settings_module.VERSION


def test_upgrade_hooks_run_once_in_order(tmp_path, monkeypatch):
    path = tmp_path / "old.ini"
    old = QSettings(str(path), QSettings.IniFormat)
    old.setValue("settings_version", 1)
    old.setValue("report_doc_prefix", "old prefix")
    old.sync()
    ran = []
    monkeypatch.setattr(settings_module, "VERSION", 3)
    hooks = {}
    monkeypatch.setattr(settings_module, "UPGRADE_HOOKS", hooks)

    @settings_module.upgrade_hook(3)
    def three(s):
        ran.append(3)

    @settings_module.upgrade_hook(2)
    def two(s):
        ran.append(2)
        s.set("report_doc_prefix", s.get("report_doc_prefix").replace(" ", "-"))

    settings = Settings.for_file(path)
    assert ran == [2, 3]
    assert settings.get("report_doc_prefix") == "old-prefix"
    settings.sync()
    Settings.for_file(path)
    assert ran == [2, 3]
