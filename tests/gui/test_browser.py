"""The registry browser: background search and filters against brute force, sorting, staleness, laziness, selection."""

from __future__ import annotations

import itertools
import random
import sqlite3
import threading
import time

import pytest
from PySide6.QtCore import Qt

from nibi_desk.commands.assets import delete_asset, edit_asset
from nibi_desk.context import Context
from nibi_desk.gui.browser import COLUMNS, RegistryBrowser
from nibi_desk.gui.context import AppContext
from nibi_desk.gui.tasks import TaskRunner
from nibi_desk.interaction import HeadlessInteraction
from nibi_desk.storage import assets as store
from nibi_desk.storage.assets import Filters
from nibi_desk.storage.registry import Registry

COUNTY = "420682"
COLS = ["type", "code", "name", "division", "address", "lon", "lat", "status", "operator", "owner"]
TYPES = ("base_station", "smart_pole", "camera")
STATUSES = ("planned", "under_construction", "in_service", "faulty", "decommissioned")
OPERATORS = ("中国移动", "中国电信", "中国联通", "中国铁塔", None)
ROADS = ("光化大道", "胜利路", "中山路", "汉江大道", "酂阳路", "航空路", "人民路", "Lake Rd")
PLACES = ("口", "东侧", "门口", "交叉口", "智慧灯杆", "枪机", "球机", "宏站")
COL = {c.key: i for i, c in enumerate(COLUMNS)}


def make_rows(conn, n: int, seed: int = 7) -> list[tuple]:
    """Deterministic synthetic assets spread over the county's townships and villages."""
    rng = random.Random(seed)
    divisions = [tuple(r) for r in conn.execute(
        "SELECT code, name FROM divisions WHERE level IN ('township', 'village') AND county = ?", (COUNTY,))]
    towns = dict(conn.execute("SELECT code, name FROM divisions WHERE level = 'township'").fetchall())
    rows = []
    for i in range(n):
        division, _ = rng.choice(divisions)
        town = towns[division[:9] + "000"]
        road = rng.choice(ROADS)
        kind = TYPES[i % 3]
        code = None if i % 97 == 0 else (f"LHK-ZHG-{i:05d}" if kind == "smart_pole" else
                                         f"42068200{i % 13:02d}132{i:07d}" if kind == "camera" else
                                         f"CM-LHK-5G-{i:04d}")
        name = f"{town}{road}{rng.choice(PLACES)}{rng.randint(1, 999):03d}"
        address = f"老河口市{town}{road}{rng.randint(1, 300)}号"
        rows.append((kind, code, name, division, address, round(111.5 + rng.random() * 0.4, 6),
                     round(32.25 + rng.random() * 0.3, 6), rng.choice(STATUSES), rng.choice(OPERATORS),
                     rng.choice(("老河口市公安局", "中国铁塔老河口分公司"))))
    return rows


def build_registry(path, n: int) -> None:
    registry = Registry.create(path, COUNTY)
    try:
        rows = make_rows(registry.read(), n)
        registry.writer.run(lambda txn: txn.bulk_insert("assets", COLS, rows))
    finally:
        registry.close()


@pytest.fixture(scope="module")
def small_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("browser") / "small.nibi"
    build_registry(path, 3000)
    registry = Registry.open(path)  # a few tombstones, which the browser must never show
    try:
        ids = [r[0] for r in registry.read().execute("SELECT id FROM assets ORDER BY seq LIMIT 5")]
        for asset_id in ids:
            delete_asset(Context(registry), asset_id)
    finally:
        registry.close()
    return path


@pytest.fixture(scope="module")
def big_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("browser") / "50k.nibi"
    build_registry(path, 50_000)
    return path


def open_ctx(path):
    return AppContext(Registry.open(path), HeadlessInteraction(stream=open("/dev/null", "w")), TaskRunner(),
                      settings=None)


@pytest.fixture
def ctx(small_path):
    context = open_ctx(small_path)
    yield context
    context.close()


@pytest.fixture
def browser(ctx, qtbot):
    widget = RegistryBrowser(ctx)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    wait_idle(qtbot, widget)
    return widget


def wait_idle(qtbot, browser, timeout=15000):
    qtbot.waitUntil(lambda: not browser.search_box.pending and not browser.model.busy, timeout=timeout)


def all_rows(path) -> list[dict]:
    conn = sqlite3.connect(path)
    conn.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in conn.execute("SELECT * FROM assets ORDER BY seq")]
    finally:
        conn.close()


def brute(rows, text="", types=None, township=None, status=None, operator=None) -> list[int]:
    def contains(value):
        if value is None:
            return False
        # the trigram index folds ASCII case; the short-text path does the same
        return text in value or text.lower() in value.lower()

    return [r["seq"] for r in rows if not r["deleted"]
            and (not text or any(contains(r[c]) for c in ("name", "code", "address")))
            and (types is None or r["type"] in types) and (township is None or r["division"][:9] == township[:9])
            and (status is None or r["status"] in status) and (operator is None or r["operator"] == operator)]


def search(qtbot, browser, text):
    browser.search_box.setText(text)
    wait_idle(qtbot, browser)


# -- search ------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["光", "镇", "口", "大道", "中山", "光化街道", "汉江大道", "胜利路门口", "老河口市仙人渡镇",
                                  "LHK-ZHG-0012", "lhk-zhg", "lake", "La", "132000", "5G-00", "不存在的字"])
def test_search_matches_brute_force(qtbot, browser, small_path, text):
    search(qtbot, browser, text)
    expected = brute(all_rows(small_path), text)
    assert list(browser.model.row_keys) == expected
    assert browser.model.rowCount() == len(expected)
    label = browser.result_label.text()
    assert label == (f"{len(expected):,} assets" if len(expected) != 1 else "1 asset")


def test_search_box_is_debounced(qtbot, browser):
    requested = []
    browser.search_box.search_requested.connect(requested.append)
    qtbot.keyClicks(browser.search_box, "LHK-ZHG")  # QTest types Latin-1 only
    assert requested == []  # nothing before the pause
    qtbot.waitUntil(lambda: requested == ["LHK-ZHG"], timeout=3000)
    browser.search_box.clear()  # clearing asks at once
    assert requested == ["LHK-ZHG", ""]


# -- filters -----------------------------------------------------------------------------------------------------------
def test_filter_combinations_match_brute_force(qtbot, browser, small_path):
    rows = all_rows(small_path)
    bar = browser.filter_bar
    qtbot.waitUntil(lambda: len(bar.operators()) == 4, timeout=5000)  # loaded in the background
    assert bar.operators() == sorted(o for o in OPERATORS if o)
    choices = {"types": [None, "camera"], "township": [None, "420682001000", "420682100000"],
               "status": [None, "in_service"], "operator": [None, "中国移动"]}
    combos = {"types": bar.type_combo, "township": bar.township_combo, "status": bar.status_combo,
              "operator": bar.operator_combo}
    for values in itertools.product(*choices.values()):
        wanted = dict(zip(choices, values))
        for name, value in wanted.items():
            combos[name].setCurrentIndex(combos[name].findData(value))
        wait_idle(qtbot, browser)
        expected = brute(rows, types=(wanted["types"],) if wanted["types"] else None, township=wanted["township"],
                         status=(wanted["status"],) if wanted["status"] else None, operator=wanted["operator"])
        assert list(browser.model.row_keys) == expected, wanted
    search(qtbot, browser, "路")  # text and filters together
    assert list(browser.model.row_keys) == brute(rows, "路", types=("camera",), township="420682100000",
                                                 status=("in_service",), operator="中国移动")


def test_set_filters_updates_the_bar_and_the_result(qtbot, browser, small_path):
    filters = Filters(types=("smart_pole",), township="420682002", status=("faulty", "planned"), operator="中国联通")
    with qtbot.waitSignal(browser.filter_bar.filters_changed):
        browser.set_filters(filters)
    wait_idle(qtbot, browser)
    assert browser.filter_bar.type_combo.currentData() == "smart_pole"
    assert browser.filter_bar.township_combo.currentData() == "420682002000"
    assert browser.filter_bar.status_combo.currentData() is None  # two statuses: the combo cannot show them
    assert browser.filters() == filters
    assert list(browser.model.row_keys) == brute(all_rows(small_path), types=("smart_pole",), township="420682002",
                                                 status=("faulty", "planned"), operator="中国联通")


def test_inspection_options_are_enabled_by_their_tables(browser):
    """The options wait for the tasks and defects tables (migration 0002), which every registry now has."""
    bar = browser.filter_bar
    for check in (bar.due_check, bar.defects_check):
        assert check.isEnabled()
    assert not bar.inspection_due and not bar.open_defects


# -- sorting -----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("key", ["name", "code", "status", "township", "updated"])
def test_sorting_matches_python_sort(qtbot, browser, small_path, key):
    rows = [r for r in all_rows(small_path) if not r["deleted"]]
    status_rank = {s: i for i, s in enumerate(STATUSES)}
    value = {"name": lambda r: r["name"], "code": lambda r: r["code"], "status": lambda r: status_rank[r["status"]],
             "township": lambda r: r["division"], "updated": lambda r: r["hlc"]}[key]
    # SQLite's BINARY collation compares UTF-8 bytes, which orders like Python's code points; NULLs come first.
    expected = [r["seq"] for r in sorted(rows, key=lambda r: (value(r) is not None, value(r) or 0, r["seq"]))]
    browser.view.sortByColumn(COL[key], Qt.AscendingOrder)
    wait_idle(qtbot, browser)
    assert list(browser.model.row_keys) == expected
    browser.view.sortByColumn(COL[key], Qt.DescendingOrder)
    wait_idle(qtbot, browser)
    assert list(browser.model.row_keys) == expected[::-1]
    if key == "name":  # the fetched, displayed rows are in order too
        names = [browser.model.data(browser.model.index(r, COL["name"])) for r in range(0, 600)]
        assert names == sorted(names, reverse=True)


def test_sort_keeps_the_selection_visible(qtbot, browser):
    browser.select_asset(browser.model.asset_id(10))
    selected = browser.current_asset_id()
    browser.view.horizontalHeader().setSortIndicator(COL["name"], Qt.AscendingOrder)  # as a header click does
    wait_idle(qtbot, browser)
    assert browser.current_asset_id() == selected
    row = browser.view.currentIndex().row()
    assert browser.view.rowAt(browser.view.visualRect(browser.view.currentIndex()).center().y()) == row


# -- staleness ---------------------------------------------------------------------------------------------------------
def test_stale_searches_are_dropped(qtbot, browser, small_path, monkeypatch):
    """Earlier searches finish AFTER the last one (they sleep); only the last one may reach the model."""
    real = store.matching_seqs
    interrupted = []

    def slow(conn, text, *args, cancelled=None, **kwargs):
        if text != "中山路":
            deadline = time.monotonic() + 0.5
            while time.monotonic() < deadline and not cancelled():
                time.sleep(0.005)
            interrupted.append(cancelled())
        return real(conn, text, *args, cancelled=cancelled, **kwargs)

    monkeypatch.setattr(store, "matching_seqs", slow)
    finished = []
    browser.model.query_finished.connect(lambda n, ms: finished.append(n))
    for text in ["光", "光化", "光化街", "汉江", "中山路"]:
        browser.search_box.setText(text)
        browser.search_box.flush()  # no debounce: five queries really start
    wait_idle(qtbot, browser)
    qtbot.wait(700)  # the superseded ones are finishing now; none of them may land
    assert list(browser.model.row_keys) == brute(all_rows(small_path), "中山路")
    assert len(finished) == 1
    # Superseded queries that had started were told to stop (queued ones never start: the pool has few threads).
    assert all(interrupted)


def test_a_query_cancelled_from_outside_keeps_the_previous_result(qtbot, browser, monkeypatch):
    real = store.matching_seqs

    def slow(conn, *args, cancelled=None, **kwargs):
        while not cancelled():
            time.sleep(0.005)
        return real(conn, *args, cancelled=cancelled, **kwargs)

    before = list(browser.model.row_keys)
    monkeypatch.setattr(store, "matching_seqs", slow)
    browser.search_box.setText("光化")
    browser.search_box.flush()
    assert browser.is_busy() and browser.result_label.text() == "Searching…"
    with qtbot.waitSignal(browser.model.query_cancelled):
        browser.ctx.tasks.cancel_all()  # what the status bar's cancel button does
    assert not browser.is_busy()
    assert list(browser.model.row_keys) == before
    assert browser.result_label.text() == f"{len(before):,} assets"


def test_first_page_shows_while_the_whole_list_is_computed(qtbot, ctx, small_path, monkeypatch):
    real = store.matching_seqs
    release = threading.Event()

    def gated(conn, *args, limit=None, **kwargs):
        if limit is None:
            release.wait(10)  # the whole list takes "long"; the first page does not
        return real(conn, *args, limit=limit, **kwargs)

    monkeypatch.setattr(store, "matching_seqs", gated)
    try:
        widget = RegistryBrowser(ctx)
        qtbot.addWidget(widget)
        qtbot.waitUntil(lambda: widget.model.rowCount() == widget.model.page_size, timeout=5000)
        assert widget.is_busy() and widget.result_label.text() == "Searching…"
        assert list(widget.model.row_keys) == brute(all_rows(small_path))[:widget.model.page_size]
    finally:
        release.set()
    wait_idle(qtbot, widget)
    assert list(widget.model.row_keys) == brute(all_rows(small_path))


def test_cancelled_query_returns_none(big_path):
    conn = sqlite3.connect(big_path)
    polls = []

    def cancelled_while_running():
        polls.append(1)
        return len(polls) > 2  # false before the query starts, true from SQLite's second progress callback on

    try:
        assert store.matching_seqs(conn, "光", cancelled=lambda: True) is None
        assert store.matching_seqs(conn, "", None, "name", cancelled=cancelled_while_running) is None
        assert 3 <= len(polls) <= 4  # interrupted inside SQLite, not run to the end
        assert len(store.matching_seqs(conn, "光", cancelled=lambda: False)) > 0
    finally:
        conn.close()


# -- laziness ----------------------------------------------------------------------------------------------------------
def test_model_never_fetches_everything(qtbot, big_path):
    context = open_ctx(big_path)
    try:
        widget = RegistryBrowser(context)
        qtbot.addWidget(widget)
        widget.resize(1200, 700)
        widget.show()
        wait_idle(qtbot, widget)
        model, bar = widget.model, widget.view.verticalScrollBar()
        assert model.rowCount() == 50_000
        qtbot.wait(50)
        for step in range(101):  # drag the scroll bar from the top to the end
            bar.setValue(bar.maximum() * step // 100)
            qtbot.wait(1)
            assert model.cached_pages <= model.max_pages
        widget.view.scrollToBottom()
        qtbot.wait(20)
        assert model.data(model.index(49_999, COL["code"])) is not None
        total_pages = 50_000 // model.page_size
        print(f"\nlaziness: {model.pages_fetched} pages of {model.page_size} fetched while scrolling through "
              f"{total_pages} pages; {model.cached_pages} cached (cap {model.max_pages})")
        assert model.pages_fetched >= 50  # painting really fetched rows at every stop (the test is not vacuous)
        assert model.pages_fetched <= 2 * 101 + 4  # about the visible pages at each stop, not 250
        assert model.pages_fetched < total_pages
        assert model.cached_pages <= model.max_pages
        fetched = model.pages_fetched
        bar.setValue(bar.maximum() // 2)  # back and forth over cached pages fetches nothing new
        bar.setValue(bar.maximum())
        qtbot.wait(20)
        assert model.pages_fetched <= fetched + 2
    finally:
        context.close()


# -- selection ---------------------------------------------------------------------------------------------------------
def test_selection_signals(qtbot, browser):
    model = browser.model
    with qtbot.waitSignal(browser.asset_selected) as selected:
        browser.select_next()
    assert selected.args == [model.asset_id(0)] and browser.current_asset_id() == model.asset_id(0)
    browser.select_next()
    browser.select_next()
    assert browser.current_asset_id() == model.asset_id(2)
    browser.select_previous()
    assert browser.current_asset_id() == model.asset_id(1)
    with qtbot.waitSignal(browser.asset_activated) as activated:
        qtbot.keyClick(browser.view, Qt.Key_Return)
    assert activated.args == [model.asset_id(1)]
    far = model.asset_id(2500)
    assert browser.select_asset(far)
    assert browser.current_asset_id() == far
    assert browser.view.visualRect(browser.view.currentIndex()).intersects(browser.view.viewport().rect())
    assert not browser.select_asset("no-such-asset")
    with qtbot.waitSignal(browser.asset_selected) as selected:  # a search without it clears the selection
        search(qtbot, browser, "不存在的字")
    assert selected.args == [""] and browser.current_asset_id() == ""


def test_keyboard_from_search_to_results(qtbot, browser):
    browser.search_box.setText("胜利路")
    browser.focus_search()
    assert browser.search_box.selectedText() == "胜利路"
    qtbot.keyClick(browser.search_box, Qt.Key.Key_Down)  # asks for the search at once, then goes to the table
    wait_idle(qtbot, browser)
    assert list(browser.model.row_keys) == brute(all_rows(browser.ctx.registry.path), "胜利路")
    assert browser.current_asset_id() == browser.model.asset_id(0)
    qtbot.keyClick(browser.search_box, Qt.Key.Key_Escape)  # Esc clears the search: everything again
    wait_idle(qtbot, browser)
    assert browser.search_box.text() == ""
    assert browser.model.rowCount() == len(brute(all_rows(browser.ctx.registry.path)))


def test_context_menu_hook_selects_the_row_under_the_pointer(qtbot, browser):
    view = browser.view
    pos = view.visualRect(browser.model.index(3, COL["name"])).center()
    with qtbot.waitSignal(browser.context_menu_requested) as requested:
        view.customContextMenuRequested.emit(pos)  # what a right click on the table does
    assert requested.args[0] == browser.model.asset_id(3) == browser.current_asset_id()
    assert requested.args[1] == view.viewport().mapToGlobal(pos)


def test_selection_survives_a_search_that_keeps_it(qtbot, browser):
    search(qtbot, browser, "胜利路")
    target = browser.model.asset_id(3)
    browser.select_asset(target)
    emitted = []
    browser.asset_selected.connect(emitted.append)
    search(qtbot, browser, "胜利")
    assert browser.current_asset_id() == target
    assert emitted == []  # same asset: no new selection signal


def test_refresh_keeps_selection_after_an_edit(qtbot, browser, ctx):
    browser.view.sortByColumn(COL["name"], Qt.AscendingOrder)
    wait_idle(qtbot, browser)
    target = browser.model.asset_id(40)
    browser.select_asset(target)
    edit_asset(ctx, target, {"name": "龘龘测试资产"})  # moves it to the end of the name order
    qtbot.waitUntil(lambda: browser.view.currentIndex().row() == browser.model.rowCount() - 1, timeout=5000)
    assert browser.model.data(browser.view.currentIndex().siblingAtColumn(COL["name"])) == "龘龘测试资产"
    assert browser.current_asset_id() == target
    other = browser.model.asset_id(0)
    count = browser.model.rowCount()
    delete_asset(ctx, other)  # a deleted asset leaves the result; the selection stays
    qtbot.waitUntil(lambda: browser.model.rowCount() == count - 1, timeout=5000)
    assert browser.model.row_of(other) == -1
    assert browser.current_asset_id() == target
    browser.refresh()
    wait_idle(qtbot, browser)
    assert browser.current_asset_id() == target


def test_language_switch_retranslates_rows_and_bar(qtbot, browser):
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from nibi_desk import i18n
    from nibi_desk.domain import asset_types

    types = asset_types.load(browser.ctx.registry.read())
    first = browser.ctx.registry.read().execute(
        "SELECT type FROM assets WHERE deleted = 0 ORDER BY seq LIMIT 1").fetchone()[0]
    cell = browser.model.index(0, COL["type"])
    assert browser.model.data(cell) == types[first].title("zh_CN")
    i18n.set_language("en")  # what nibi_desk.gui.i18n.install_translations does before Qt's LanguageChange
    for widget in (browser, browser.filter_bar, browser.search_box):
        QApplication.sendEvent(widget, QEvent(QEvent.Type.LanguageChange))
    assert browser.model.data(cell) == types[first].title("en")
    assert browser.filter_bar.type_combo.itemText(1) == next(iter(types.values())).title("en")
    assert browser.filter_bar.status_combo.itemText(1) == "Planned"
    assert browser.filter_bar.type_combo.itemText(0) == "All types"


# -- columns -----------------------------------------------------------------------------------------------------------
def test_column_chooser(qtbot, ctx):
    reported = []
    widget = RegistryBrowser(ctx, visible_columns=["name", "code", "lon", "bogus"])
    qtbot.addWidget(widget)
    widget.columns_changed.connect(reported.append)
    wait_idle(qtbot, widget)
    header = widget.view.horizontalHeader()
    assert widget.visible_columns() == ["name", "code", "lon"]
    assert header.isSectionHidden(COL["address"]) and not header.isSectionHidden(COL["lon"])
    menu = widget.column_chooser.build_menu()
    actions = {a.data(): a for a in menu.actions() if a.data()}
    assert set(actions) == {c.key for c in COLUMNS}
    actions["address"].trigger()
    assert reported[-1] == ["name", "code", "lon", "address"] and not header.isSectionHidden(COL["address"])
    actions["lon"].trigger()
    assert reported[-1] == ["name", "code", "address"] and header.isSectionHidden(COL["lon"])
    for key in ("name", "code"):
        widget.column_chooser.set_visible(key, False)
    assert widget.visible_columns() == ["address"]
    widget.column_chooser.set_visible("address", False)  # the last column stays
    assert widget.visible_columns() == ["address"]
    widget.column_chooser.restore_defaults()
    assert reported[-1] == [c.key for c in COLUMNS if c.visible]
    default = RegistryBrowser(ctx)
    qtbot.addWidget(default)
    wait_idle(qtbot, default)
    assert default.visible_columns() == [c.key for c in COLUMNS if c.visible]
