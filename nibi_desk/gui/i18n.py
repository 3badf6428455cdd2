"""Qt translations of the GUI: the app's catalog (built from the committed .ts) plus Qt's own, switchable live.

English is the source language: switching to "en" removes every translator. For another language the app catalog
comes from, in order: a ``nibi_<lang>.qm`` beside the ``.ts`` that is not older than it (a packaged build), a cached
``.qm`` in the data directory compiled from the current ``.ts`` with PySide6's lrelease, and — when no lrelease can
be found (a frozen app without the tool) — the ``.ts`` read directly.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from nibi_desk import datadir, paths
from nibi_desk import i18n as core_i18n

log = logging.getLogger(__name__)

SOURCE_LANGUAGE = "en"
QT_CATALOGS = ("qtbase",)  # Qt's own strings: standard buttons, file and colour dialogs, context menus

_installed: list[QTranslator] = []
_language: str = SOURCE_LANGUAGE


def translations_dir() -> Path:
    return paths.resources_dir() / "translations"


def ts_path(lang: str) -> Path:
    return translations_dir() / f"nibi_{lang}.ts"


def cache_dir() -> Path:
    return datadir.data_dir() / "cache" / "translations"


def find_qt_tool(name: str) -> Path | None:
    """A Linguist tool (``lrelease``, ``lupdate``) shipped with PySide6, or on PATH; None when there is none."""
    import PySide6

    exe = f"{name}.exe" if sys.platform == "win32" else name
    package = Path(PySide6.__file__).resolve().parent
    candidates = [package / exe, package / "Qt" / "bin" / exe, package / "Qt" / "libexec" / exe,
                  Path(sys.executable).parent / f"pyside6-{exe}"]
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    for command in (f"pyside6-{name}", name):
        found = shutil.which(command)
        if found:
            return Path(found)
    return None


def build_qm(ts: Path, qm: Path, timeout: float = 120) -> bool:
    """Compile ``ts`` into ``qm`` with lrelease; False (logged) when the tool is missing or fails."""
    tool = find_qt_tool("lrelease")
    if tool is None:
        log.warning("lrelease not found; reading %s directly", ts)
        return False
    qm.parent.mkdir(parents=True, exist_ok=True)
    tmp = qm.with_suffix(f".{os.getpid()}.tmp")
    try:
        run = subprocess.run([str(tool), "-silent", str(ts), "-qm", str(tmp)], capture_output=True, text=True,
                             timeout=timeout)
        if run.returncode != 0 or not tmp.is_file():
            log.warning("lrelease failed on %s: %s", ts, (run.stderr or run.stdout).strip())
            return False
        os.replace(tmp, qm)  # atomic: a second instance never loads a half-written file
        return True
    except (OSError, subprocess.SubprocessError) as e:
        log.warning("could not run lrelease on %s: %s", ts, e)
        return False
    finally:
        tmp.unlink(missing_ok=True)


def compiled_catalog(lang: str) -> Path | None:
    """The .qm to load for ``lang`` (built into the cache when needed); None when no compiled file is available."""
    ts = ts_path(lang)
    packaged = translations_dir() / f"nibi_{lang}.qm"
    if packaged.is_file() and (not ts.is_file() or packaged.stat().st_mtime >= ts.stat().st_mtime):
        return packaged
    if not ts.is_file():
        return None
    # Named by the .ts content: a stale cache can never be mistaken for a fresh one, whatever the mtimes say.
    digest = hashlib.sha1(ts.read_bytes()).hexdigest()[:12]
    cached = cache_dir() / f"nibi_{lang}-{digest}.qm"
    if cached.is_file():
        return cached
    if not build_qm(ts, cached):
        return None
    for old in cached.parent.glob(f"nibi_{lang}-*.qm"):
        if old != cached:
            old.unlink(missing_ok=True)
    return cached


class TsTranslator(QTranslator):
    """Serves finished translations straight from a .ts file (fallback when no lrelease is available)."""

    def __init__(self, ts: Path, parent=None):
        super().__init__(parent)
        self.messages: dict[tuple[str, str], str] = {}
        for context in ET.parse(ts).getroot().iter("context"):
            name = context.findtext("name", "")
            for message in context.iter("message"):
                translation = message.find("translation")
                if translation is None or translation.get("type") in ("unfinished", "obsolete", "vanished"):
                    continue
                if translation.text:
                    self.messages[(name, message.findtext("source", ""))] = translation.text

    def translate(self, context, source_text, disambiguation=None, n=-1):
        return self.messages.get((context, source_text))  # None = a null QString: "not here, ask the next"

    def isEmpty(self) -> bool:
        return not self.messages


def _app_translator(lang: str) -> QTranslator | None:
    qm = compiled_catalog(lang)
    if qm is not None:
        translator = QTranslator()
        if translator.load(str(qm)):
            return translator
        log.warning("could not load %s", qm)
    ts = ts_path(lang)
    if ts.is_file():
        try:
            return TsTranslator(ts)
        except ET.ParseError as e:
            log.warning("unreadable translation source %s: %s", ts, e)
    log.warning("no translation catalog for %s", lang)
    return None


def _qt_translators(lang: str) -> list[QTranslator]:
    folder = QLibraryInfo.path(QLibraryInfo.TranslationsPath)
    found = []
    for catalog in QT_CATALOGS:
        translator = QTranslator()
        if translator.load(f"{catalog}_{lang}", folder):
            found.append(translator)
        else:
            log.info("Qt's %s_%s translation not found in %s", catalog, lang, folder)
    return found


def install_translations(app: QCoreApplication, lang: str) -> None:
    """Switch the whole interface (app, Qt's dialogs, core messages) to ``lang``; widgets get a LanguageChange."""
    core_i18n.set_language(lang)  # also rejects unsupported languages before anything is removed
    global _language
    remove_translations(app)
    if lang != SOURCE_LANGUAGE:
        translators = _qt_translators(lang)
        app_translator = _app_translator(lang)
        if app_translator is not None:
            translators.append(app_translator)  # installed last = asked first
        for translator in translators:
            translator.setParent(app)
            app.installTranslator(translator)
            _installed.append(translator)
    QLocale.setDefault(QLocale(lang if lang != SOURCE_LANGUAGE else "en_US"))
    _language = lang


def remove_translations(app: QCoreApplication) -> None:
    """Back to the English source strings (tests; ``install_translations`` calls it on a switch)."""
    global _language
    while _installed:
        translator = _installed.pop()
        app.removeTranslator(translator)
        translator.deleteLater()
    _language = SOURCE_LANGUAGE


def installed_translators() -> list[QTranslator]:
    return list(_installed)


def current_language() -> str:
    """The language whose translators are installed ("en" before any install)."""
    return _language
