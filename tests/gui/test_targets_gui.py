"""Reports ▸ Targets and population: the office sets, changes and removes targets and populations in the dialog,
and the period summary's target book sees them; an inspector is refused with the reason."""

from __future__ import annotations

import pytest

from nibi_desk.context import Context
from nibi_desk.gui.reports.targets_dialog import TargetsDialog
from nibi_desk.inspection import users
from nibi_desk.interaction import HeadlessInteraction
from nibi_desk.reports import targets as tg
from tests.sync_helpers import make


class Recorder(HeadlessInteraction):
    def __init__(self):
        super().__init__(answer=True)
        self.errors: list[str] = []

    def error(self, title, text, details=""):
        self.errors.append(text)


@pytest.fixture
def office(tmp_path):
    registry, _ctx = make(tmp_path, "office")
    ctx = Context(registry, interaction=Recorder())
    users.add_user(ctx, "office", "办公室", "office", password="secret-123")
    users.sign_in(ctx, "office", "secret-123")
    yield ctx
    registry.close()


def test_office_sets_changes_and_removes_a_target(qtbot, office):
    dialog = TargetsDialog(office)
    qtbot.addWidget(dialog)
    dialog.t_period.setText("2026")
    dialog.t_kpi.setCurrentIndex(dialog.t_kpi.findData("intact_rate"))
    dialog.t_value.setText("90%")
    assert dialog.set_target(), office.interaction.errors
    assert dialog.targets_table.rowCount() == 1 and dialog.targets_table.item(0, 3).text() == "90.0%"
    book = tg.TargetBook(office.registry.read(), office.registry.county)
    assert book.target("intact_rate", None, "2026-Q2").target == pytest.approx(0.9)
    dialog.targets_table.selectRow(0)  # the form follows the selection; change the value
    assert dialog.t_period.text() == "2026"
    dialog.t_value.setText("0.85")
    assert dialog.set_target()
    assert dialog.targets_table.rowCount() == 1 and dialog.targets_table.item(0, 3).text() == "85.0%"
    assert dialog.remove_target() and dialog.targets_table.rowCount() == 0
    book = tg.TargetBook(office.registry.read(), office.registry.county)
    assert book.target("intact_rate", None, "2026").target == tg.DEFAULTS["intact_rate"]


def test_bad_period_is_told_and_nothing_is_written(qtbot, office):
    dialog = TargetsDialog(office)
    qtbot.addWidget(dialog)
    dialog.t_period.setText("next year")
    dialog.t_value.setText("80%")
    assert not dialog.set_target()
    assert office.interaction.errors and "next year".upper() in office.interaction.errors[0]
    assert tg.list_targets(office.registry.read()) == []


def test_population_per_township(qtbot, office):
    dialog = TargetsDialog(office)
    qtbot.addWidget(dialog)
    township = dialog.p_place.itemData(1)
    dialog.p_place.setCurrentIndex(1)
    dialog.p_year.setValue(2025)
    dialog.p_count.setValue(56789)
    assert dialog.set_population(), office.interaction.errors
    assert dialog.population_table.item(0, 2).text() == "56,789"
    book = tg.TargetBook(office.registry.read(), office.registry.county)
    assert book.population_of(township, 2026) == (56789, 2025)


def test_an_inspector_is_refused(qtbot, office):
    users.add_user(office, "zhang", "张伟", "inspector", password="secret-456")
    users.sign_in(office, "zhang", "secret-456")
    dialog = TargetsDialog(office)
    qtbot.addWidget(dialog)
    dialog.t_period.setText("2026")
    dialog.t_value.setText("80%")
    assert not dialog.set_target() and office.interaction.errors
    assert tg.list_targets(office.registry.read()) == []
