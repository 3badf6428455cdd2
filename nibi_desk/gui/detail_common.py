"""Shared pieces of the asset detail dock, the editor and the inspection windows: AssetTexts, formatting, labels."""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QLabel

from nibi_desk.domain import grid
from nibi_desk.domain.asset_types import Attribute

MUTED = "color: palette(placeholder-text);"
METRES_PER_ARCSEC_LAT = 30.87  # one arc-second of latitude on the WGS-84 ellipsoid, near enough for a size hint


def alert_colours() -> tuple[str, str]:
    """(error, finding) text colours that read well on the current palette, light or dark theme."""
    dark = QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128
    return ("#ff6b68", "#ffb74d") if dark else ("#c62828", "#a15c00")


def value_label(text: str, object_name: str = "", rich: bool = False) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.RichText if rich else Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if object_name:
        label.setObjectName(object_name)
    return label


def muted_label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(MUTED)
    return label


def format_value(attribute: Attribute, value: Any, texts: "AssetTexts") -> str:
    """An attribute value as a person reads it: translated enum labels, yes/no, the unit."""
    if value is None or value == "" or value == []:
        return "—"
    if attribute.kind == "enum":
        return attribute.value_title(value)
    if attribute.kind == "multi":
        items = value if isinstance(value, (list, tuple)) else [value]
        return texts.list_separator().join(attribute.value_title(v) for v in items)
    if attribute.kind == "bool":
        return texts.yes_no(bool(value))
    if attribute.kind in ("int", "float") and attribute.unit:
        return f"{value} {attribute.unit}"
    return str(value)


def local_time(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    except (TypeError, ValueError):
        return str(iso)


def cell_size_m(level: int, lat: float) -> tuple[float, float]:
    """Approximate (east-west, north-south) size in metres of a grid cell of ``level`` at latitude ``lat``."""
    import math

    w, h = grid.LEVEL_SIZES[level]
    return float(w) * METRES_PER_ARCSEC_LAT * math.cos(math.radians(lat)), float(h) * METRES_PER_ARCSEC_LAT


def arcsec(value: Fraction) -> str:
    return f"{value.numerator}″" if value.denominator == 1 else f"{value.numerator}/{value.denominator}″"


def degrees(value: float) -> str:
    """Decimal degrees as stored (at most 9 places, which is below a millimetre), without trailing zeros."""
    text = f"{value:.9f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def metres(value: float) -> str:
    return f"{value:.1f} m" if value >= 1 else f"{value * 100:.1f} cm"


class AssetTexts(QObject):
    """The GUI's own words for asset fields, statuses and audit actions (Qt Linguist context "AssetTexts")."""

    def status(self, key: str | None) -> str:
        titles = {"planned": self.tr("Planned"), "under_construction": self.tr("Under construction"),
                  "in_service": self.tr("In service"), "faulty": self.tr("Faulty"),
                  "decommissioned": self.tr("Decommissioned")}
        return titles.get(key or "", key or "—")

    def statuses(self) -> list[tuple[str, str]]:
        keys = ("planned", "under_construction", "in_service", "faulty", "decommissioned")
        return [(k, self.status(k)) for k in keys]

    def field(self, key: str) -> str:
        titles = {"type": self.tr("Type"), "code": self.tr("Code"), "name": self.tr("Name"),
                  "division": self.tr("Division"), "address": self.tr("Address"), "lon": self.tr("Longitude"),
                  "lat": self.tr("Latitude"), "alt": self.tr("Altitude"), "grid_code": self.tr("BeiDou grid code"),
                  "status": self.tr("Status"), "owner": self.tr("Owner"), "operator": self.tr("Operator"),
                  "notes": self.tr("Notes"), "attrs": self.tr("Attributes"), "deleted": self.tr("Deleted")}
        return titles.get(key, key)

    def action(self, key: str) -> str:
        titles = {"insert": self.tr("created"), "update": self.tr("changed"), "delete": self.tr("deleted"),
                  "restore": self.tr("restored")}
        return titles.get(key, key)

    def yes_no(self, value: bool) -> str:
        return self.tr("yes") if value else self.tr("no")

    def list_separator(self) -> str:
        return self.tr(", ")

