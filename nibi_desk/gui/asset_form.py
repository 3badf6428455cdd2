"""The asset editor's form: loading ui/asset_editor.ui, the attribute grid, pole list, problems, position preview."""

from __future__ import annotations

from collections import defaultdict
from fractions import Fraction
from typing import Callable

from PySide6.QtCore import QFile, QIODevice, Qt
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QComboBox, QCompleter, QGridLayout, QLabel, QLineEdit, QPlainTextEdit, QWidget

from nibi_desk import paths
from nibi_desk.domain import coords, grid
from nibi_desk.errors import Problem, ValidationError
from nibi_desk.gui.attribute_fields import AttributeField
from nibi_desk.gui.detail_common import degrees

CRS_KEYS = ("WGS84", "GCJ02", "BD09")  # the order of the form's CRS combo


def load_form(parent: QWidget) -> QWidget:
    """The editor's form from ui/asset_editor.ui (loaded at run time; no generated code is kept)."""
    path = paths.ui_dir() / "asset_editor.ui"
    file = QFile(str(path))
    if not file.open(QIODevice.OpenModeFlag.ReadOnly):
        raise FileNotFoundError(f"cannot open the form {path}")
    try:
        form = QUiLoader().load(file, parent)
    finally:
        file.close()
    if form is None:
        raise RuntimeError(f"cannot load the form {path}")
    return form


def attribute_grid(attributes, owner: QWidget, error_style: str) \
        -> tuple[QWidget, dict[str, AttributeField], dict[str, QLabel]]:
    """The "attrsContent" widget: per attribute a label, its AttributeField (a child of ``owner``) and a hidden
    error label "err_attrs.<key>"; returned with the fields and the error labels by key."""
    fields: dict[str, AttributeField] = {}
    errors: dict[str, QLabel] = {}
    content = QWidget()
    content.setObjectName("attrsContent")
    grid_ = QGridLayout(content)
    grid_.setContentsMargins(0, 0, 0, 0)
    grid_.setHorizontalSpacing(8)
    grid_.setVerticalSpacing(2)
    grid_.setColumnStretch(1, 1)
    for i, attribute in enumerate(attributes):
        field = fields[attribute.key] = AttributeField(attribute, owner)
        title = attribute.title() + (" *" if attribute.required else "")
        label = QLabel(title)
        label.setBuddy(field.widget)
        top = Qt.AlignmentFlag.AlignTop if attribute.kind == "multi" else Qt.AlignmentFlag.AlignVCenter
        grid_.addWidget(label, 2 * i, 0, top)
        grid_.addWidget(field.widget, 2 * i, 1)
        err = QLabel()
        err.setObjectName(f"err_attrs.{attribute.key}")
        err.setStyleSheet(error_style)
        err.setWordWrap(True)
        err.hide()
        grid_.addWidget(err, 2 * i + 1, 1)
        errors[f"attrs.{attribute.key}"] = err
    return content, fields, errors


def pole_choices(rows, asset_id: str | None) -> tuple[dict[str, str], dict[str, str]]:
    """From the carrier rows (the asset itself left out): what the user may type in "mounted on" (the listed text or
    a code) -> asset id, and asset id -> the listed text."""
    poles: dict[str, str] = {}
    pole_text: dict[str, str] = {}
    for row in rows:
        if row["id"] == asset_id:
            continue
        text = f"{row['code']} · {row['name']}" if row["code"] else row["name"]
        poles[text] = row["id"]
        pole_text[row["id"]] = text
        if row["code"]:
            poles.setdefault(row["code"], row["id"])
    return poles, pole_text


def pole_completer(shown: list[str], parent: QWidget) -> QCompleter:
    completer = QCompleter(shown, parent)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setMaxVisibleItems(12)
    return completer


def fill_form(form: QWidget, a: dict, fields: dict[str, AttributeField]) -> None:
    """Show a recorded asset's values (the type combo and "mounted on" are left to the editor)."""
    w = form.findChild
    for name, key in (("nameEdit", "name"), ("codeEdit", "code"), ("addressEdit", "address"),
                      ("ownerEdit", "owner")):
        w(QLineEdit, name).setText(a[key] or "")
    w(QPlainTextEdit, "notesEdit").setPlainText(a["notes"] or "")
    w(QComboBox, "operatorCombo").setCurrentText(a["operator"] or "")
    status = w(QComboBox, "statusCombo")
    status.setCurrentIndex(max(status.findData(a["status"]), 0))
    if a["division"]:
        township = w(QComboBox, "townshipCombo")
        township.setCurrentIndex(max(township.findData(a["division"][:9] + "000"), 0))
        village = w(QComboBox, "villageCombo")
        village.setCurrentIndex(max(village.findData(a["division"]), 0))
    if a["lon"] is not None:
        w(QLineEdit, "lonEdit").setText(repr(a["lon"]))
        w(QLineEdit, "latEdit").setText(repr(a["lat"]))
    if a["alt"] is not None:
        w(QLineEdit, "altEdit").setText(f"{a['alt']:g}")
    for key, field in fields.items():
        field.set_value(a["attrs"].get(key))


def show_problems(errors: dict[str, QLabel], problems: list[Problem], field_title: Callable[[str], str]) -> None:
    """Each problem under its field's error label; those of fields without one in the "general" label."""
    by_field: dict[str, list[str]] = defaultdict(list)
    for p in problems:
        by_field[p.field].append(p.message())
    for field, label in errors.items():
        messages = by_field.pop(field, [])
        label.setText("\n".join(messages))
        label.setVisible(bool(messages))
    rest = [f"{field_title(f)}: {m}" for f, messages in by_field.items() for m in messages]
    general = errors["general"]
    general.setText("\n".join(rest))
    general.setVisible(bool(rest))


def update_location_preview(form: QWidget, crs: str) -> None:
    """The typed position in WGS-84 (decimal and DMS) and its level-10 grid code, or "—" while it does not parse."""
    w = form.findChild
    converted, grid_label = w(QLabel, "convertedLabel"), w(QLabel, "gridLabel")
    try:
        lon = coords.parse_coordinate_exact(w(QLineEdit, "lonEdit").text(), "lon")
        lat = coords.parse_coordinate_exact(w(QLineEdit, "latEdit").text(), "lat")
        if crs != "WGS84":  # the same rounding as check_asset, so the preview is what will be stored
            lon_f, lat_f = coords.to_wgs84(float(lon), float(lat), crs)
            lon, lat = Fraction(repr(round(lon_f, 9))), Fraction(repr(round(lat_f, 9)))
    except ValidationError:
        converted.setText("—")
        grid_label.setText("—")
        return
    converted.setText(f"{degrees(float(lon))}, {degrees(float(lat))}\n"
                      f"{coords.format_dms(float(lon), 'lon')}, {coords.format_dms(float(lat), 'lat')}")
    try:
        grid_label.setText(grid.encode(lon, lat, 10))
    except ValidationError as e:
        grid_label.setText(e.message())
