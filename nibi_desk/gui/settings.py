"""The user's settings: every option declared once (name, default, kind, translatable title), typed, versioned.

Picard's shape: ``OPTIONS`` is the single declaration; ``Settings`` reads and writes them through QSettings,
converting by the option's kind because the INI backend hands back strings ("100", "true") and cannot tell an
empty list from a missing one. Lists are stored as JSON text for the same reason.
"""

from __future__ import annotations

import copy
import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, QSettings, Signal

log = logging.getLogger(__name__)

ORGANIZATION = "NIBI"
APPLICATION = "NIBI Desk"

# Bump when stored values need rewriting and add a hook to UPGRADE_HOOKS under the new number.
VERSION = 1
VERSION_KEY = "settings_version"

KINDS = ("str", "int", "bool", "list", "path")


@dataclass(frozen=True)
class Option:
    """One setting. ``title`` is the English source, translated in the "Settings" context when shown."""

    name: str
    default: Any
    kind: str = "str"
    title: str = ""
    choices: tuple = ()

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"option {self.name}: unknown kind {self.kind!r}")

    def default_value(self) -> Any:
        value = self.default() if callable(self.default) else self.default
        return copy.deepcopy(value)

    def translated_title(self) -> str:
        return QCoreApplication.translate("Settings", self.title)

    def convert(self, raw: Any) -> Any:
        """Turn a stored or given value into this option's type; ValueError when impossible or not a choice."""
        if self.kind == "int":
            value = raw if isinstance(raw, int) and not isinstance(raw, bool) else int(str(raw).strip())
        elif self.kind == "bool":
            value = _to_bool(raw)
        elif self.kind == "list":
            value = _to_list(raw)
        elif self.kind == "path":
            value = "" if raw is None else str(raw)
        else:
            value = "" if raw is None else str(raw)
        if self.choices and value not in self.choices:
            raise ValueError(f"option {self.name}: {value!r} is not one of {self.choices}")
        return value


def _to_bool(raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int):
        return raw != 0
    text = str(raw).strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off", ""):
        return False
    raise ValueError(f"not a boolean: {raw!r}")


def _to_list(raw: Any) -> list:
    if raw is None or raw == "":
        return []
    if isinstance(raw, (list, tuple)):
        return list(raw)
    value = json.loads(str(raw))
    if not isinstance(value, list):
        raise ValueError(f"not a list: {raw!r}")
    return value


def _default_data_dir() -> str:
    from nibi_desk import datadir

    return str(datadir.data_dir())


OPTIONS: dict[str, Option] = {
    o.name: o
    for o in (
        Option("language", "zh_CN", "str", QT_TRANSLATE_NOOP("Settings", "Language"), ("zh_CN", "en")),
        Option("theme", "light", "str", QT_TRANSLATE_NOOP("Settings", "Theme"), ("light", "dark")),
        Option("inspector_name", "", "str", QT_TRANSLATE_NOOP("Settings", "Inspector name")),
        Option("inspector_org", "", "str", QT_TRANSLATE_NOOP("Settings", "Inspector organisation")),
        Option("coordinate_format", "decimal", "str", QT_TRANSLATE_NOOP("Settings", "Coordinate format"),
               ("decimal", "dms")),
        Option("distance_unit", "m", "str", QT_TRANSLATE_NOOP("Settings", "Distance unit"), ("m", "km")),
        Option("data_dir", _default_data_dir, "path", QT_TRANSLATE_NOOP("Settings", "Data directory")),
        Option("default_basemap", "", "path", QT_TRANSLATE_NOOP("Settings", "Default basemap")),
        Option("report_issuing_unit", "", "str", QT_TRANSLATE_NOOP("Settings", "Issuing unit")),
        Option("report_header", "", "str", QT_TRANSLATE_NOOP("Settings", "Report header")),
        Option("report_doc_prefix", "NIBI", "str", QT_TRANSLATE_NOOP("Settings", "Document number prefix")),
        Option("last_registry", "", "path", QT_TRANSLATE_NOOP("Settings", "Last registry")),
        Option("recent_registries", [], "list", QT_TRANSLATE_NOOP("Settings", "Recent registries")),
        Option("proximity_threshold_m", 100, "int", QT_TRANSLATE_NOOP("Settings", "Proximity threshold (m)")),
        Option("table_columns", [], "list", QT_TRANSLATE_NOOP("Settings", "Visible table columns")),
    )
}

# version -> function(settings) run once when stored settings are older than that version (Picard's upgrade hooks).
UPGRADE_HOOKS: dict[int, Callable[["Settings"], None]] = {}


def upgrade_hook(version: int):
    """Decorator registering the upgrade to ``version``."""

    def register(fn: Callable[["Settings"], None]):
        UPGRADE_HOOKS[version] = fn
        return fn

    return register


class Settings(QObject):
    """Typed access to the options; ``changed(name, value)`` fires after a value really changed."""

    changed = Signal(str, object)

    def __init__(self, qsettings: QSettings | None = None, parent: QObject | None = None):
        super().__init__(parent)
        # INI everywhere (also on Windows, as Picard does): one format, one conversion path, easy to isolate in tests.
        self.qsettings = qsettings or QSettings(QSettings.IniFormat, QSettings.UserScope, ORGANIZATION, APPLICATION)
        self._upgrade()

    @classmethod
    def for_file(cls, path: str | Path, parent: QObject | None = None) -> "Settings":
        """Settings kept in one INI file (tests, ``--screenshot``, portable installs)."""
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        return cls(QSettings(str(path), QSettings.IniFormat), parent)

    @staticmethod
    def option(name: str) -> Option:
        try:
            return OPTIONS[name]
        except KeyError:
            raise KeyError(f"unknown setting {name!r}") from None

    def get(self, name: str) -> Any:
        option = self.option(name)
        raw = self.qsettings.value(name)
        if raw is None:
            return option.default_value()
        try:
            return option.convert(raw)
        except (ValueError, TypeError):
            log.warning("setting %s has an unusable stored value %r; using the default", name, raw)
            return option.default_value()

    def set(self, name: str, value: Any) -> None:
        option = self.option(name)
        value = option.convert(value)
        old = self.get(name)
        stored = json.dumps(value, ensure_ascii=False) if option.kind == "list" else value
        self.qsettings.setValue(name, stored)
        if value != old:
            self.changed.emit(name, value)

    def reset(self, name: str) -> None:
        """Forget the stored value so that the default applies again."""
        option = self.option(name)
        old = self.get(name)
        self.qsettings.remove(name)
        if option.default_value() != old:
            self.changed.emit(name, self.get(name))

    def is_default(self, name: str) -> bool:
        return not self.qsettings.contains(self.option(name).name)

    def add_recent_registry(self, path: str | Path, limit: int = 10) -> None:
        """Put ``path`` first in recent_registries (no duplicates) and make it the last registry."""
        path = str(path)
        recent = [p for p in self.get("recent_registries") if p != path]
        self.set("recent_registries", [path, *recent][:limit])
        self.set("last_registry", path)

    def sync(self) -> None:
        self.qsettings.sync()

    def file_name(self) -> str:
        return self.qsettings.fileName()

    def _upgrade(self) -> None:
        stored = self.qsettings.value(VERSION_KEY)
        if stored is None:
            # A fresh file has nothing to upgrade; one written before versioning counts as version 0.
            if any(k in OPTIONS for k in self.qsettings.allKeys()):
                stored = 0
            else:
                self.qsettings.setValue(VERSION_KEY, VERSION)
                return
        try:
            stored = int(stored)
        except (TypeError, ValueError):
            stored = 0
        for version in sorted(UPGRADE_HOOKS):
            if stored < version <= VERSION:
                log.info("upgrading settings to version %d", version)
                UPGRADE_HOOKS[version](self)
        if stored < VERSION:  # a newer file (after a downgrade) keeps its number
            self.qsettings.setValue(VERSION_KEY, VERSION)
