"""The browser's columns, declared once: key, translated title, sort key, default visibility and width."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from PySide6.QtCore import QCoreApplication, QT_TRANSLATE_NOOP

CONTEXT = "AssetColumns"  # translation context of the column titles


@dataclass(frozen=True)
class Column:
    key: str
    title: str            # English source; shown through QCoreApplication.translate(CONTEXT, title)
    sort: str             # a key of storage.assets.ORDER_BY (the SQL stays in the storage layer)
    visible: bool = True  # default visibility (the column chooser and settings override it)
    numeric: bool = False
    width: int = 14       # default width in average character widths (a Chinese character counts about two)

    def translated_title(self) -> str:
        return QCoreApplication.translate(CONTEXT, self.title)


COLUMNS: tuple[Column, ...] = (
    Column("code", QT_TRANSLATE_NOOP("AssetColumns", "Code"), "code", width=22),
    Column("name", QT_TRANSLATE_NOOP("AssetColumns", "Name"), "name", width=32),
    Column("type", QT_TRANSLATE_NOOP("AssetColumns", "Type"), "type", width=13),
    Column("status", QT_TRANSLATE_NOOP("AssetColumns", "Status"), "status", width=16),
    Column("township", QT_TRANSLATE_NOOP("AssetColumns", "Township"), "township", width=12),
    Column("operator", QT_TRANSLATE_NOOP("AssetColumns", "Operator"), "operator", width=16),
    Column("owner", QT_TRANSLATE_NOOP("AssetColumns", "Owner"), "owner", width=20, visible=False),
    Column("address", QT_TRANSLATE_NOOP("AssetColumns", "Address"), "address", width=36),
    Column("lon", QT_TRANSLATE_NOOP("AssetColumns", "Longitude"), "lon", width=12, visible=False, numeric=True),
    Column("lat", QT_TRANSLATE_NOOP("AssetColumns", "Latitude"), "lat", width=12, visible=False, numeric=True),
    Column("grid_code", QT_TRANSLATE_NOOP("AssetColumns", "BeiDou grid code"), "grid_code", width=24, visible=False),
    Column("updated", QT_TRANSLATE_NOOP("AssetColumns", "Updated"), "updated", width=17),
)
COLUMN_KEYS = tuple(c.key for c in COLUMNS)


@lru_cache(maxsize=4096)
def stamp_time(hlc: str | None) -> str:
    """The local date and time of a version stamp (its wall-clock milliseconds), for the "updated" column."""
    if not hlc:
        return ""
    try:
        return datetime.fromtimestamp(int(hlc.split("-", 1)[0]) / 1000).strftime("%Y-%m-%d %H:%M")
    except (ValueError, OSError):
        return ""
