"""The main window: the registry's assets in a table, with the county and counts in the status bar."""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QLabel, QMainWindow, QTableView

from nibi_desk.storage import assets

COLUMNS = ("code", "name", "type", "status", "division", "lon", "lat", "grid_code")


class AssetTableModel(QAbstractTableModel):
    def __init__(self, rows: list[dict], titles: dict[str, str]):
        super().__init__()
        self.rows = rows
        self.titles = titles

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return len(COLUMNS)

    def data(self, index, role=Qt.DisplayRole):
        if role == Qt.DisplayRole:
            value = self.rows[index.row()][COLUMNS[index.column()]]
            return "" if value is None else str(value)
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return self.titles.get(COLUMNS[section], COLUMNS[section])
        return None


class MainWindow(QMainWindow):
    def __init__(self, registry):
        super().__init__()
        self.registry = registry
        titles = {"code": self.tr("Code"), "name": self.tr("Name"), "type": self.tr("Type"),
                  "status": self.tr("Status"), "division": self.tr("Division"), "lon": self.tr("Longitude"),
                  "lat": self.tr("Latitude"), "grid_code": self.tr("BeiDou grid code")}
        conn = registry.read()
        self.model = AssetTableModel(assets.search(conn, "", limit=2000), titles)
        view = QTableView()
        view.setModel(self.model)
        view.setAlternatingRowColors(True)
        self.setCentralWidget(view)
        total = assets.count(conn)
        self.setWindowTitle(self.tr("NIBI Desk — {0}").replace("{0}", registry.county_name))
        self.statusBar().addWidget(QLabel(f"{registry.county_name} ({registry.county})  ·  {total}"))
