"""The signature pad: drawn with a finger, mouse or pen (pressure from QTabletEvent), exported as PNG bytes."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QPointF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from nibi_desk.gui.inspection.common import tap_button

INK = QColor("#10204a")
BASE_WIDTH = 2.6


class SignaturePad(QWidget):
    """Strokes are kept as point lists (with a pen width each) and painted on white; ``stroke_finished`` after each
    stroke, ``cleared`` after clear(). A stored signature can be shown under new strokes (``set_image``)."""

    stroke_finished = Signal()
    cleared = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("signaturePad")
        self.setMinimumSize(QSize(320, 150))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setAttribute(Qt.WidgetAttribute.WA_StaticContents)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.strokes: list[list[tuple[QPointF, float]]] = []
        self.image: QImage | None = None   # the stored signature, until cleared
        self.read_only = False
        self._drawing = False

    def sizeHint(self) -> QSize:
        return QSize(420, 160)

    def is_empty(self) -> bool:
        return not self.strokes and self.image is None

    def has_new_strokes(self) -> bool:
        return bool(self.strokes)

    def set_image(self, png: bytes | None) -> None:
        image = QImage.fromData(png) if png else QImage()
        self.image = None if image.isNull() else image
        self.strokes = []
        self.update()

    def clear(self) -> None:
        self.strokes, self.image = [], None
        self.update()
        self.cleared.emit()

    # -- drawing -------------------------------------------------------------------------------------------
    def _begin(self, pos: QPointF, pressure: float) -> None:
        if self.read_only:
            return
        self._drawing = True
        self.strokes.append([(pos, pressure)])
        self.update()

    def _extend(self, pos: QPointF, pressure: float) -> None:
        if self._drawing:
            self.strokes[-1].append((pos, pressure))
            self.update()

    def _end(self) -> None:
        if self._drawing:
            self._drawing = False
            self.stroke_finished.emit()

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._begin(event.position(), 1.0)

    def mouseMoveEvent(self, event) -> None:
        self._extend(event.position(), 1.0)

    def mouseReleaseEvent(self, event) -> None:
        self._end()

    def tabletEvent(self, event) -> None:
        pressure = max(0.3, min(1.6, event.pressure() * 1.6)) if event.pressure() > 0 else 1.0
        kind = event.type()
        if kind == QEvent.Type.TabletPress:
            self._begin(event.position(), pressure)
        elif kind == QEvent.Type.TabletMove:
            self._extend(event.position(), pressure)
        elif kind == QEvent.Type.TabletRelease:
            self._end()
        event.accept()  # no synthesized mouse events: the stroke would be drawn twice

    def paint_on(self, painter: QPainter, size: QSize) -> None:
        painter.fillRect(0, 0, size.width(), size.height(), Qt.GlobalColor.white)
        if self.image is not None:
            scaled = self.image.scaled(size, Qt.AspectRatioMode.KeepAspectRatio,
                                       Qt.TransformationMode.SmoothTransformation)
            painter.drawImage(0, 0, scaled)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        for stroke in self.strokes:
            if len(stroke) == 1:
                point, pressure = stroke[0]
                painter.setPen(QPen(INK, BASE_WIDTH * pressure, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap))
                painter.drawPoint(point)
                continue
            for (a, pa), (b, pb) in zip(stroke, stroke[1:]):
                painter.setPen(QPen(INK, BASE_WIDTH * (pa + pb) / 2, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                                    Qt.PenJoinStyle.RoundJoin))
                path = QPainterPath(a)
                path.lineTo(b)
                painter.drawPath(path)

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        self.paint_on(painter, self.size())
        painter.setPen(QPen(self.palette().mid().color(), 1, Qt.PenStyle.DashLine))
        baseline = self.height() - 28
        painter.drawLine(16, baseline, self.width() - 16, baseline)
        painter.end()

    def png_bytes(self) -> bytes:
        """The signature as a PNG (what ``submission.set_signature`` stores)."""
        image = QImage(self.size(), QImage.Format.Format_RGB32)
        painter = QPainter(image)
        self.paint_on(painter, self.size())
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.convertToFormat(QImage.Format.Format_Grayscale8).save(buffer, "PNG")
        buffer.close()
        return bytes(data.data())


class SignaturePanel(QGroupBox):
    """The pad with its Clear button and a line saying whether the inspection is signed."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("signaturePanel")
        self.pad = SignaturePad()
        self.state = QLabel()
        self.state.setObjectName("signatureState")
        self.clear_button = tap_button("", "clearSignature")
        self.clear_button.clicked.connect(self.pad.clear)
        self.pad.stroke_finished.connect(self._update_state)
        self.pad.cleared.connect(self._update_state)
        row = QHBoxLayout()
        row.addWidget(self.state, 1)
        row.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pad)
        layout.addLayout(row)
        self.retranslate()

    def set_read_only(self, read_only: bool) -> None:
        self.pad.read_only = read_only
        self.clear_button.setVisible(not read_only)
        self._update_state()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Signature"))
        self.clear_button.setText(self.tr("Clear"))
        self._update_state()

    def _update_state(self) -> None:
        if self.pad.is_empty():
            self.state.setText(self.tr("Sign in the box with a finger, pen or mouse."))
        elif self.pad.read_only:
            self.state.setText(self.tr("Signed."))
        else:
            self.state.setText(self.tr("Signed. Clear to sign again."))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)
