"""The "where I stood" panel: typed coordinates (decimal or DMS), a photo's EXIF GPS, or a point picked on the
map; shows the distance to the asset and flags a position farther than the proximity threshold."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from nibi_desk.domain import coords
from nibi_desk.errors import NibiError
from nibi_desk.gui.detail_sections import degrees
from nibi_desk.gui.inspection.common import TAP, alert_colours, flag_text, problem_label, set_problems, tap_button
from nibi_desk.inspection.inspections import POSITION_UNKNOWN, TOO_FAR


class PositionPanel(QGroupBox):
    """``typed(lon, lat)``: the inspector entered a position; ``photo_requested()``: take it from a photo;
    ``pick_requested()``: let the inspector pick it on the map."""

    typed = Signal(float, float)
    photo_requested = Signal()
    pick_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("positionPanel")
        self.state = QLabel()
        self.state.setObjectName("positionState")
        self.state.setWordWrap(True)
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        self.lon = QLineEdit()
        self.lon.setObjectName("standLon")
        self.lat = QLineEdit()
        self.lat.setObjectName("standLat")
        for edit in (self.lon, self.lat):
            edit.setMinimumHeight(TAP)
            edit.returnPressed.connect(self._set_typed)
        self.lon_label, self.lat_label = QLabel(), QLabel()
        self.set_button = tap_button("", "setPosition")
        self.photo_button = tap_button("", "positionFromPhoto")
        self.map_button = tap_button("", "pickOnMap")
        self.set_button.clicked.connect(self._set_typed)
        self.photo_button.clicked.connect(self.photo_requested)
        self.map_button.clicked.connect(self.pick_requested)
        self.error = problem_label("positionError")
        grid = QGridLayout(self)
        grid.addWidget(self.state, 0, 0, 1, 4)
        grid.addWidget(self.lon_label, 1, 0)
        grid.addWidget(self.lon, 1, 1)
        grid.addWidget(self.lat_label, 1, 2)
        grid.addWidget(self.lat, 1, 3)
        buttons = QHBoxLayout()
        for button in (self.set_button, self.photo_button, self.map_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        grid.addLayout(buttons, 2, 0, 1, 4)
        grid.addWidget(self.error, 3, 0, 1, 4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        self._shown: tuple | None = None
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Where I stood"))
        self.lon_label.setText(self.tr("Longitude"))
        self.lat_label.setText(self.tr("Latitude"))
        self.lon.setPlaceholderText("111.6712")
        self.lat.setPlaceholderText("32.3856")
        self.lon.setToolTip(self.tr("e.g. 111.6712 or 111°40′16″E"))
        self.lat.setToolTip(self.tr("e.g. 32.3856 or 32°23′08″N"))
        self.set_button.setText(self.tr("Set"))
        self.photo_button.setText(self.tr("From a photo"))
        self.photo_button.setToolTip(self.tr("Take the position from the selected photo's GPS (EXIF)"))
        self.map_button.setText(self.tr("Pick on map"))
        self.show_position(*(self._shown or (None, None, None, None, [])))

    def set_map_available(self, available: bool) -> None:
        self.map_button.setEnabled(available)
        self.map_button.setToolTip(self.tr("This window steps aside: click where you stood on the map (Esc cancels)")
                                   if available else self.tr("Open the map to pick a position on it"))

    def set_read_only(self, read_only: bool) -> None:
        for widget in (self.lon, self.lat, self.lon_label, self.lat_label, self.set_button, self.photo_button,
                       self.map_button):
            widget.setVisible(not read_only)

    def show_position(self, lon: float | None, lat: float | None, source: str | None, distance_m: float | None,
                      flags: list[dict]) -> None:
        self._shown = (lon, lat, source, distance_m, flags)
        sources = {"exif": self.tr("from a photo"), "typed": self.tr("typed"), "map": self.tr("picked on the map")}
        lines = []
        if lon is None or lat is None:
            lines.append(self.tr("Not set yet."))
        else:
            lines.append(self.tr("{lon}, {lat} ({source})").format(lon=degrees(lon), lat=degrees(lat),
                                                                   source=sources.get(source or "", source or "")))
            if distance_m is not None:
                lines.append(self.tr("{0} m from the asset").format(f"{distance_m:.0f}"))
        lines += [flag_text(f) for f in flags if f.get("code") != POSITION_UNKNOWN]  # "not set" says that one
        self.state.setText("\n".join(lines))
        far = any(f.get("code") == TOO_FAR for f in flags)
        self.state.setStyleSheet(f"color: {alert_colours()[1]}; font-weight: bold;" if far else "")

    def _set_typed(self) -> None:
        try:
            lon = float(coords.parse_coordinate_exact(self.lon.text(), "lon"))
            lat = float(coords.parse_coordinate_exact(self.lat.text(), "lat"))
        except NibiError as e:
            set_problems(self.error, [e.message()])
            return
        set_problems(self.error, [])
        self.typed.emit(lon, lat)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
