"""The inspection window's photo strip: thumbnails made in the background, the time/place findings of each photo,
adding photos (files or a folder), taking the inspector's position from one, removing one from the draft."""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QListView, QListWidget, QListWidgetItem, QVBoxLayout, \
    QWidget

from nibi_desk.gui.inspection.common import THUMB, alert_colours, flag_text, short_time, tap_button
from nibi_desk.inspection.form import Form
from nibi_desk.photos import thumbs
from nibi_desk.photos.store import PhotoStore



class PhotosPanel(QGroupBox):
    """``add_requested(folder)`` asks the window to add photos (files, or a folder when True);
    ``position_requested(evidence_id)`` and ``remove_requested(evidence_id)`` act on the chosen photo."""

    add_requested = Signal(bool)
    position_requested = Signal(str)
    remove_requested = Signal(str)

    def __init__(self, ctx, form: Form, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.form = form
        self.setObjectName("photosPanel")
        self.photos: list[dict] = []
        self.editable = True
        self.list = QListWidget()
        self.list.setObjectName("photoList")
        self.list.setViewMode(QListView.ViewMode.IconMode)
        self.list.setFlow(QListView.Flow.LeftToRight)
        self.list.setWrapping(False)
        self.list.setIconSize(QSize(THUMB, THUMB))
        self.list.setGridSize(QSize(THUMB + 24, THUMB + 44))
        self.list.setFixedHeight(THUMB + 64)
        self.list.setMovement(QListView.Movement.Static)
        self.list.setWordWrap(True)
        self.list.currentRowChanged.connect(self._selected)
        self.empty = QLabel()
        self.empty.setObjectName("noPhotos")
        self.empty.setStyleSheet("color: palette(placeholder-text);")
        self.findings = QLabel()
        self.findings.setObjectName("photoFindings")
        self.findings.setWordWrap(True)
        self.findings.setStyleSheet(f"color: {alert_colours()[1]};")
        self.add_button = tap_button("", "addPhotos", icon_name="fa5s.camera")
        self.folder_button = tap_button("", "addFolder", icon_name="fa5s.folder-open")
        self.position_button = tap_button("", "photoPosition")
        self.remove_button = tap_button("", "removePhoto")
        self.add_button.clicked.connect(lambda: self.add_requested.emit(False))
        self.folder_button.clicked.connect(lambda: self.add_requested.emit(True))
        self.position_button.clicked.connect(lambda: self.position_requested.emit(self.current_id()))
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self.current_id()))
        buttons = QHBoxLayout()
        for button in (self.add_button, self.folder_button, self.position_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addWidget(self.empty)
        layout.addWidget(self.findings)
        layout.addLayout(buttons)
        self.retranslate()
        self.load([], True)

    def retranslate(self) -> None:
        self.setTitle(self.tr("Photos"))
        self.empty.setText(self.tr("No photos yet. Add them here, or with the Photos button of an item."))
        self.add_button.setText(self.tr("Add photos…"))
        self.add_button.setToolTip(self.tr("Add photos from files (Ctrl+P)"))
        self.folder_button.setText(self.tr("Add a folder…"))
        self.position_button.setText(self.tr("Use its position"))
        self.position_button.setToolTip(self.tr("Where I stood = where this photo was taken (EXIF GPS)"))
        self.remove_button.setText(self.tr("Remove"))
        self._render()

    def load(self, photos: list[dict], editable: bool) -> None:
        """Show an inspection's evidence rows (``evidence.of_inspection``)."""
        self.photos, self.editable = photos, editable
        self._render()
        store = PhotoStore.for_registry(self.ctx.registry.path)
        for photo in photos:
            sha = photo["sha256"]
            self.ctx.tasks.run(thumbs.thumbnail, store, sha, THUMB, on_done=lambda path, s=sha: self._thumb(s, path),
                               on_error=lambda _e: None)

    def _render(self) -> None:
        current = self.current_id()
        self.list.clear()
        for photo in self.photos:
            item = QListWidgetItem(self._caption(photo))
            item.setData(Qt.ItemDataRole.UserRole, photo["id"])
            item.setToolTip(self._tooltip(photo))
            item.setSizeHint(QSize(THUMB + 20, THUMB + 40))
            self.list.addItem(item)
            if photo["id"] == current:
                self.list.setCurrentItem(item)
        self.list.setVisible(bool(self.photos))
        self.empty.setVisible(not self.photos)
        for button in (self.add_button, self.folder_button):
            button.setVisible(self.editable)
        self._selected()

    def _caption(self, photo: dict) -> str:
        where = self.form.field(photo["item"]).title() if photo["item"] and self._known(photo["item"]) \
            else self.tr("General")
        codes = {f.get("code") for f in photo["flags"]}
        marks = [self.tr("time?") for c in ("photo_time_far", "photo_time_unknown") if c in codes][:1] + \
            [self.tr("place?") for c in ("photo_position_far", "photo_position_unknown") if c in codes][:1]
        return f"{where}\n{' '.join(marks)}" if marks else where

    def _known(self, key: str) -> bool:
        return any(f.key == key for f in self.form.fields)

    def _tooltip(self, photo: dict) -> str:
        lines = [photo.get("original_name") or photo["sha256"][:12],
                 self.tr("Taken: {0}").format(short_time(photo.get("taken_at")))]
        lines += [flag_text(f) for f in photo["flags"]]
        return "\n".join(lines)

    def _thumb(self, sha: str, path) -> None:
        if not shiboken6.isValid(self):  # the window closed while the thumbnail was made
            return
        pixmap = QPixmap(str(path))
        for i in range(self.list.count()):
            item = self.list.item(i)
            photo = self._photo(item.data(Qt.ItemDataRole.UserRole))
            if photo is not None and photo["sha256"] == sha:
                item.setIcon(QIcon(pixmap))

    def _photo(self, evidence_id: str | None) -> dict | None:
        return next((p for p in self.photos if p["id"] == evidence_id), None)

    def current_id(self) -> str | None:
        item = self.list.currentItem() if hasattr(self, "list") else None
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def select(self, evidence_id: str) -> None:
        for i in range(self.list.count()):
            if self.list.item(i).data(Qt.ItemDataRole.UserRole) == evidence_id:
                self.list.setCurrentRow(i)

    def _selected(self, *_args) -> None:
        photo = self._photo(self.current_id())
        self.findings.setText("\n".join(flag_text(f) for f in photo["flags"]) if photo else "")
        self.findings.setVisible(bool(photo and photo["flags"]))
        self.position_button.setVisible(self.editable)
        self.remove_button.setVisible(self.editable)
        self.position_button.setEnabled(bool(photo and photo["lon"] is not None and photo["lat"] is not None))
        self.remove_button.setEnabled(photo is not None)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
