"""The asset detail dock: one asset's fields, codes, mounts, photos and history, loaded in the background."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QDockWidget, QScrollArea, QVBoxLayout, QWidget

from nibi_desk.errors import NibiError, NotFound
from nibi_desk.gui.detail_sections import DetailData, DetailSections, load_detail, muted_label


class DetailDock(QDockWidget):
    """Shows one asset. ``show_asset(id)`` loads it on the task runner (key "detail": a newer request wins)."""

    asset_requested = Signal(str)  # a mount link was clicked: the main window should show that asset
    edit_requested = Signal(str)   # the Edit button: the main window opens the asset editor
    loaded = Signal(str)           # the panel now shows this asset's freshly read data ("" when empty)

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("detailDock")
        self.setWindowTitle(self.tr("Asset details"))
        self.setAllowedAreas(Qt.DockWidgetArea.LeftDockWidgetArea | Qt.DockWidgetArea.RightDockWidgetArea)
        self._asset_id: str | None = None
        self._data: DetailData | None = None
        self._photos: list[str] = []
        self._photo_strip: QWidget | None = None
        self._rendering = False
        self._sections = DetailSections(self.asset_requested.emit, self)
        self._scroll = QScrollArea()
        self._scroll.setObjectName("detailScroll")
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setWidget(self._scroll)
        self.setMinimumWidth(320)
        self._show_message(self.tr("Select an asset to see its details"))
        ctx.notifier.registry_changed.connect(self._on_registry_changed)

    # -- public ------------------------------------------------------------------------------------------------
    @property
    def asset_id(self) -> str | None:
        return self._asset_id

    def show_asset(self, asset_id: str | None) -> None:
        """Show an asset (None clears the panel). Photos belong to the previous asset and are cleared."""
        if asset_id != self._asset_id:
            self._photos = []
        self._asset_id = asset_id
        if asset_id is None:
            self.ctx.tasks.run(lambda: None, key="detail")  # supersedes a load still under way
            self._data = None
            self._show_message(self.tr("Select an asset to see its details"))
            self.loaded.emit("")
            return
        self.refresh()

    def refresh(self) -> None:
        """Read the shown asset again (after a change)."""
        if self._asset_id is None:
            return
        asset_id = self._asset_id
        self.ctx.tasks.run(load_detail, self.ctx.registry, asset_id, key="detail",
                           on_done=self._loaded, on_error=lambda e: self._failed(asset_id, e))

    def set_photos(self, paths: list) -> None:
        """Thumbnails of the shown asset's photos (file paths); an empty list shows the "no photos" note."""
        self._photos = [str(p) for p in paths]
        if self._photo_strip is not None:
            self._sections.fill_photos(self._photo_strip, self._photos)

    # -- loading -----------------------------------------------------------------------------------------------
    def _loaded(self, data: DetailData) -> None:
        if data.asset["id"] != self._asset_id:
            return
        self._data = data
        self._render(data)
        self.loaded.emit(data.asset["id"])

    def _render(self, data: DetailData) -> None:
        content = QWidget()
        content.setObjectName("detailContent")
        layout = QVBoxLayout(content)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(8)
        s = self._sections
        asset_id = data.asset["id"]
        layout.addWidget(s.header(data, lambda: self.edit_requested.emit(asset_id)))
        layout.addWidget(s.fields(data))
        layout.addWidget(s.attributes(data))
        layout.addWidget(s.grid(data))
        decoded = s.gb28181(data)
        if decoded is not None:
            layout.addWidget(decoded)
        layout.addWidget(s.mounts(data))
        photos, self._photo_strip = s.photos(self._photos)
        layout.addWidget(photos)
        layout.addWidget(s.inspections(data))
        layout.addWidget(s.audit(data))
        layout.addStretch(1)
        self._set_content(content)

    def _failed(self, asset_id: str, error: BaseException) -> None:
        if asset_id != self._asset_id:
            return
        self._data = None
        if isinstance(error, NotFound):
            self._show_message(self.tr("This asset no longer exists"))
        elif isinstance(error, NibiError):
            self._show_message(self.tr("Cannot show this asset: {0}").format(error.message()))
        else:
            self._show_message(self.tr("Cannot show this asset: {0}").format(error))
        self.loaded.emit("")

    def _show_message(self, text: str) -> None:
        content = QWidget()
        layout = QVBoxLayout(content)
        label = muted_label(text)
        label.setObjectName("detailMessage")
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(label)
        layout.addStretch(1)
        self._set_content(content)

    def _set_content(self, content: QWidget) -> None:
        self._photo_strip = content.findChild(QWidget, "photoStrip")
        position = self._scroll.verticalScrollBar().value()
        self._scroll.setWidget(content)  # the previous content widget is deleted by the scroll area
        self._scroll.verticalScrollBar().setValue(position)  # a refresh keeps the reader's place

    def changeEvent(self, event: QEvent) -> None:
        # A language or theme switch re-renders what is shown from the data already read (texts and colours).
        if event.type() in (QEvent.Type.LanguageChange, QEvent.Type.PaletteChange):
            self.setWindowTitle(self.tr("Asset details"))
            if self._data is not None and not self._rendering:
                self._rendering = True
                try:
                    self._render(self._data)
                finally:
                    self._rendering = False
        super().changeEvent(event)

    def _history_touched(self, rows) -> bool:
        from nibi_desk.gui.inspection.history import touches

        return touches(self.ctx.registry.read(), self._asset_id, rows)

    def _on_registry_changed(self, changed) -> None:
        if self._asset_id is None:
            return
        rows = changed.rows
        touched = rows.get("assets", set())
        linked = self._data.linked_ids() if self._data else set()
        inspected = ("inspections" in rows or "defects" in rows) and self._history_touched(rows)
        if self._asset_id in touched or "*" in touched or linked & touched or "mounts" in rows or inspected:
            self.refresh()


__all__ = ["DetailDock"]
