"""The demo county's inspection history: deterministic, written through the core's commands, every step of the
rectification loop present, dates in the past months, photos in the store, the clock and the writer put back."""

from __future__ import annotations

import json
import random
from datetime import date, datetime, timedelta

import pytest

from nibi_desk import demo, demo_history
from nibi_desk.context import Context
from nibi_desk.errors import ValidationError
from nibi_desk.inspection import defects, evidence, inspections, users
from nibi_desk.photos.store import PhotoStore
from nibi_desk.storage.assets import Filters
from nibi_desk.storage.registry import Registry

SEED, SCALE = 420682, 0.05
TODAY = date(2026, 3, 16)  # a fixed day in the past: the history spans a new year (2025-09 … 2026-03)


def _build(folder, seed=SEED, today=TODAY):
    registry = Registry.create(folder / f"history-{seed}.nibi", "420682", actor="demo")
    demo.generate(registry, seed=seed, scale=SCALE, history=False)
    return registry, demo_history.add_history(registry, random.Random(seed), SCALE, today)


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    registry, summary = _build(tmp_path_factory.mktemp("history"))
    yield registry, summary
    registry.close()


@pytest.fixture
def conn(made):
    return made[0].read()


def _content(registry) -> dict:
    """Everything the history wrote, with ids replaced by what they point at (codes, logins, hashes)."""
    conn = registry.read()

    def rows(sql):
        return sorted((tuple(r) for r in conn.execute(sql)), key=repr)

    return {
        "users": rows("SELECT login, display_name, role, organisation, active FROM users"),
        "plans": rows("SELECT p.name, p.cycle, p.start_date, u.login, (SELECT group_concat(a.code) FROM assets a, "
                      "json_each(p.selection, '$.ids') j WHERE a.id = j.value) FROM plans p JOIN users u "
                      "ON u.id = p.inspector"),
        "tasks": rows("SELECT a.code, t.period, t.due_date, t.status, i.started_at FROM tasks t JOIN assets a "
                      "ON a.id = t.asset LEFT JOIN inspections i ON i.id = t.inspection"),
        "inspections": rows(
            "SELECT a.code, u.login, i.status, i.started_at, i.submitted_at, i.answers, i.score, i.result, "
            "i.unreachable_reason, i.stood_lon, i.stood_lat, i.stood_source, i.distance_m, i.flags, i.signature, "
            "i.notes, (SELECT c.started_at FROM inspections c WHERE c.id = i.corrects) FROM inspections i "
            "JOIN assets a ON a.id = i.asset JOIN users u ON u.id = i.inspector"),
        "photos": rows("SELECT sha256, size, media_type, original_name, taken_at, lon, lat, alt, make, model, "
                       "missing FROM photos"),
        "evidence": rows("SELECT p.sha256, i.started_at, d.description, e.item, e.phase, e.flags, e.caption "
                         "FROM evidence e JOIN photos p ON p.id = e.photo LEFT JOIN inspections i "
                         "ON i.id = e.inspection LEFT JOIN defects d ON d.id = e.defect"),
        "defects": rows("SELECT a.code, d.item, d.category, d.severity, d.description, d.deadline, d.status, "
                        "d.notice_no, d.notice_date, d.responsible_unit, d.rectified_at, d.rectification_note, "
                        "d.closed_at, u.login FROM defects d JOIN assets a ON a.id = d.asset "
                        "LEFT JOIN users u ON u.id = d.verified_by"),
    }


def test_same_seed_and_day_same_history_other_seed_other_history(made, tmp_path):
    again, summary = _build(tmp_path)
    other, _ = _build(tmp_path, seed=7)
    try:
        first = _content(made[0])
        assert _content(again) == first
        assert {k: v for k, v in summary.items() if k != "seconds"} == \
            {k: v for k, v in made[1].items() if k != "seconds"}
        assert _content(other)["inspections"] != first["inspections"]
    finally:
        again.close()
        other.close()


def test_every_part_of_the_history_is_there(made, conn):
    s = made[1]
    assert s["users"] == 4 and s["plans"] == 3 and s["password"] == demo_history.DEMO_PASSWORD
    assert s["submitted"] >= 15 and s["tasks"] > s["submitted"] // 2
    assert s["results"]["normal"] > 0 and s["results"]["defects"] > 0 and s["results"]["unreachable"] > 0
    assert s["too_far"] > 0 and s["corrections"] == 1 and s["overdue_tasks"] > 0
    by_status = s["defects_by_status"]
    assert s["defects"] >= demo_history.MIN_FAILED and s["open_defects"] > 0 and s["overdue_defects"] > 0
    for status in ("open", "notice_issued", "rectified", "closed", "reopened"):
        assert by_status.get(status, 0) > 0, status
    assert s["photos"] > s["submitted"]  # every photo item of the templates needs its own photo
    roles = {u["login"]: u["role"] for u in users.list_users(conn)}
    assert roles == {"office": "office", "zhangwei": "inspector", "lina": "inspector", "jiandu": "supervisor"}
    unreachable = conn.execute("SELECT unreachable_reason, score FROM inspections WHERE result = 'unreachable'"
                               ).fetchall()
    assert all(reason and score is None for reason, score in unreachable)


def test_every_submitted_inspection_passes_the_core_evaluation(made, conn):
    store = PhotoStore.for_registry(made[0].path)
    rows = conn.execute("SELECT id, score, result, signature FROM inspections WHERE status = 'submitted'").fetchall()
    assert rows
    for row in rows:
        verdict = inspections.evaluate(conn, row["id"])
        assert verdict.ok, (row["id"], verdict.problems)
        assert (verdict.score, verdict.result) == (row["score"], row["result"])
        assert row["signature"] and store.has(row["signature"])


def test_the_history_lies_in_the_past_months(conn):
    first = TODAY - timedelta(days=7 * 31)
    for started, submitted in conn.execute("SELECT started_at, submitted_at FROM inspections "
                                           "WHERE status = 'submitted'"):
        start, end = datetime.fromisoformat(started), datetime.fromisoformat(submitted)
        assert first <= start.date() < TODAY and start < end < start + timedelta(hours=2)
    # Evidence photos were taken during their inspection: a time finding is the exception.
    flags = [f["code"] for (raw,) in conn.execute("SELECT flags FROM evidence WHERE phase = 'evidence'")
             for f in json.loads(raw)]
    total = conn.execute("SELECT count(*) FROM evidence WHERE phase = 'evidence'").fetchone()[0]
    assert flags.count("photo_time_far") <= max(2, total // 20)
    months = {m for (m,) in conn.execute("SELECT substr(submitted_at, 1, 7) FROM inspections")}
    assert len(months) >= 5


def test_overdue_defects_are_the_ones_the_core_lists(made, conn):
    listed = defects.list_defects(conn, overdue=True, today=TODAY)
    assert len(listed) == made[1]["overdue_defects"] > 0
    assert all(d["deadline"] < TODAY.isoformat() and d["status"] != "closed" and d["overdue"] for d in listed)
    assert {d["id"] for d in listed} <= {d["id"] for d in defects.list_defects(conn, overdue=True)}


def test_the_loop_has_its_paperwork(conn):
    for d in defects.list_defects(conn):
        links = evidence.of_defect(conn, d["id"])
        if d["status"] in ("notice_issued", "rectified", "closed") or d["notice_no"]:
            assert d["notice_no"].startswith("老新基整改") and d["responsible_unit"] and d["notice_date"]
        if d["status"] in ("rectified", "closed"):
            assert d["rectified_at"] and any(e["phase"] == "after" for e in links)
        if d["status"] == "closed":
            assert d["closed_at"] and d["verified_by"] and d["closed_at"] > d["rectified_at"]
        if d["status"] == "reopened":
            assert d["rectification_note"] in demo_history.REOPEN_REASONS and not d["closed_at"]
        assert any(e["phase"] == "before" for e in links), d["id"]  # the failed item's photo
    correction = conn.execute("SELECT c.*, o.status AS original FROM inspections c JOIN inspections o "
                              "ON o.id = c.corrects").fetchone()
    assert correction["status"] == correction["original"] == "submitted" and correction["notes"]


def test_asset_filters_find_defects_and_due_inspections(conn):
    for filters in (Filters(open_defects=True), Filters(overdue_defects=True), Filters(inspection_due=True)):
        where, params = filters.where()
        assert conn.execute(f"SELECT count(*) FROM assets a WHERE {where}", params).fetchone()[0] > 0, filters


def test_the_audit_log_names_who_did_what(conn):
    actors = dict(conn.execute("SELECT actor, count(*) FROM audit WHERE tbl IN ('inspections', 'evidence', "
                               "'defects', 'plans', 'tasks') GROUP BY actor"))
    assert actors.get("zhangwei", 0) > 0 and actors.get("lina", 0) > 0 and actors.get("office", 0) > 0
    submitted_by = {r[0] for r in conn.execute(
        "SELECT a.actor FROM audit a WHERE a.tbl = 'inspections' AND a.changes LIKE '%\"submitted\"%'")}
    assert {"zhangwei", "lina"} <= submitted_by and "jiandu" not in actors
    hashes = [r[0] for r in conn.execute("SELECT changes FROM audit WHERE tbl = 'users'") if r[0]]
    assert hashes and all("argon2" not in h for h in hashes)


def test_photos_are_in_the_store_with_their_exif(made, conn):
    store = PhotoStore.for_registry(made[0].path)
    rows = conn.execute("SELECT sha256, taken_at, lon, make FROM photos WHERE media_type = 'image/jpeg'").fetchall()
    assert rows and all(store.has(r["sha256"]) for r in rows)
    assert all(store.verify(r["sha256"]) for r in rows[:5])
    assert sum(r["lon"] is not None for r in rows) > 0.9 * len(rows) and all(r["taken_at"] for r in rows)


def test_clock_writer_and_actor_are_put_back(made):
    registry = made[0]
    assert not any(isinstance(m.now_local, demo_history._Clock) for m in demo_history._Clock.MODULES)
    assert datetime.fromisoformat(inspections.now_local()).date() == date.today()
    assert registry.writer.run(lambda txn: txn.execute("PRAGMA synchronous").fetchone()[0]) == 2  # FULL
    assert registry.actor == "demo"


def test_generate_adds_the_history_and_the_demo_password_works(tmp_path):
    registry = Registry.create(tmp_path / "demo.nibi", "420682")
    try:
        summary = demo.generate(registry, scale=0.01)
        assert summary["history"]["submitted"] > 0 and summary["history"]["overdue_defects"] > 0
        ctx = Context(registry)
        users.sign_in(ctx, "zhangwei", demo_history.DEMO_PASSWORD)
        # The cheap demo hash is upgraded to the full parameters at the first sign-in.
        stored = registry.read().execute("SELECT password_hash FROM users WHERE login = 'zhangwei'").fetchone()[0]
        assert "m=65536" in stored
        with pytest.raises(ValidationError):
            demo_history.add_history(registry, random.Random(1), 0.01)
    finally:
        registry.close()
    plain = Registry.create(tmp_path / "plain.nibi", "420682")
    try:
        assert "history" not in demo.generate(plain, scale=0.01, history=False)
        assert not users.has_users(plain.read())
    finally:
        plain.close()


def test_nibi_demo_keeps_the_photos_beside_the_registry(tmp_path, capsys):
    """`nibi demo` builds under a temporary name; the photo store must move with the registry file."""
    import sqlite3

    from nibi_desk.cli.main import main
    from nibi_desk.photos.store import PhotoStore

    db = tmp_path / "demo.nibi"
    assert main(["demo", "--db", str(db), "--scale", "0.02", "--json"]) == 0
    assert not list(tmp_path.glob("*.building*"))
    conn = sqlite3.connect(db)
    hashes = [r[0] for r in conn.execute("SELECT sha256 FROM photos")]
    conn.close()
    assert hashes
    store = PhotoStore.for_registry(db)
    assert all(store.path_of(h).exists() for h in hashes)
