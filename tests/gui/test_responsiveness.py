"""The event loop keeps turning while the browser searches or sorts a large registry in the background.

The registry is built once per session through the writer's bulk_insert. A million rows take about two minutes
that way on two cores (the per-row FTS trigger is half of it), so the default is 300,000 rows; set
NIBI_RESPONSIVENESS_ROWS=1000000 for the full size. No wall-clock bound is asserted: the longest gap between ticks
of a 10 ms main-thread timer must stay below a fifth of the background job's own duration.
"""

from __future__ import annotations

import os
import time

import pytest
from PySide6.QtCore import Qt, QTimer

from nibi_desk.gui.browser import COLUMNS, RegistryBrowser
from nibi_desk.gui.context import AppContext
from nibi_desk.gui.tasks import TaskRunner
from nibi_desk.interaction import HeadlessInteraction
from nibi_desk.storage.registry import Registry

ROWS = int(os.environ.get("NIBI_RESPONSIVENESS_ROWS", "300000"))
COLS = ["type", "code", "name", "division", "address", "lon", "lat", "status", "operator", "owner"]
ROADS = ("光化大道", "胜利路", "中山路", "汉江大道", "酂阳路", "航空路", "红军路", "建设路", "友谊路", "人民路", "太平街")
KINDS = ("枪机", "球机", "半球", "卡口", "智慧灯杆", "5G宏站")
TYPES = ("camera", "camera", "camera", "camera", "smart_pole", "base_station")
STATUSES = ("in_service", "in_service", "in_service", "faulty", "planned", "decommissioned")
OPERATORS = ("中国移动", "中国电信", "中国联通", "中国铁塔")
COL = {c.key: i for i, c in enumerate(COLUMNS)}


def synthetic_rows(divisions: list[tuple[str, str]], n: int):
    """Cheap deterministic rows (a multiplicative hash instead of a random generator)."""
    for i in range(n):
        h = (i * 2654435761) & 0xFFFFFFFF
        code, town = divisions[h % len(divisions)]
        road, kind = ROADS[(h >> 8) % len(ROADS)], (h >> 12) % len(KINDS)
        yield (TYPES[kind], f"LHK{i:08d}", f"{town}{road}{(h >> 16) % 400}号{KINDS[kind]}{i % 10000:04d}", code,
               f"老河口市{town}{road}{(h >> 4) % 300}号", 111.5 + (h % 40000) / 100000, 32.25 + (h >> 16) % 30000 / 100000,
               STATUSES[(h >> 20) % len(STATUSES)], OPERATORS[(h >> 24) % len(OPERATORS)], "老河口市公安局")


@pytest.fixture(scope="module")
def large_registry(tmp_path_factory):
    path = tmp_path_factory.mktemp("responsiveness") / f"{ROWS}.nibi"
    started = time.perf_counter()
    registry = Registry.create(path, "420682")
    try:
        divisions = [(code, town) for code, town in registry.read().execute(
            "SELECT v.code, t.name FROM divisions v JOIN divisions t ON t.code = substr(v.code, 1, 9) || '000' "
            "WHERE v.level IN ('township', 'village')")]
        registry.writer.run(lambda txn: txn.bulk_insert("assets", COLS, synthetic_rows(divisions, ROWS)))
    finally:
        registry.close()
    print(f"\nresponsiveness registry: {ROWS:,} rows built in {time.perf_counter() - started:.1f} s")
    return path


class GapMeter:
    """A 10 ms timer on the main thread; the longest time between two of its ticks is how long the loop stalled."""

    def __init__(self):
        self.timer = QTimer()
        self.timer.setTimerType(Qt.PreciseTimer)
        self.timer.setInterval(10)
        self.timer.timeout.connect(self._tick)
        self.last = self.longest = 0.0

    def _tick(self):
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def start(self):
        self.last, self.longest = time.perf_counter(), 0.0
        self.timer.start()

    def stop(self) -> float:
        self.timer.stop()
        self._tick()
        return self.longest


@pytest.fixture
def browser(large_registry, qtbot):
    ctx = AppContext(Registry.open(large_registry), HeadlessInteraction(), TaskRunner(), settings=None)
    widget = RegistryBrowser(ctx)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    qtbot.waitUntil(lambda: not widget.model.busy, timeout=60000)
    assert widget.model.rowCount() == ROWS
    yield widget
    widget.close()
    ctx.close()


def measure(qtbot, browser, start_job, label: str) -> tuple[float, float]:
    """Run a background job while the gap meter ticks; return (longest gap, job duration) in milliseconds."""
    meter = GapMeter()
    meter.start()
    qtbot.wait(50)  # the meter is ticking steadily before the job starts
    started = time.perf_counter()
    with qtbot.waitSignal(browser.model.query_finished, timeout=120000) as finished:
        start_job()
    job_ms = (time.perf_counter() - started) * 1000
    qtbot.wait(100)  # include the first paint of the new result
    gap_ms = meter.stop() * 1000
    count, query_ms = finished.args
    print(f"\n{label} over {ROWS:,} rows: {count:,} results; job {job_ms:.0f} ms (query {query_ms:.0f} ms in the "
          f"worker); longest event-loop gap {gap_ms:.1f} ms (limit job/5 = {job_ms / 5:.0f} ms)")
    return gap_ms, job_ms


def test_short_search_does_not_stall_the_event_loop(qtbot, browser):
    """One character cannot use the trigram index: instr() scans name, code and address of every row (ASCII
    case-folded: every code has 'LHK'), then the 300,000 matches are sorted by name."""
    browser.view.sortByColumn(COL["name"], Qt.SortOrder.AscendingOrder)
    qtbot.waitUntil(lambda: not browser.model.busy, timeout=60000)
    gap, job = measure(qtbot, browser, lambda: browser.model.set_query(text="k"), "1-char search 'k' by name")
    assert browser.model.rowCount() == ROWS
    names = [browser.model.data(browser.model.index(r, COL["name"])) for r in range(200)]
    assert names == sorted(names)
    assert gap < job / 5


def test_sort_does_not_stall_the_event_loop(qtbot, browser):
    browser.model.set_query(text="号")
    qtbot.waitUntil(lambda: not browser.model.busy, timeout=60000)
    gap, job = measure(qtbot, browser, lambda: browser.view.sortByColumn(COL["address"], Qt.SortOrder.DescendingOrder),
                       "1-char search '号' sorted by address (descending)")
    addresses = [browser.model.data(browser.model.index(r, COL["address"])) for r in range(200)]
    assert addresses == sorted(addresses, reverse=True)
    assert gap < job / 5
