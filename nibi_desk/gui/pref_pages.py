"""The pages of the preferences dialog; each registers itself with ``@register_page`` (Picard's options pages).

A page is a QWidget with a translated ``title``, ``load(settings)``, ``save(settings)``, an optional
``validate()`` returning an error message, and ``retranslate()`` (called on a live language switch).
Strings in a page use ``self.tr`` in the page's own class: PySide6 takes the context from the instance's class.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QEvent
from PySide6.QtWidgets import (QApplication, QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QPushButton, QSpinBox, QWidget)

from nibi_desk.gui import i18n as gui_i18n
from nibi_desk.gui import theme
from nibi_desk.gui.settings import Settings

PAGES: list[type["PreferencesPage"]] = []

# Language names are shown in their own language, whatever the interface language is.
LANGUAGES = (("zh_CN", "简体中文"), ("en", "English"))


def register_page(cls: type["PreferencesPage"]) -> type["PreferencesPage"]:
    PAGES.append(cls)
    return cls


class PreferencesPage(QWidget):
    TITLE = ""  # English source in the "Preferences" context

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.form = QFormLayout(self)
        self.labels: list[QLabel] = []

    @property
    def title(self) -> str:
        return QCoreApplication.translate("Preferences", self.TITLE)

    def add_row(self, field) -> QLabel:
        label = QLabel()
        self.form.addRow(label, field)
        self.labels.append(label)
        return label

    def load(self, settings: Settings) -> None:
        raise NotImplementedError

    def save(self, settings: Settings) -> None:
        raise NotImplementedError

    def validate(self) -> str | None:
        return None

    def retranslate(self) -> None:
        pass

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def _set_combo(combo: QComboBox, value) -> None:
    index = combo.findData(value)
    combo.setCurrentIndex(max(index, 0))


def _browse_row(edit: QLineEdit, button: QPushButton) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(edit, 1)
    layout.addWidget(button)
    return row


@register_page
class LanguagePage(PreferencesPage):
    TITLE = QT_TRANSLATE_NOOP("Preferences", "Language")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.language = QComboBox()
        for code, name in LANGUAGES:
            self.language.addItem(name, code)
        self.language_label = self.add_row(self.language)
        self.theme = QComboBox()
        self.theme.addItems(["", ""])
        self.theme_label = self.add_row(self.theme)
        self.retranslate()

    def retranslate(self) -> None:
        self.language_label.setText(self.tr("Interface language:"))
        self.theme_label.setText(self.tr("Theme:"))
        for index, (code, text) in enumerate((("light", self.tr("Light")), ("dark", self.tr("Dark")))):
            self.theme.setItemText(index, text)
            self.theme.setItemData(index, code)

    def load(self, settings: Settings) -> None:
        _set_combo(self.language, settings.get("language"))
        _set_combo(self.theme, settings.get("theme"))

    def save(self, settings: Settings) -> None:
        language, name = self.language.currentData(), self.theme.currentData()
        settings.set("language", language)
        settings.set("theme", name)
        app = QApplication.instance()
        if language != gui_i18n.current_language():  # live: every open window gets a LanguageChange
            gui_i18n.install_translations(app, language)
        if name != theme.current_theme(app):
            theme.apply_theme(app, name)


@register_page
class InspectorPage(PreferencesPage):
    TITLE = QT_TRANSLATE_NOOP("Preferences", "Inspector")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.name = QLineEdit()
        self.org = QLineEdit()
        self.name_label = self.add_row(self.name)
        self.org_label = self.add_row(self.org)
        self.retranslate()

    def retranslate(self) -> None:
        self.name_label.setText(self.tr("Inspector name:"))
        self.org_label.setText(self.tr("Organisation:"))
        self.name.setPlaceholderText(self.tr("Printed on inspection records and reports"))

    def load(self, settings: Settings) -> None:
        self.name.setText(settings.get("inspector_name"))
        self.org.setText(settings.get("inspector_org"))

    def save(self, settings: Settings) -> None:
        settings.set("inspector_name", self.name.text().strip())
        settings.set("inspector_org", self.org.text().strip())


@register_page
class UnitsPage(PreferencesPage):
    TITLE = QT_TRANSLATE_NOOP("Preferences", "Units")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.coordinates = QComboBox()
        self.coordinates.addItem("", "decimal")
        self.coordinates.addItem("", "dms")
        self.distance = QComboBox()
        self.distance.addItem("", "m")
        self.distance.addItem("", "km")
        self.proximity = QSpinBox()
        self.proximity.setRange(1, 100_000)
        self.coordinates_label = self.add_row(self.coordinates)
        self.distance_label = self.add_row(self.distance)
        self.proximity_label = self.add_row(self.proximity)
        self.retranslate()

    def retranslate(self) -> None:
        self.coordinates_label.setText(self.tr("Coordinates:"))
        self.coordinates.setItemText(0, self.tr("Decimal degrees (114.305392°)"))
        self.coordinates.setItemText(1, self.tr("Degrees, minutes, seconds (114°18′19.4″)"))
        self.distance_label.setText(self.tr("Distances:"))
        self.distance.setItemText(0, self.tr("Metres"))
        self.distance.setItemText(1, self.tr("Kilometres"))
        self.proximity_label.setText(self.tr("Proximity threshold:"))
        self.proximity.setSuffix(self.tr(" m"))
        self.proximity.setToolTip(self.tr("Distance within which two positions count as close to each other"))

    def load(self, settings: Settings) -> None:
        _set_combo(self.coordinates, settings.get("coordinate_format"))
        _set_combo(self.distance, settings.get("distance_unit"))
        self.proximity.setValue(settings.get("proximity_threshold_m"))

    def save(self, settings: Settings) -> None:
        settings.set("coordinate_format", self.coordinates.currentData())
        settings.set("distance_unit", self.distance.currentData())
        settings.set("proximity_threshold_m", self.proximity.value())


@register_page
class DataDirPage(PreferencesPage):
    TITLE = QT_TRANSLATE_NOOP("Preferences", "Data directory")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.path = QLineEdit()
        self.browse = QPushButton()
        self.browse.clicked.connect(self.choose)
        self.path_label = self.add_row(_browse_row(self.path, self.browse))
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.form.addRow(self.note)
        self.retranslate()

    def retranslate(self) -> None:
        self.path_label.setText(self.tr("Folder:"))
        self.browse.setText(self.tr("Browse…"))
        self.note.setText(self.tr("Registries, photos, caches and logs are kept here. "
                                  "A new folder takes effect after a restart."))

    def choose(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Choose the data directory"), self.path.text())
        if chosen:
            self.path.setText(chosen)

    def validate(self) -> str | None:
        text = self.path.text().strip()
        if not text:
            return self.tr("Choose a data directory.")
        path = Path(text).expanduser()
        if not path.is_absolute():
            return self.tr("The data directory must be a full path.")
        if path.exists() and not path.is_dir():
            return self.tr("The data directory is a file, not a folder.")
        return None

    def load(self, settings: Settings) -> None:
        self.path.setText(settings.get("data_dir"))

    def save(self, settings: Settings) -> None:
        settings.set("data_dir", str(Path(self.path.text().strip()).expanduser()))


@register_page
class MapPage(PreferencesPage):
    TITLE = QT_TRANSLATE_NOOP("Preferences", "Map")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.basemap = QLineEdit()
        self.browse = QPushButton()
        self.browse.clicked.connect(self.choose)
        self.basemap_label = self.add_row(_browse_row(self.basemap, self.browse))
        self.retranslate()

    def retranslate(self) -> None:
        self.basemap_label.setText(self.tr("Default basemap:"))
        self.basemap.setPlaceholderText(self.tr("None (no background map)"))
        self.browse.setText(self.tr("Browse…"))

    def choose(self) -> None:
        chosen, _ = QFileDialog.getOpenFileName(self, self.tr("Choose a basemap"), self.basemap.text(),
                                                self.tr("MBTiles basemaps (*.mbtiles);;All files (*)"))
        if chosen:
            self.basemap.setText(chosen)

    def validate(self) -> str | None:
        text = self.basemap.text().strip()
        if text and not Path(text).expanduser().is_file():
            return self.tr("The basemap file does not exist.")
        return None

    def load(self, settings: Settings) -> None:
        self.basemap.setText(settings.get("default_basemap"))

    def save(self, settings: Settings) -> None:
        text = self.basemap.text().strip()
        settings.set("default_basemap", str(Path(text).expanduser()) if text else "")


@register_page
class ReportsPage(PreferencesPage):
    TITLE = QT_TRANSLATE_NOOP("Preferences", "Reports")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.unit = QLineEdit()
        self.header = QLineEdit()
        self.prefix = QLineEdit()
        self.prefix.setMaxLength(16)
        self.unit_label = self.add_row(self.unit)
        self.header_label = self.add_row(self.header)
        self.prefix_label = self.add_row(self.prefix)
        self.retranslate()

    def retranslate(self) -> None:
        self.unit_label.setText(self.tr("Issuing unit:"))
        self.header_label.setText(self.tr("Report header:"))
        self.prefix_label.setText(self.tr("Document number prefix:"))
        self.prefix.setToolTip(self.tr("Starts the document number of every report"))

    def validate(self) -> str | None:
        prefix = self.prefix.text().strip()
        if not prefix:
            return self.tr("The document number prefix cannot be empty.")
        if any(c.isspace() or c in '\\/:*?"<>|' for c in prefix):
            return self.tr("The document number prefix cannot contain spaces or any of \\ / : * ? \" < > |.")
        return None

    def load(self, settings: Settings) -> None:
        self.unit.setText(settings.get("report_issuing_unit"))
        self.header.setText(settings.get("report_header"))
        self.prefix.setText(settings.get("report_doc_prefix"))

    def save(self, settings: Settings) -> None:
        settings.set("report_issuing_unit", self.unit.text().strip())
        settings.set("report_header", self.header.text().strip())
        settings.set("report_doc_prefix", self.prefix.text().strip())
