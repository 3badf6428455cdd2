"""First run and registry choice: open the demo county, create a registry for a county, or open a file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QVBoxLayout, QWidget)

from nibi_desk import datadir


class FirstRunDialog(QDialog):
    """Shown when no registry was opened before. ``choice`` is "demo", "create", "open" or "restore" after accept()."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("firstRunDialog")
        self.setWindowTitle(self.tr("Welcome to NIBI Desk"))
        self.choice: str | None = None
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("NIBI Desk keeps a county's registry of 5G base stations, smart poles and cameras, "
                               "and works without a network. Where would you like to start?"))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        for choice, text, tip in (
                ("demo", self.tr("Open the demo county (老河口市)"),
                 self.tr("About 22,000 generated assets to explore every screen")),
                ("create", self.tr("Create a registry for a county…"),
                 self.tr("Start an empty registry from the division table")),
                ("open", self.tr("Open a registry file…"), self.tr("A .nibi file from this computer or a USB stick")),
                ("restore", self.tr("Restore a backup bundle…"),
                 self.tr("A backup bundle (.nibx) made on another computer, restored as a new registry"))):
            button = QPushButton(text)
            button.setObjectName(f"choice_{choice}")
            button.setToolTip(tip)
            button.setMinimumHeight(40)
            button.clicked.connect(lambda _=False, c=choice: self._choose(c))
            layout.addWidget(button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()


class NewRegistryDialog(QDialog):
    """Pick a county (bundled divisions, or from a division CSV) and where the new registry file goes."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        from nibi_desk.storage.reference import bundled_counties

        self.setObjectName("newRegistryDialog")
        self.setWindowTitle(self.tr("New registry for a county"))
        self.division_file: Path | None = None
        form = QFormLayout()
        self.county = QComboBox()
        for code, doc in bundled_counties().items():
            county_row = next(d for d in doc["divisions"] if d["level"] == "county")
            self.county.addItem(f"{county_row['name']} ({code})", code)
        self.import_button = QPushButton(self.tr("From a division CSV…"))
        self.import_button.clicked.connect(self._pick_division_file)
        row = QHBoxLayout()
        row.addWidget(self.county, 1)
        row.addWidget(self.import_button)
        form.addRow(self.tr("County"), row)
        self.path = QLineEdit()
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._pick_path)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form.addRow(self.tr("Registry file"), row)
        self.county.currentIndexChanged.connect(self._suggest_path)
        self._suggest_path()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _suggest_path(self) -> None:
        code = self.county.currentData()
        if code:
            self.path.setText(str(datadir.data_dir() / f"registry-{code}.nibi"))

    def _pick_division_file(self) -> None:
        from nibi_desk.domain.divisions import parse_file

        name, _ = QFileDialog.getOpenFileName(self, self.tr("Division CSV"), "", self.tr("CSV files (*.csv)"))
        if not name:
            return
        counties = [d for d in parse_file(name) if d.level == "county"]
        self.division_file = Path(name)
        self.county.clear()
        for d in counties:
            self.county.addItem(f"{d.name} ({d.county})", d.county)

    def _pick_path(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Registry file"), self.path.text(),
                                              self.tr("NIBI registries (*.nibi)"))
        if name:
            self.path.setText(name if name.endswith(".nibi") else name + ".nibi")

    def values(self) -> tuple[str, Path, Path | None]:
        return self.county.currentData(), Path(self.path.text()), self.division_file


def create_registry(county: str, path: Path, division_file: Path | None):
    """Create the registry (and import the chosen division file) — run as a background task."""
    from nibi_desk.storage import divisions
    from nibi_desk.storage.registry import Registry

    registry = Registry.create(path, county)
    try:
        if division_file is not None:
            divisions.import_file(registry, division_file)
    except Exception:
        registry.close()
        path.unlink(missing_ok=True)
        raise
    registry.close()
    return path
