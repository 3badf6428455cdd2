"""Sections of the asset detail dock: what one load reads (on a worker thread) and one widget builder per section."""

from __future__ import annotations

import html
import json
from dataclasses import dataclass, field
from datetime import datetime
from fractions import Fraction
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QGuiApplication, QPalette, QPixmap
from PySide6.QtWidgets import QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, \
    QWidget

from nibi_desk.domain import asset_types, coords, gb28181, grid
from nibi_desk.domain.asset_types import AssetType, Attribute
from nibi_desk.errors import NibiError
from nibi_desk.storage import assets, divisions

STATUS_COLOURS = {"planned": "#546e7a", "under_construction": "#1565c0", "in_service": "#2e7d32",
                  "faulty": "#c62828", "decommissioned": "#757575"}
MUTED = "color: palette(placeholder-text);"
THUMBNAIL = 96
METRES_PER_ARCSEC_LAT = 30.87  # one arc-second of latitude on the WGS-84 ellipsoid, near enough for a size hint


@dataclass
class DetailData:
    """Everything one asset's panel shows, read in one go on a worker thread (no Qt objects)."""

    asset: dict
    asset_type: AssetType | None
    county: str
    division_path: list[str]
    mounts: dict[str, list[dict]]
    audit: list[dict]                       # newest first
    division_names: dict[str, str] = field(default_factory=dict)
    type_titles: dict[str, str] = field(default_factory=dict)
    history: dict | None = None             # inspections and open defects (gui.inspection.history.load_history)

    def linked_ids(self) -> set[str]:
        return {m["id"] for group in self.mounts.values() for m in group}


def load_detail(registry, asset_id: str) -> DetailData:
    """Read an asset and its context with this thread's read connection."""
    conn = registry.read()
    asset = assets.get(conn, asset_id)
    types = asset_types.load(conn)
    chain = divisions.ancestors(conn, asset["division"]) if asset["division"] else []
    audit = list(reversed(assets.audit_of(conn, asset_id)))
    codes = {asset["division"]} if asset["division"] else set()
    for entry in audit:  # divisions named in the history are shown by name too
        changes = json.loads(entry["changes"]) if entry["changes"] else {}
        codes.update(code for code in changes.get("division") or () if code)
    names = {}
    for code in codes:
        row = divisions.get(conn, code)
        if row:
            names[code] = row["name"]
    from nibi_desk.gui.inspection.history import load_history

    return DetailData(asset, types.get(asset["type"]), registry.county, [d["name"] for d in reversed(chain)],
                      assets.mounts_of(conn, asset_id), audit, names, {k: t.title() for k, t in types.items()},
                      load_history(conn, asset_id))


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


def section(title: str, object_name: str, form: bool = True) -> tuple[QGroupBox, QFormLayout | QVBoxLayout]:
    box = QGroupBox(title)
    box.setObjectName(object_name)
    if form:
        layout = QFormLayout(box)
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    else:
        layout = QVBoxLayout(box)
    layout.setContentsMargins(8, 6, 8, 8)
    layout.setSpacing(4)
    return box, layout


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


class DetailSections(QObject):
    """Builds the dock's section widgets from a DetailData; mount links call ``on_link(asset_id)``."""

    def __init__(self, on_link: Callable[[str], None], parent: QObject | None = None):
        super().__init__(parent)
        self.texts = AssetTexts(self)
        self.on_link = on_link

    # -- header and plain fields -------------------------------------------------------------------------------
    def header(self, data: DetailData, on_edit: Callable[[], None]) -> QWidget:
        a, t = data.asset, data.asset_type
        box = QWidget()
        box.setObjectName("section_header")
        layout = QGridLayout(box)
        layout.setContentsMargins(4, 4, 4, 4)
        name = value_label(a["name"], "detailName")
        font = name.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        name.setFont(font)
        layout.addWidget(name, 0, 0, 1, 2)
        kind = t.title() if t else a["type"]
        layout.addWidget(value_label(kind, "detailType"), 1, 0)
        badge = QLabel(self.texts.status(a["status"]))
        badge.setObjectName("statusBadge")
        colour = STATUS_COLOURS.get(a["status"], "#757575")
        badge.setStyleSheet(f"QLabel {{ background: {colour}; color: white; border-radius: 8px; padding: 1px 8px; }}")
        badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(badge, 1, 1, Qt.AlignmentFlag.AlignRight)
        code_title = t.code_title() if t else self.texts.field("code")
        code = value_label(f"{code_title}: {a['code'] or '—'}", "detailCode")
        layout.addWidget(code, 2, 0)
        edit = QPushButton(self.tr("Edit…"))
        edit.setObjectName("editButton")
        edit.setEnabled(not a["deleted"])
        edit.clicked.connect(on_edit)
        layout.addWidget(edit, 2, 1, Qt.AlignmentFlag.AlignRight)
        if a["deleted"]:
            deleted = QLabel(self.tr("Deleted"))
            deleted.setStyleSheet("QLabel { background: #424242; color: white; border-radius: 8px; padding: 1px 8px; }")
            layout.addWidget(deleted, 3, 1, Qt.AlignmentFlag.AlignRight)
        layout.setColumnStretch(0, 1)
        return box

    def fields(self, data: DetailData) -> QGroupBox:
        a = data.asset
        box, form = section(self.tr("Location and ownership"), "section_fields")
        path = " / ".join(data.division_path) if data.division_path else (a["division"] or "—")
        form.addRow(self.texts.field("division"), value_label(path, "divisionPath"))
        form.addRow(self.texts.field("address"), value_label(a["address"] or "—"))
        if a["lon"] is not None and a["lat"] is not None:
            position = (f"{degrees(a['lon'])}, {degrees(a['lat'])}\n"
                        f"{coords.format_dms(a['lon'], 'lon')}, {coords.format_dms(a['lat'], 'lat')}")
            form.addRow(self.tr("Position (WGS-84)"), value_label(position, "position"))
        else:
            form.addRow(self.tr("Position (WGS-84)"), muted_label(self.tr("not located yet")))
        alt = self.tr("{0} m").format(f"{a['alt']:g}") if a["alt"] is not None else "—"
        form.addRow(self.texts.field("alt"), value_label(alt))
        form.addRow(self.texts.field("owner"), value_label(a["owner"] or "—"))
        form.addRow(self.texts.field("operator"), value_label(a["operator"] or "—"))
        form.addRow(self.texts.field("notes"), value_label(a["notes"] or "—"))
        return box

    def attributes(self, data: DetailData) -> QGroupBox:
        box, form = section(self.tr("Attributes"), "section_attributes")
        attrs = data.asset["attrs"] or {}
        if data.asset_type is None:
            form.addRow(muted_label(self.tr("Unknown asset type {0}").format(data.asset["type"])))
            return box
        for attribute in data.asset_type.attributes:
            form.addRow(attribute.title(), value_label(format_value(attribute, attrs.get(attribute.key), self.texts)))
        return box

    # -- codes -------------------------------------------------------------------------------------------------
    def grid(self, data: DetailData) -> QGroupBox:
        box, form = section(self.tr("BeiDou grid code"), "section_grid")
        code = data.asset["grid_code"]
        if not code:
            form.addRow(muted_label(self.tr("No grid code: the asset has no position yet")))
            return box
        lat = data.asset["lat"] or 0.0
        w10, h10 = grid.LEVEL_SIZES[10]
        mw, mh = cell_size_m(10, lat)
        form.addRow(self.tr("Level 10"), value_label(code, "gridCode"))
        form.addRow(self.tr("Cell"), value_label(self.tr("{0} × {1} (about {2} × {3})").format(
            arcsec(w10), arcsec(h10), metres(mw), metres(mh))))
        prefix = code[:grid.CODE_LENGTHS[7]]
        w7, h7 = grid.LEVEL_SIZES[7]
        mw7, mh7 = cell_size_m(7, lat)
        form.addRow(self.tr("Level 7"), value_label(self.tr("{0} ({1} × {2}, about {3} × {4})").format(
            prefix, arcsec(w7), arcsec(h7), metres(mw7), metres(mh7)), "gridLevel7"))
        return box

    def gb28181(self, data: DetailData) -> QGroupBox | None:
        t = data.asset_type
        if t is None or t.code_rule.get("format") != "gb28181":
            return None
        box, layout = section(self.tr("GB/T 28181 decoding"), "section_gb28181", form=False)
        code = data.asset["code"]
        if not code:
            layout.addWidget(muted_label(self.tr("No GB/T 28181 ID recorded")))
            return box
        try:
            device = gb28181.parse(code, county=data.county)
        except NibiError as e:
            label = value_label(e.message(), "gbError")
            label.setStyleSheet(f"color: {alert_colours()[0]};")
            layout.addWidget(label)
            return box
        lines = device.labels()
        plain = len(lines) - len(device.findings)
        amber = alert_colours()[1]
        for i, line in enumerate(lines):
            label = value_label(line, "gbLine" if i < plain else "gbFinding")
            if i >= plain:
                label.setStyleSheet(f"color: {amber}; font-weight: bold;")
            layout.addWidget(label)
        return box

    # -- related records ---------------------------------------------------------------------------------------
    def mounts(self, data: DetailData) -> QGroupBox:
        box, layout = section(self.tr("Mounts"), "section_mounts", form=False)
        groups = ((self.tr("Carries"), data.mounts["carries"]), (self.tr("Mounted on"), data.mounts["carried_by"]))
        if not any(rows for _, rows in groups):
            layout.addWidget(muted_label(self.tr("Not mounted and carries nothing")))
            return box
        for title, rows in groups:
            if not rows:
                continue
            layout.addWidget(QLabel(f"<b>{html.escape(title)}</b>"))
            for row in rows:
                layout.addWidget(self._link(row))
        return box

    def _link(self, row: dict) -> QPushButton:
        position = f" · {row['position']}" if row.get("position") else ""
        text = f"{row['name']} ({row['code'] or '—'}){position}"
        button = QPushButton(text)
        button.setObjectName("mountLink")
        button.setProperty("assetId", row["id"])
        button.setFlat(True)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.setToolTip(self.tr("Show this asset"))
        button.setStyleSheet("QPushButton { text-align: left; color: palette(link); text-decoration: underline; "
                             "padding: 2px 4px; border: none; }")
        asset_id = row["id"]
        button.clicked.connect(lambda _checked=False: self.on_link(asset_id))
        return button

    def photos(self, paths: list[str]) -> tuple[QGroupBox, QWidget]:
        box, layout = section(self.tr("Photos"), "section_photos", form=False)
        strip = QWidget()
        strip.setObjectName("photoStrip")
        QHBoxLayout(strip).setContentsMargins(0, 0, 0, 0)
        layout.addWidget(strip)
        self.fill_photos(strip, paths)
        return box, strip

    def fill_photos(self, strip: QWidget, paths: list[str]) -> None:
        row = strip.layout()
        while row.count():
            item = row.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        if not paths:
            row.addWidget(muted_label(self.tr("No photos yet")))
            return
        for path in paths:
            thumb = QLabel()
            thumb.setObjectName("photoThumb")
            thumb.setToolTip(str(path))
            thumb.setFixedSize(THUMBNAIL, THUMBNAIL)
            thumb.setAlignment(Qt.AlignmentFlag.AlignCenter)
            pixmap = QPixmap(str(path))
            if pixmap.isNull():
                thumb.setText(self.tr("cannot read\n{0}").format(Path(path).name))
                thumb.setWordWrap(True)
                thumb.setStyleSheet("border: 1px dashed palette(mid);")
            else:
                thumb.setPixmap(pixmap.scaled(THUMBNAIL, THUMBNAIL, Qt.AspectRatioMode.KeepAspectRatio,
                                              Qt.TransformationMode.SmoothTransformation))
            row.addWidget(thumb)
        row.addStretch(1)

    def inspections(self, data: DetailData | None = None) -> QGroupBox:
        from nibi_desk.gui.inspection.history import History

        box, layout = section(self.tr("Inspections"), "section_inspections", form=False)
        History(box).fill(layout, data.history if data is not None else None)
        return box

    def audit(self, data: DetailData) -> QGroupBox:
        box, layout = section(self.tr("History"), "section_audit", form=False)
        if not data.audit:
            layout.addWidget(muted_label(self.tr("No history recorded")))
        for entry in data.audit:
            label = value_label(self._audit_html(entry, data), "auditEntry", rich=True)
            layout.addWidget(label)
        return box

    def _audit_html(self, entry: dict, data: DetailData) -> str:
        who = entry["actor"] or self.tr("unknown user")
        head = self.tr("{0} · {1} · {2}").format(local_time(entry["at"]), who, self.texts.action(entry["action"]))
        lines = [f"<b>{html.escape(head)}</b>"]
        changes = json.loads(entry["changes"]) if entry["changes"] else {}
        for key, (before, after) in changes.items():
            if key == "attrs":
                lines += self._attrs_change(before, after, data)
                continue
            title = self.texts.field(key)
            if entry["action"] == "insert":
                lines.append(html.escape(f"{title}: {self._show(key, after, data)}"))
            else:
                lines.append(html.escape(f"{title}: {self._show(key, before, data)} → {self._show(key, after, data)}"))
        return "<br>".join(lines)

    def _attrs_change(self, before: Any, after: Any, data: DetailData) -> list[str]:
        try:
            old = json.loads(before) if isinstance(before, str) else (before or {})
            new = json.loads(after) if isinstance(after, str) else (after or {})
        except ValueError:
            return [html.escape(f"{self.texts.field('attrs')}: {before} → {after}")]
        t, lines = data.asset_type, []
        for key in sorted(set(old) | set(new)):
            if old.get(key) == new.get(key):
                continue
            attribute = t.attribute(key) if t else None
            if attribute is None:
                lines.append(html.escape(f"{key}: {old.get(key, '—')} → {new.get(key, '—')}"))
            elif key not in old:
                lines.append(html.escape(f"{attribute.title()}: {format_value(attribute, new.get(key), self.texts)}"))
            else:
                lines.append(html.escape(f"{attribute.title()}: {format_value(attribute, old.get(key), self.texts)} → "
                                         f"{format_value(attribute, new.get(key), self.texts)}"))
        return lines

    def _show(self, key: str, value: Any, data: DetailData) -> str:
        if value is None or value == "":
            return "—"
        if key == "status":
            return self.texts.status(value)
        if key == "type":
            return data.type_titles.get(value, str(value))
        if key == "division":
            name = data.division_names.get(value)
            return f"{name} ({value})" if name else str(value)
        if key == "deleted":
            return self.texts.yes_no(bool(value))
        return str(value)
