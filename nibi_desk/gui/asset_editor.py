"""The asset editor dialog: the Designer form, attribute widgets generated from the type's schema, live validation,
and the position picked on the main window's map."""

from __future__ import annotations

import traceback
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QComboBox, QDialog, QDialogButtonBox, QGroupBox, QLabel, QLineEdit, \
    QPlainTextEdit, QVBoxLayout, QWidget

from nibi_desk.domain import asset_types
from nibi_desk.domain.assets import OPERATORS, check_asset
from nibi_desk.errors import NibiError, Problem, RecordInvalid
from nibi_desk.gui.asset_form import CRS_KEYS, attribute_grid, fill_form, load_form, pole_choices, pole_completer, \
    show_problems, update_location_preview
from nibi_desk.gui.asset_saving import TEXT_FIELDS, changed_fields, write_asset
from nibi_desk.gui.attribute_fields import AttributeField
from nibi_desk.gui.detail_common import AssetTexts, alert_colours
from nibi_desk.storage import assets, divisions, reference
from nibi_desk.storage.assets import Filters
from nibi_desk.storage.reference import asset_types_document

DEBOUNCE_MS = 200


class AssetEditor(QDialog):
    """Add (``asset_id=None``) or edit one asset. Emits ``saved(asset_id)`` after a successful write. With a
    ``picker`` (the main window's map/picking.MapPicker) the position can be picked on the map."""

    saved = Signal(str)
    validated = Signal(bool)  # after each validation pass: whether the form may be saved

    def __init__(self, ctx, asset_id: str | None = None, parent: QWidget | None = None, picker=None):
        super().__init__(parent)
        self.ctx, self.asset_id, self.picker = ctx, asset_id, picker
        self.setObjectName("assetEditor")
        self.texts = AssetTexts(self)
        self.form = load_form(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        conn = ctx.registry.read()
        self._types = asset_types.load(conn)
        self._extent = reference.read_extent(conn)
        self._rules = asset_types_document()["mounts"]
        self._asset = assets.get(conn, asset_id) if asset_id else None
        self._carriers = {m["id"] for m in assets.mounts_of(conn, asset_id)["carried_by"]} if asset_id else set()
        self._fields: dict[str, AttributeField] = {}
        self._checked = None
        self._saving = False
        self._errors = {w.objectName()[4:]: w for w in self.form.findChildren(QLabel) if w.objectName()[:4] == "err_"}
        self._error_style = f"color: {alert_colours()[0]};"  # the form's red is for light themes
        for label in self._errors.values():
            label.setStyleSheet(self._error_style)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.validate)
        self._save_button = self.w(QDialogButtonBox, "buttonBox").button(QDialogButtonBox.StandardButton.Save)
        self._fill_choices(conn)
        self._prepare_attrs_group()
        self._connect()
        self._load_values()
        self.setWindowTitle(self.tr("New asset") if self._asset is None else
                            self.tr("Edit asset — {0}").format(self._asset["name"]))
        converted = self.w(QLabel, "convertedLabel")  # decimal and DMS lines: reserve both, so nothing jumps
        converted.setMinimumHeight(2 * converted.fontMetrics().lineSpacing())
        self.validate()
        hint = self.sizeHint()
        self.resize(max(960, hint.width()), hint.height())

    def w(self, cls, name: str):
        """A widget of the form by its objectName."""
        return self.form.findChild(cls, name)

    # -- set-up ------------------------------------------------------------------------------------------------
    def _fill_choices(self, conn) -> None:
        combo = self.w(QComboBox, "typeCombo")
        for code, t in self._types.items():
            combo.addItem(t.title(), code)
        status = self.w(QComboBox, "statusCombo")
        for key, title in self.texts.statuses():
            status.addItem(title, key)
        status.setCurrentIndex(status.findData("in_service"))
        operator = self.w(QComboBox, "operatorCombo")
        operator.addItem("")
        operator.addItems(list(OPERATORS))
        township = self.w(QComboBox, "townshipCombo")
        township.addItem(self.tr("— township —"), None)
        for t in divisions.townships(conn, self.ctx.registry.county):
            township.addItem(t["name"], t["code"])
        self._fill_villages()
        rows = assets.search(conn, "", Filters(types=tuple(self._rules["carriers"])), limit=100_000)
        # what the user may type (the listed text or a code) -> asset id, and asset id -> the listed text
        self._poles, self._pole_text = pole_choices(rows, self.asset_id)
        self.w(QLineEdit, "mountEdit").setCompleter(pole_completer(list(self._pole_text.values()), self))
        for err in self._errors.values():
            err.hide()
        self.w(QLabel, "findingsLabel").hide()

    def _fill_villages(self) -> None:
        village = self.w(QComboBox, "villageCombo")
        township = self.w(QComboBox, "townshipCombo").currentData()
        village.blockSignals(True)
        village.clear()
        village.addItem(self.tr("— whole township —"), None)
        if township:
            for v in divisions.children(self.ctx.registry.read(), township, self.ctx.registry.county):
                village.addItem(v["name"], v["code"])
        village.setEnabled(township is not None)
        village.blockSignals(False)

    def _prepare_attrs_group(self) -> None:
        group = self.w(QGroupBox, "attrsGroup")
        layout = QVBoxLayout(group)
        layout.setContentsMargins(9, 9, 9, 9)
        err = QLabel()
        err.setObjectName("err_attrs")
        err.setStyleSheet(self._error_style)
        err.setWordWrap(True)
        err.hide()
        layout.addWidget(err)
        self._errors["attrs"] = err
        self._attrs_content: QWidget | None = None

    def _connect(self) -> None:
        for name in ("nameEdit", "codeEdit", "addressEdit", "ownerEdit", "lonEdit", "latEdit", "altEdit", "mountEdit"):
            self.w(QLineEdit, name).textChanged.connect(self._schedule)
        self.w(QPlainTextEdit, "notesEdit").textChanged.connect(self._schedule)
        self.w(QComboBox, "operatorCombo").currentTextChanged.connect(self._schedule)
        for name in ("statusCombo", "villageCombo", "crsCombo"):
            self.w(QComboBox, name).currentIndexChanged.connect(self._schedule)
        self.w(QComboBox, "townshipCombo").currentIndexChanged.connect(self._township_changed)
        self.w(QComboBox, "typeCombo").currentIndexChanged.connect(self._type_changed)
        box = self.w(QDialogButtonBox, "buttonBox")
        box.accepted.connect(self.save)
        box.rejected.connect(self.reject)
        shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self)
        shortcut.activated.connect(self.save)
        pick = self.w(QAbstractButton, "pickButton")
        pick.clicked.connect(self.pick_on_map)
        pick.setEnabled(self.picker is not None)
        if self.picker is None:
            pick.setToolTip(self.tr("The map of the main window is not available here"))

    def _load_values(self) -> None:
        a = self._asset
        type_combo = self.w(QComboBox, "typeCombo")
        if a is None:
            self._type_changed()
            return
        type_combo.blockSignals(True)
        type_combo.setCurrentIndex(max(type_combo.findData(a["type"]), 0))
        type_combo.blockSignals(False)
        # Changing the type of a recorded asset would leave the old type's attributes behind (edit_asset merges them).
        type_combo.setEnabled(False)
        self._type_changed()
        fill_form(self.form, a, self._fields)
        if self._carriers:
            # There is no unmount command yet: choosing another pole would put the device on two poles at once.
            mount = self.w(QLineEdit, "mountEdit")
            mount.setText(self._pole_text.get(next(iter(self._carriers)), ""))
            mount.setReadOnly(True)
            mount.setClearButtonEnabled(False)
            mount.setToolTip(self.tr("Already mounted; moving a device to another pole is not possible here yet"))

    # -- reacting to edits -------------------------------------------------------------------------------------
    def _schedule(self, *_args) -> None:
        self._timer.start()

    def _township_changed(self, *_args) -> None:
        self._fill_villages()
        self._schedule()

    def _type_changed(self, *_args) -> None:
        t = self._types.get(self.type_code())
        self.w(QLabel, "codeLabel").setText(t.code_title() if t else self.texts.field("code"))
        self._build_attributes(t)
        mountable = self.type_code() in self._rules["devices"]
        mount = self.w(QLineEdit, "mountEdit")
        mount.setEnabled(mountable)
        self.w(QLabel, "lbl_mount").setEnabled(mountable)
        mount.setToolTip("" if mountable else self.tr("This type is not mounted on a pole"))
        self._schedule()

    def _build_attributes(self, asset_type) -> None:
        """Replace the attribute widgets with those of ``asset_type``'s schema."""
        group = self.w(QGroupBox, "attrsGroup")
        if self._attrs_content is not None:
            group.layout().removeWidget(self._attrs_content)
            self._attrs_content.deleteLater()
        for key in [k for k in self._errors if k.startswith("attrs.")]:
            del self._errors[key]
        for field in self._fields.values():
            field.deleteLater()
        attributes = asset_type.attributes if asset_type else ()
        content, self._fields, errors = attribute_grid(attributes, self, self._error_style)
        self._attrs_content = content
        self._errors.update(errors)
        for field in self._fields.values():
            field.changed.connect(self._schedule)
        if not attributes:
            content.layout().addWidget(QLabel(self.tr("This type has no attributes")), 0, 0)
        group.layout().addWidget(content)

    # -- values and validation ---------------------------------------------------------------------------------
    def type_code(self) -> str | None:
        return self.w(QComboBox, "typeCombo").currentData()

    def crs(self) -> str:
        return CRS_KEYS[max(self.w(QComboBox, "crsCombo").currentIndex(), 0)]

    def division(self) -> str | None:
        return self.w(QComboBox, "villageCombo").currentData() or self.w(QComboBox, "townshipCombo").currentData()

    def values(self) -> dict[str, Any]:
        """The form as the values dict of commands.add_asset (coordinates as typed, in ``crs()``)."""
        return {
            "type": self.type_code(), "name": self.w(QLineEdit, "nameEdit").text(),
            "code": self.w(QLineEdit, "codeEdit").text(), "division": self.division(),
            "address": self.w(QLineEdit, "addressEdit").text(), "lon": self.w(QLineEdit, "lonEdit").text().strip(),
            "lat": self.w(QLineEdit, "latEdit").text().strip(), "alt": self.w(QLineEdit, "altEdit").text().strip(),
            "status": self.w(QComboBox, "statusCombo").currentData(), "owner": self.w(QLineEdit, "ownerEdit").text(),
            "operator": self.w(QComboBox, "operatorCombo").currentText(),
            "notes": self.w(QPlainTextEdit, "notesEdit").toPlainText(),
            "attrs": {k: v for k, f in self._fields.items() if (v := f.value()) is not None},
        }

    def mount_target(self) -> tuple[str | None, str | None]:
        """(pole id, problem message) for the "mounted on" field."""
        if self.type_code() not in self._rules["devices"]:
            return None, None
        text = self.w(QLineEdit, "mountEdit").text().strip()
        if not text:
            return None, None
        pole = self._poles.get(text)
        if pole is None:
            return None, self.tr("No pole or tower “{0}” in this registry: pick one from the list").format(text)
        return pole, None

    def validate(self) -> bool:
        """Check the form now the way the commands will (read connection of the main thread, no writes)."""
        self._timer.stop()
        conn, county = self.ctx.registry.read(), self.ctx.registry.county
        problems: list[Problem] = []
        self._checked = None
        try:
            self._checked = check_asset(self.values(), types=self._types, county=county, extent=self._extent,
                                        division_check=lambda code: divisions.check_in_county(conn, code, county),
                                        crs=self.crs())
        except RecordInvalid as e:
            problems = list(e.problems)
        _pole, mount_problem = self.mount_target()
        if mount_problem:
            problems.append(Problem("mount", "{message}", {"message": mount_problem}))
        self._show_problems(problems)
        findings = self._checked.findings if self._checked else []
        note = self.w(QLabel, "findingsLabel")
        note.setText("\n".join(self.tr("Note: {0}").format(f) for f in findings))
        note.setVisible(bool(findings))
        self._update_location_preview()
        valid = not problems
        self._save_button.setEnabled(valid and not self._saving)
        self.validated.emit(valid)
        return valid

    def _show_problems(self, problems: list[Problem]) -> None:
        show_problems(self._errors, problems, self.texts.field)

    def _update_location_preview(self) -> None:
        update_location_preview(self.form, self.crs())

    # -- picking on the map ------------------------------------------------------------------------------------
    def pick_on_map(self) -> None:
        """Step aside for the map: the dialog hides until the user clicks the position (or cancels with Esc)."""
        if self.picker is not None:
            self.picker.start(self, self.pick_prompt(), self.set_picked_position)

    def pick_prompt(self) -> str:
        name = self.w(QLineEdit, "nameEdit").text().strip()
        return (self.tr("Click the map where “{name}” is (Esc cancels)").format(name=name) if name else
                self.tr("Click the map where the asset is (Esc cancels)"))

    def set_picked_position(self, lon: float, lat: float) -> None:
        """A position picked on the map. The map is WGS-84: the coordinate system switches to it rather than
        converting into GCJ-02/BD-09 and back, so what is stored is exactly the point that was clicked."""
        self.w(QComboBox, "crsCombo").setCurrentIndex(CRS_KEYS.index("WGS84"))
        self.w(QLineEdit, "lonEdit").setText(f"{lon:.6f}")
        self.w(QLineEdit, "latEdit").setText(f"{lat:.6f}")
        self.validate()

    # -- saving ------------------------------------------------------------------------------------------------
    def changes(self) -> dict[str, Any]:
        """For an edit: only the fields whose checked value differs from the record (run after validate())."""
        return changed_fields(self._asset, self._checked.values, self.values(), self._fields)

    def save(self) -> None:
        if self._saving or not self.validate():
            return
        pole, _problem = self.mount_target()
        mount_to = pole if pole and pole not in self._carriers else None
        payload = self.values() if self._asset is None else self.changes()
        if self._asset is not None and not payload and not mount_to:
            self._finish(self.asset_id)  # nothing changed
            return
        self._set_saving(True)
        self.ctx.tasks.run(write_asset, self.ctx, self.asset_id, payload, self.crs(), mount_to,
                           label=self.tr("Saving asset"), cancellable=False, on_done=self._saved,
                           on_error=self._save_failed)

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.form.setEnabled(not saving)
        self._save_button.setEnabled(not saving)

    def _saved(self, result: dict) -> None:
        self._set_saving(False)
        error = result["mount_error"]
        if error is not None:
            self.ctx.interaction.error(self.tr("The asset was saved but not mounted"), error.message())
        self._finish(result["id"])

    def _finish(self, asset_id: str) -> None:
        self.asset_id = asset_id
        self.saved.emit(asset_id)
        self.accept()

    def _save_failed(self, error: BaseException) -> None:
        self._set_saving(False)
        self.validate()
        if isinstance(error, RecordInvalid):  # the registry changed under us: show where, like live validation
            self._show_problems(error.problems)
            self._save_button.setEnabled(False)
        text = error.message() if isinstance(error, NibiError) else str(error)
        details = "" if isinstance(error, NibiError) else "".join(traceback.format_exception(error))
        self.ctx.interaction.error(self.tr("The asset was not saved"), text, details)


# The form helpers and the save worker live in asset_form and asset_saving; importing them from here still works.
__all__ = ["AssetEditor", "CRS_KEYS", "DEBOUNCE_MS", "TEXT_FIELDS", "load_form", "write_asset"]
