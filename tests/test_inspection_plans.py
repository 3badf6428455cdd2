"""Plans: periods of each cycle, task generation across cycle boundaries (idempotent), progress, the today list."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from nibi_desk.errors import PermissionDenied, ValidationError
from nibi_desk.inspection import inspections, periods, plans
from nibi_desk.storage import assets
from nibi_desk.storage.assets import Filters
from tests.inspection_fixtures import cheap_hasher, complete_inspection, world  # noqa: F401

D = date.fromisoformat


@pytest.mark.parametrize("cycle, day, label, start, end", [
    ("weekly", "2026-12-31", "2026-W53", "2026-12-28", "2027-01-03"),
    ("weekly", "2027-01-04", "2027-W01", "2027-01-04", "2027-01-10"),
    ("monthly", "2028-02-10", "2028-02", "2028-02-01", "2028-02-29"),
    ("quarterly", "2026-11-05", "2026-Q4", "2026-10-01", "2026-12-31"),
    ("half_yearly", "2026-06-30", "2026-H1", "2026-01-01", "2026-06-30"),
    ("half_yearly", "2026-07-01", "2026-H2", "2026-07-01", "2026-12-31"),
    ("yearly", "2026-05-05", "2026", "2026-01-01", "2026-12-31"),
])
def test_periods(cycle, day, label, start, end):
    period = periods.period_of(cycle, D(day))
    assert (period.label, period.start, period.end) == (label, D(start), D(end))
    assert periods.start_of(label) == D(start)
    following = periods.next_period(cycle, period)
    assert following.start == period.end + timedelta(days=1)


def test_once_period_and_unknown_cycle():
    period = periods.period_of("once", D("2026-03-20"), plan_start=D("2026-03-05"))
    assert (period.label, period.end) == ("2026-03-05", D("2026-04-04"))
    assert periods.start_of("2026-03-05") == D("2026-03-05")
    with pytest.raises(ValidationError):
        periods.period_of("fortnightly", D("2026-01-01"))


def tasks(world, plan_id):
    return [tuple(r) for r in world.registry.read().execute(
        "SELECT period, due_date, count(*) FROM tasks WHERE plan = ? GROUP BY period ORDER BY period", (plan_id,))]


def test_monthly_generation_across_the_boundary_is_idempotent(world):
    plan_id = plans.create_plan(world.office, "视频监控月检", "monthly", "2026-01-15", {"types": ["camera"]},
                                world.inspector.user.user_id)
    assert plans.generate_tasks(world.office, plan_id, D("2026-01-20")) == {"created": 2,
                                                                           "periods": ["2026-01", "2026-02"]}
    assert plans.generate_tasks(world.office, plan_id, D("2026-01-31"))["created"] == 0
    assert plans.generate_tasks(world.office, plan_id, D("2026-02-01"))["created"] == 1  # March appears
    assert tasks(world, plan_id) == [("2026-01", "2026-01-31", 1), ("2026-02", "2026-02-28", 1),
                                     ("2026-03", "2026-03-31", 1)]
    audited = world.registry.read().execute("SELECT count(*) FROM audit WHERE tbl = 'tasks'").fetchone()[0]
    assert audited == 3


def test_quarterly_plan_by_township_with_an_end_date(world):
    plan_id = plans.create_plan(world.office, "光化街道智能杆季检", "quarterly", "2026-02-01",
                                {"township": "420682001", "types": ["smart_pole", "camera"]}, end_date="2026-05-15")
    plans.generate_tasks(world.office, plan_id, D("2026-03-31"))
    assert tasks(world, plan_id) == [("2026-Q1", "2026-03-31", 2), ("2026-Q2", "2026-05-15", 2)]  # clipped to the end
    plans.generate_tasks(world.office, plan_id, D("2026-04-01"))
    assert len(tasks(world, plan_id)) == 2  # Q3 starts after the plan ends


def test_selection_by_ids_and_status(world):
    plan_id = plans.create_plan(world.office, "宏站半年检", "half_yearly", "2026-01-01", {"ids": [world.station]})
    assert plans.generate_tasks(world.office, plan_id, D("2026-06-30"))["periods"] == ["2026-H1", "2026-H2"]
    assert [t[0] for t in tasks(world, plan_id)] == ["2026-H1", "2026-H2"]
    conn = world.registry.read()
    assert plans.selected_assets(conn, {"types": ["camera"], "status": ["planned"]}) == []
    with pytest.raises(ValidationError):
        plans.create_plan(world.office, "空", "monthly", "2026-01-01", {})
    with pytest.raises(PermissionDenied):
        plans.create_plan(world.inspector, "x", "monthly", "2026-01-01", {"types": ["camera"]})
    with pytest.raises(PermissionDenied):
        plans.generate_tasks(world.supervisor, plan_id)


def test_today_list_progress_and_done_tasks(world):
    today = date.today()
    me = world.inspector.user.user_id
    plan_id = plans.create_plan(world.office, "周检", "weekly", today - timedelta(days=21), {"types": ["camera"]}, me)
    plans.generate_tasks(world.office, plan_id, today)
    late = plans.create_plan(world.office, "补检", "once", today - timedelta(days=40), {"types": ["smart_pole"]}, me,
                             end_date=today - timedelta(days=2))
    plans.generate_tasks(world.office, late, today)
    listed = plans.today_list(world.registry.read(), me, today)
    assert [(t["asset"], t["bucket"]) for t in listed] == [
        (world.pole, "overdue"),
        (world.camera, "today" if today.weekday() == 6 else "this_week")]  # next week's task is not listed yet
    assert plans.today_list(world.registry.read(), world.other_inspector.user.user_id, today) == []
    conn = world.registry.read()
    assert assets.count(conn, Filters(inspection_due=True)) == 2
    # Inspecting the camera completes its task of this week (found without naming it).
    complete_inspection(world, world.inspector, world.camera)
    progress = plans.progress(conn, plan_id, today)
    assert (progress["total"], progress["done"], progress["open"]) == (2, 1, 1)
    assert progress["periods"][0]["done"] == 1 and progress["periods"][0]["rate"] == 1.0
    assert [t["asset"] for t in plans.today_list(conn, me, today)] == [world.pole]
    assert plans.progress(conn, late, today)["overdue"] == 1
    # Skipping and reassigning are office work.
    task_id = plans.today_list(conn, me, today)[0]["id"]
    with pytest.raises(PermissionDenied):
        plans.edit_task(world.inspector, task_id, status="skipped")
    plans.edit_task(world.office, task_id, status="skipped")
    assert plans.today_list(conn, me, today) == []
    assert plans.progress(conn, late, today)["rate"] is None  # nothing left to do


def test_new_inspector_takes_the_open_tasks(world):
    plan_id = plans.create_plan(world.office, "月检", "monthly", date.today(), {"types": ["camera"]},
                                world.inspector.user.user_id)
    plans.generate_tasks(world.office, plan_id)
    plans.edit_plan(world.office, plan_id, inspector=world.other_inspector.user.user_id)
    inspectors = {r[0] for r in world.registry.read().execute("SELECT inspector FROM tasks WHERE plan = ?",
                                                              (plan_id,))}
    assert inspectors == {world.other_inspector.user.user_id}
    inspection_id = inspections.start(world.other_inspector, world.camera)
    assert inspections.get(world.registry.read(), inspection_id)["task"] is not None
