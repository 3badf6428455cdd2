"""Reports ▸ Targets and population: the county office edits the KPI targets the period summary is judged against
(per division and period, with the amber margin) and the population per division and year (5G sites per 10,000
people). Every write goes through nibi_desk.reports.targets (office role, checks, versioned rows that travel)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
                               QHeaderView, QLabel, QLineEdit, QPushButton, QSpinBox, QTableWidget, QTableWidgetItem,
                               QTabWidget, QVBoxLayout, QWidget)

from nibi_desk.gui.interaction import show_error
from nibi_desk.reports import targets as tg
from nibi_desk.storage import divisions


def _table(columns: list[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(columns)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, cells in enumerate(rows):
        for c, text in enumerate(cells):
            table.setItem(r, c, QTableWidgetItem(text))


class TargetsDialog(QDialog):
    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("targetsDialog")
        self.setWindowTitle(self.tr("Targets and population"))
        self.resize(820, 520)
        conn = ctx.registry.read()
        county = ctx.registry.county
        self.places = [(county, ctx.registry.county_name or county)] + \
            [(t["code"], t["name"]) for t in divisions.townships(conn, county)]
        self.target_rows: list[dict] = []
        self.population_rows: list[dict] = []
        tabs = QTabWidget()
        tabs.addTab(self._targets_tab(), self.tr("Targets"))
        tabs.addTab(self._population_tab(), self.tr("Population"))
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("The period summary judges each KPI against the most specific target: township and "
                               "period, township and year, county and period, county and year, else the default "
                               "shown in brackets. Rates are typed as 80% or 0.8."))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(tabs, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.refresh()

    def _place_combo(self, name: str) -> QComboBox:
        combo = QComboBox()
        combo.setObjectName(name)
        for code, title in self.places:
            combo.addItem(f"{title} ({code})", code)
        return combo

    def _targets_tab(self) -> QWidget:
        page = QWidget()
        self.targets_table = _table([self.tr("Division"), self.tr("Period"), self.tr("KPI"), self.tr("Target"),
                                     self.tr("Amber margin"), self.tr("Notes")], "targetsTable")
        self.targets_table.itemSelectionChanged.connect(self._target_selected)
        self.t_place = self._place_combo("targetDivision")
        self.t_period = QLineEdit()
        self.t_period.setObjectName("targetPeriod")
        self.t_period.setPlaceholderText("2026 / 2026-H2 / 2026-Q3 / 2026-05")
        self.t_kpi = QComboBox()
        self.t_kpi.setObjectName("targetKpi")
        for key, info in tg.KPIS.items():
            default = f" [{tg.format_value(key, info.default)}]" if info.default is not None else ""
            self.t_kpi.addItem(tg.kpi_title(key) + default, key)
        self.t_value, self.t_margin, self.t_notes = QLineEdit(), QLineEdit(), QLineEdit()
        self.t_value.setObjectName("targetValue")
        self.t_margin.setObjectName("targetMargin")
        self.t_margin.setPlaceholderText(self.tr("default"))
        save, remove = QPushButton(self.tr("&Set target")), QPushButton(self.tr("&Remove"))
        save.setObjectName("setTarget")
        remove.setObjectName("removeTarget")
        save.clicked.connect(self.set_target)
        remove.clicked.connect(self.remove_target)
        form = QFormLayout()
        form.addRow(self.tr("Division:"), self.t_place)
        form.addRow(self.tr("Period:"), self.t_period)
        form.addRow(self.tr("KPI:"), self.t_kpi)
        form.addRow(self.tr("Target:"), self.t_value)
        form.addRow(self.tr("Amber margin:"), self.t_margin)
        form.addRow(self.tr("Notes:"), self.t_notes)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(remove)
        row.addWidget(save)
        layout = QVBoxLayout(page)
        layout.addWidget(self.targets_table, 1)
        layout.addLayout(form)
        layout.addLayout(row)
        return page

    def _population_tab(self) -> QWidget:
        page = QWidget()
        self.population_table = _table([self.tr("Division"), self.tr("Year"), self.tr("Population"),
                                        self.tr("Source")], "populationTable")
        self.p_place = self._place_combo("populationDivision")
        self.p_year = QSpinBox()
        self.p_year.setObjectName("populationYear")
        self.p_year.setRange(1900, 2200)
        from datetime import date

        self.p_year.setValue(date.today().year)
        self.p_count = QSpinBox()
        self.p_count.setObjectName("populationCount")
        self.p_count.setRange(0, 2_000_000_000)
        self.p_count.setGroupSeparatorShown(True)
        self.p_source = QLineEdit()
        self.p_source.setPlaceholderText(self.tr("e.g. the statistical yearbook"))
        save = QPushButton(self.tr("Set &population"))
        save.setObjectName("setPopulation")
        save.clicked.connect(self.set_population)
        form = QFormLayout()
        form.addRow(self.tr("Division:"), self.p_place)
        form.addRow(self.tr("Year:"), self.p_year)
        form.addRow(self.tr("Population:"), self.p_count)
        form.addRow(self.tr("Source:"), self.p_source)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(save)
        layout = QVBoxLayout(page)
        layout.addWidget(self.population_table, 1)
        layout.addLayout(form)
        layout.addLayout(row)
        return page

    # -- data --------------------------------------------------------------------------------------------------------
    def refresh(self) -> None:
        conn = self.ctx.registry.read()
        self.target_rows = tg.list_targets(conn)
        _fill(self.targets_table, [[f"{r['division_name'] or ''} ({r['division']})", r["period"],
                                    tg.kpi_title(r["kpi"]), tg.format_value(r["kpi"], r["target"]),
                                    tg.format_value(r["kpi"], r["amber_margin"]), r["notes"] or ""]
                                   for r in self.target_rows])
        self.population_rows = tg.list_population(conn)
        _fill(self.population_table, [[f"{r['division_name'] or ''} ({r['division']})", str(r["year"]),
                                       f"{r['population']:,}", r["source"] or ""] for r in self.population_rows])
        for r in range(self.population_table.rowCount()):
            self.population_table.item(r, 2).setTextAlignment(Qt.AlignmentFlag.AlignRight |
                                                              Qt.AlignmentFlag.AlignVCenter)

    def _target_selected(self) -> None:
        rows = self.targets_table.selectionModel().selectedRows()
        if not rows:
            return
        r = self.target_rows[rows[0].row()]
        self.t_place.setCurrentIndex(max(0, self.t_place.findData(r["division"])))
        self.t_period.setText(r["period"])
        self.t_kpi.setCurrentIndex(max(0, self.t_kpi.findData(r["kpi"])))
        self.t_value.setText(tg.format_value(r["kpi"], r["target"]))
        self.t_margin.setText(tg.format_value(r["kpi"], r["amber_margin"]))
        self.t_notes.setText(r["notes"] or "")

    def _run(self, fn, *args, **kwargs) -> bool:
        try:
            fn(self.ctx, *args, **kwargs)
        except Exception as e:  # a refusal (role, period, value) is told, the dialog stays open
            show_error(self.ctx.interaction, e)
            return False
        self.refresh()
        return True

    def set_target(self) -> bool:
        margin = self.t_margin.text().strip() or None
        done = self._run(tg.set_target, self.t_place.currentData(), self.t_period.text(), self.t_kpi.currentData(),
                         self.t_value.text(), margin, self.t_notes.text().strip() or None)
        if done:
            self.message.setText(self.tr("Target saved."))
        return done

    def remove_target(self) -> bool:
        done = self._run(tg.remove_target, self.t_place.currentData(), self.t_period.text(), self.t_kpi.currentData())
        if done:
            self.message.setText(self.tr("Target removed; the next less specific one applies."))
        return done

    def set_population(self) -> bool:
        done = self._run(tg.set_population, self.p_place.currentData(), self.p_year.value(), self.p_count.value(),
                         self.p_source.text().strip() or None)
        if done:
            self.message.setText(self.tr("Population saved."))
        return done
