"""Shared pieces of the inspection windows: translated words, tap-sized buttons, alert labels, thumbnails."""

from __future__ import annotations

from datetime import datetime
from typing import Callable

import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QPalette, QPixmap
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QWidget

from nibi_desk.gui.detail_sections import alert_colours
from nibi_desk.i18n import _
from nibi_desk.inspection import defects, inspections
from nibi_desk.photos import thumbs
from nibi_desk.photos.reasons import Reason
from nibi_desk.photos.store import PhotoStore

TAP = 36            # minimum height of anything a finger presses on a tablet
THUMB = 112         # thumbnail edge in the photo strips
DEFAULT_THRESHOLD_M = 100


class InspectionTexts(QObject):
    """The GUI's words for results, cycles, task buckets and yes/no (Qt Linguist context "InspectionTexts")."""

    def result(self, key: str | None) -> str:
        titles = {"normal": self.tr("Normal"), "defects": self.tr("Defects found"),
                  "unreachable": self.tr("Could not be reached")}
        return titles.get(key or "", key or "—")

    def cycle(self, key: str) -> str:
        titles = {"once": self.tr("Once"), "weekly": self.tr("Weekly"), "monthly": self.tr("Monthly"),
                  "quarterly": self.tr("Quarterly"), "half_yearly": self.tr("Half-yearly"),
                  "yearly": self.tr("Yearly")}
        return titles.get(key, key)

    def bucket(self, key: str) -> str:
        titles = {"overdue": self.tr("Overdue"), "today": self.tr("Due today"), "this_week": self.tr("This week"),
                  "later": self.tr("Later in this period")}
        return titles.get(key, key)

    def plan_status(self, key: str) -> str:
        titles = {"active": self.tr("Active"), "paused": self.tr("Paused"), "finished": self.tr("Finished")}
        return titles.get(key, key)

    def score(self, value: float | None) -> str:
        return "—" if value is None else self.tr("{0} points").format(f"{value:g}")


def severity_title(key: str) -> str:
    return _(defects.SEVERITY_TITLES.get(key, key))


def status_title(key: str) -> str:
    return _(defects.STATUS_TITLES.get(key, key))


def flag_text(flag: dict) -> str:
    """A stored inspection flag or photo finding in the current language."""
    if flag.get("template") is None:
        return str(flag.get("code", ""))
    if flag.get("code") in inspections.PROXIMITY_FLAGS:
        return inspections.flag_message(flag)
    return Reason.from_dict(flag).message()


def short_time(iso: str | None) -> str:
    if not iso:
        return "—"
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def threshold_m(ctx) -> float:
    settings = getattr(ctx, "settings", None)
    try:
        return float(settings.get("proximity_threshold_m")) if settings is not None else DEFAULT_THRESHOLD_M
    except (KeyError, TypeError, ValueError):
        return DEFAULT_THRESHOLD_M


# Answer buttons (pass/fail, options, N/A) say their state in colour as well as in the checked look: a tablet
# outdoors shows a grey "pressed" state badly.
ANSWER_STYLE = """
QPushButton[answer="true"] { border: 1px solid palette(mid); border-radius: 4px; padding: 4px 12px;
                             background: palette(button); }
QPushButton[answer="true"]:hover { border-color: palette(highlight); }
QPushButton[answer="true"]:checked { color: white; font-weight: bold; background: #2e7d32; border-color: #1b5e20; }
QPushButton[answer="true"][fails="true"]:checked { background: #c62828; border-color: #8e0000; }
QPushButton[answer="true"][neutral="true"]:checked { background: #616161; border-color: #424242; }
QPushButton[answer="true"]:disabled { color: palette(placeholder-text); }
QPushButton[answer="true"]:checked:disabled { color: #eeeeee; background: #9e9e9e; border-color: #9e9e9e; }
"""


def icon(name: str) -> QIcon:
    """A qtawesome icon in the palette's text colour (an empty icon if this qtawesome lacks it)."""
    try:
        import qtawesome as qta

        return qta.icon(name, color=QGuiApplication.palette().color(QPalette.ColorRole.ButtonText))
    except Exception:
        return QIcon()


def tablet_font(widget: QWidget, scale: float = 1.2) -> None:
    """Larger text for the windows used in the field (the desktop default of 9 pt is hard to read outdoors)."""
    font = widget.font()
    font.setPointSizeF(max(font.pointSizeF() * scale, 10.5))
    widget.setFont(font)


def tap_button(text: str = "", object_name: str = "", checkable: bool = False, icon_name: str = "") -> QPushButton:
    button = QPushButton(text)
    if icon_name:
        button.setIcon(icon(icon_name))
    button.setMinimumHeight(TAP)
    button.setCheckable(checkable)
    if object_name:
        button.setObjectName(object_name)
    return button


def problem_label(object_name: str = "problem") -> QLabel:
    """A red, word-wrapped label for what blocks submitting (hidden while empty)."""
    label = QLabel()
    label.setObjectName(object_name)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet(f"color: {alert_colours()[0]};")
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
    label.hide()
    return label


def set_problems(label: QLabel, messages: list[str]) -> None:
    label.setText("\n".join(messages))
    label.setVisible(bool(messages))


def load_thumbnail(ctx, sha256: str, target: QLabel, size: int = THUMB,
                   on_failed: Callable[[BaseException], None] | None = None) -> None:
    """Fill ``target`` with the photo's thumbnail, made (or read from the cache) on a worker thread."""
    store = PhotoStore.for_registry(ctx.registry.path)

    def show(path) -> None:
        if not shiboken6.isValid(target):  # the strip was rebuilt meanwhile
            return
        pixmap = QPixmap(str(path))
        target.setPixmap(pixmap.scaled(size, size, Qt.AspectRatioMode.KeepAspectRatio,
                                       Qt.TransformationMode.SmoothTransformation))

    def failed(error: BaseException) -> None:
        if shiboken6.isValid(target):
            target.setText("?")
            target.setToolTip(getattr(error, "message", lambda: str(error))())
        if on_failed is not None:
            on_failed(error)

    ctx.tasks.run(thumbs.thumbnail, store, sha256, size, on_done=show, on_error=failed)


def thumb_label(size: int = THUMB) -> QLabel:
    label = QLabel()
    label.setFixedSize(size, size)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setStyleSheet("border: 1px solid palette(mid); background: palette(base);")
    return label


def show_error(ctx, error: BaseException) -> None:
    from nibi_desk.gui.interaction import show_error as show

    show(ctx.interaction, error)


def top_window(widget: QWidget | None) -> QWidget | None:
    return widget.window() if widget is not None else None
