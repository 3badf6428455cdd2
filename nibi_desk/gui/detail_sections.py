"""Sections of the asset detail dock: one widget builder per section, from what one load read (detail_data)."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, \
    QWidget

from nibi_desk.domain import coords, gb28181, grid
from nibi_desk.errors import NibiError
from nibi_desk.gui.detail_common import METRES_PER_ARCSEC_LAT, MUTED, AssetTexts, alert_colours, arcsec, cell_size_m, \
    degrees, format_value, local_time, metres, muted_label, value_label
from nibi_desk.gui.detail_data import DetailData, load_detail

STATUS_COLOURS = {"planned": "#546e7a", "under_construction": "#1565c0", "in_service": "#2e7d32",
                  "faulty": "#c62828", "decommissioned": "#757575"}
THUMBNAIL = 96


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


# DetailData, load_detail and the shared pieces moved to detail_data and detail_common; importing them from here
# still works.
__all__ = ["STATUS_COLOURS", "MUTED", "THUMBNAIL", "METRES_PER_ARCSEC_LAT", "DetailData", "load_detail",
           "alert_colours", "value_label", "muted_label", "section", "format_value", "local_time", "cell_size_m",
           "arcsec", "degrees", "metres", "AssetTexts", "DetailSections"]
