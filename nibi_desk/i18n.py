"""Translation of core (Qt-free) messages: English source strings, catalogs per language in resources/.

The GUI uses Qt Linguist for widget text; the core (errors, CLI output) uses this small catalog so that it can run
without Qt. Source strings are English (gettext convention); Simplified Chinese is the default language.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache

from nibi_desk import paths

DEFAULT_LANGUAGE = "zh_CN"
SUPPORTED = ("zh_CN", "en")

_language = os.environ.get("NIBI_LANG", DEFAULT_LANGUAGE)


def set_language(lang: str) -> None:
    """Switch the language of core messages ("zh_CN" or "en")."""
    global _language
    if lang not in SUPPORTED:
        raise ValueError(f"unsupported language {lang!r}; choose one of {', '.join(SUPPORTED)}")
    _language = lang


def language() -> str:
    return _language


@lru_cache(maxsize=None)
def catalog(lang: str) -> dict[str, str]:
    if lang == "en":
        return {}
    # One JSON file per core module (resources/translations/<lang>/<module>.json) so that modules own their strings.
    merged: dict[str, str] = {}
    folder = paths.resources_dir() / "translations" / lang
    for path in sorted(folder.glob("*.json")):
        with open(path, encoding="utf-8") as f:
            merged.update(json.load(f))
    return merged


def _(message: str) -> str:
    """Translate an English source string into the current language (untranslated strings pass through)."""
    if _language == "en":
        return message
    return catalog(_language).get(message, message)


def N_(message: str) -> str:
    """Mark a string for translation without translating it now (translated when shown)."""
    return message
