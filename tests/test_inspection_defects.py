"""Defects: raised from failed items, the rectification loop with its role rules, overdue everywhere, photo pairs."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from nibi_desk.errors import PermissionDenied, TransitionRefused, ValidationError
from nibi_desk.inspection import defects, inspections
from nibi_desk.storage import assets
from nibi_desk.storage.assets import Filters
from tests.inspection_fixtures import CAMERA, cheap_hasher, complete_inspection, photo, world  # noqa: F401

TODAY = date.today()


def failed_camera(world) -> str:
    """A submitted camera inspection whose picture is blurred (with a photo on that item) and angle wrong."""
    return complete_inspection(world, world.inspector, world.camera, {
        "image_clear": {"value": "blurred", "note": "镜头起雾"}, "angle": False})


def test_raise_from_a_failed_item_only(world):
    inspection_id = failed_camera(world)
    with pytest.raises(TransitionRefused):
        defects.raise_defect(world.inspector, inspection_id, "online")  # passed
    with pytest.raises(PermissionDenied):
        defects.raise_defect(world.supervisor, inspection_id, "angle")
    defect_id = defects.raise_defect(world.inspector, inspection_id, "image_clear", today=TODAY)
    row = defects.get(world.registry.read(), defect_id)
    assert row["status"] == "open" and row["asset"] == world.camera and row["item"] == "image_clear"
    assert row["category"] == "video" and row["severity"] == "major"  # the item's hints
    assert row["description"] == "图像质量: 镜头起雾"
    assert row["deadline"] == (TODAY + timedelta(days=defects.DEADLINE_DAYS["major"])).isoformat()
    pairs = defects.photo_pairs(world.registry.read(), defect_id)
    assert len(pairs) == 1 and pairs[0]["before"] is not None and pairs[0]["after"] is None
    with pytest.raises(ValidationError):
        defects.raise_defect(world.inspector, inspection_id, "image_clear")  # already open
    other = defects.raise_defect(world.office, inspection_id, "angle", "支架松动导致偏转", severity="general",
                                 deadline="2030-01-31")
    assert defects.get(world.registry.read(), other)["deadline"] == "2030-01-31"


def test_lifecycle_and_forbidden_transitions(world):
    defect_id = defects.raise_defect(world.inspector, failed_camera(world), "image_clear")
    conn = world.registry.read()

    def status():
        return defects.get(conn, defect_id)["status"]

    # Role rules: only office issues notices, verifies, closes and reopens; supervisors only read.
    for ctx in (world.inspector, world.supervisor):
        with pytest.raises(PermissionDenied):
            defects.issue_notice(ctx, defect_id, "LHK-ZG-2026-001", "中国铁塔老河口分公司")
    # State rules: nothing can be rectified or closed before a notice.
    with pytest.raises(TransitionRefused):
        defects.rectify(world.inspector, defect_id, "已处理", [photo(world)])
    with pytest.raises(TransitionRefused) as caught:
        defects.close(world.office, defect_id)
    assert "待整改" in str(caught.value) or "open" in str(caught.value)
    assert defects.allowed_actions(defects.get(conn, defect_id), world.inspector.user) == []
    assert defects.allowed_actions(defects.get(conn, defect_id), world.office.user) == ["issue_notice"]

    defects.issue_notice(world.office, defect_id, "LHK-ZG-2026-001", "中国铁塔老河口分公司", "2026-03-02")
    row = defects.get(conn, defect_id)
    assert (row["status"], row["notice_no"], row["notice_date"]) == ("notice_issued", "LHK-ZG-2026-001", "2026-03-02")
    with pytest.raises(ValidationError):
        defects.rectify(world.inspector, defect_id, "已擦拭镜头")  # no after-photo
    assert status() == "notice_issued"
    with pytest.raises(PermissionDenied):
        defects.rectify(world.supervisor, defect_id, "x", [photo(world)])
    defects.rectify(world.inspector, defect_id, "已擦拭镜头并加装防雾罩", [photo(world, CAMERA["lon"], CAMERA["lat"])])
    assert status() == "rectified"
    for ctx in (world.inspector, world.supervisor):
        with pytest.raises(PermissionDenied):
            defects.close(ctx, defect_id)
        with pytest.raises(PermissionDenied):
            defects.reopen(ctx, defect_id, "仍有雾")
    defects.reopen(world.office, defect_id, "夜间画面仍模糊")
    assert status() == "reopened" and defects.get(conn, defect_id)["rectification_note"] == "夜间画面仍模糊"
    defects.attach_photo(world.inspector, defect_id, photo(world), "after")
    defects.rectify(world.inspector, defect_id, "更换镜头")
    defects.close(world.office, defect_id)
    row = defects.get(conn, defect_id)
    assert row["status"] == "closed" and row["verified_by"] == world.office.user.user_id and row["closed_at"]
    with pytest.raises(TransitionRefused):
        defects.rectify(world.inspector, defect_id, "again", [photo(world)])
    with pytest.raises(TransitionRefused):
        defects.attach_photo(world.inspector, defect_id, photo(world))
    actions = [a[0] for a in conn.execute(
        "SELECT json_extract(changes, '$.status[1]') FROM audit WHERE row_id = ? AND action = 'update' "
        "ORDER BY hlc", (defect_id,))]
    assert actions == ["notice_issued", "rectified", "reopened", "rectified", "closed"]
    actors = {a[0] for a in conn.execute("SELECT actor FROM audit WHERE row_id = ?", (defect_id,))}
    assert actors == {"zhang", "office"}
    pairs = defects.photo_pairs(conn, defect_id)
    assert [(p["before"] is not None, p["after"] is not None) for p in pairs] == [(True, True), (False, True)]


def test_overdue_is_visible_in_lists_filters_and_counts(world):
    inspection_id = failed_camera(world)
    late = defects.raise_defect(world.inspector, inspection_id, "image_clear", deadline=TODAY - timedelta(days=3))
    defects.raise_defect(world.inspector, inspection_id, "angle", deadline=TODAY + timedelta(days=10))
    conn = world.registry.read()
    assert [d["id"] for d in defects.list_defects(conn, overdue=True)] == [late]
    assert [d["overdue"] for d in defects.list_defects(conn, asset=world.camera)] == [True, False]
    assert defects.counts(conn) == {"by_status": {"open": 2}, "open": 2, "overdue": 1,
                                    "open_by_severity": {"major": 1, "general": 1}}
    stats = assets.stats(conn)
    assert stats["open_defects"] == 2 and stats["overdue_defects"] == 1
    summary = inspections.asset_summary(conn, world.camera)
    assert (summary["open_defects"], summary["overdue_defects"]) == (2, 1)
    assert summary["last_inspection"]["id"] == inspection_id and summary["last_inspection"]["result"] == "defects"
    assert [a["id"] for a in assets.search(conn, "", Filters(open_defects=True))] == [world.camera]
    assert [a["id"] for a in assets.search(conn, "", Filters(overdue_defects=True))] == [world.camera]
    assert assets.count(conn, Filters(open_defects=True, types=("smart_pole",))) == 0
    # Closed defects are neither open nor overdue.
    defects.issue_notice(world.office, late, "N-1", "维护单位")
    defects.rectify(world.inspector, late, "修好了", [photo(world)])
    defects.close(world.office, late)
    assert defects.list_defects(conn, overdue=True) == []
    assert assets.stats(conn)["overdue_defects"] == 0
    assert assets.count(conn, Filters(overdue_defects=True)) == 0
    assert assets.count(conn, Filters(open_defects=True)) == 1


def test_a_draft_with_defects_cannot_be_discarded(world):
    inspection_id = inspections.start(world.inspector, world.pole)
    inspections.save_answer(world.inspector, inspection_id, "pole_body", False)
    with pytest.raises(TransitionRefused):
        defects.raise_defect(world.other_inspector, inspection_id, "pole_body")  # someone else's draft
    defects.raise_defect(world.inspector, inspection_id, "pole_body", "杆体倾斜约5°")
    from nibi_desk.inspection import submission

    with pytest.raises(TransitionRefused):
        submission.discard(world.inspector, inspection_id)
