"""Inspection records: drafts saved per change and recovered after a killed process, role rules, submitting,
immutability of submitted records, corrections, and where the inspector stood (proximity flag)."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from nibi_desk.context import Context
from nibi_desk.errors import PermissionDenied, RecordInvalid, TransitionRefused
from nibi_desk.inspection import evidence, inspections, submission, users
from nibi_desk.storage.registry import Registry
from tests.inspection_fixtures import (CAMERA, PASSWORD, attach_required_photos, cheap_hasher,  # noqa: F401
                                      complete_inspection, form_for, passing_answers, photo, signature_png, world)

ROOT = Path(__file__).resolve().parent.parent
# ~111 m per 0.001° of latitude: 0.0005° is about 56 m, 0.002° about 222 m.
NEAR = (CAMERA["lon"], CAMERA["lat"] + 0.0005)
FAR = (CAMERA["lon"], CAMERA["lat"] + 0.002)

SAVER = textwrap.dedent("""
    import sys
    from argon2 import PasswordHasher
    from nibi_desk.context import Context
    from nibi_desk.inspection import inspections, users
    from nibi_desk.storage.registry import Registry

    users.set_hasher(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    path, inspection_id, password = sys.argv[1:4]
    ctx = Context(Registry.open(path))
    users.sign_in(ctx, "zhang", password)
    n = 0
    while True:
        n += 1
        inspections.save_answers(ctx, inspection_id, {"remarks": f"第{n}次保存", "time_offset_s": n % 30})
        print(n, flush=True)  # printed only after the commit returned
""")


def test_draft_survives_a_killed_process(world):
    inspection_id = inspections.start(world.inspector, world.camera)
    inspections.save_answers(world.inspector, inspection_id, {"online": "online", "angle": True})
    path = world.registry.path
    world.registry.close()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    process = subprocess.Popen([sys.executable, "-c", SAVER, str(path), inspection_id, PASSWORD],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    target, last = random.randint(3, 40), 0
    try:
        for line in process.stdout:
            last = int(line)
            if last >= target:
                break
    finally:
        process.send_signal(signal.SIGKILL)  # mid-loop: possibly in the middle of the next transaction
        process.wait(timeout=30)
    assert last >= target, process.stderr.read()

    with Registry.open(path) as registry:
        conn = registry.read()
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        draft = inspections.get(conn, inspection_id)
        assert draft["status"] == "draft"
        saved = int(draft["answers"]["remarks"]["value"][1:-3])
        assert saved in (last, last + 1)  # the last committed save; the one being made when killed may be there
        assert draft["answers"]["online"] == {"value": "online"} and draft["answers"]["angle"] == {"value": True}
        ctx = Context(registry)
        users.sign_in(ctx, "zhang", PASSWORD)
        offered = inspections.drafts(conn, ctx.user.user_id)
        assert [d["id"] for d in offered] == [inspection_id] and offered[0]["asset_name"] == CAMERA["name"]
        assert inspections.start(ctx, world.camera) == inspection_id  # "continue" rather than a second draft
        answers = conn.execute("SELECT count(*) FROM audit WHERE row_id = ? AND action = 'update'",
                               (inspection_id,)).fetchone()[0]
        assert answers >= saved  # one audited transaction per save


def test_only_field_roles_inspect_and_only_the_owner_changes_a_draft(world):
    with pytest.raises(PermissionDenied):
        inspections.start(world.supervisor, world.camera)
    with pytest.raises(PermissionDenied):
        inspections.start(Context(world.registry), world.camera)  # nobody signed in
    inspection_id = inspections.start(world.inspector, world.camera)
    for ctx in (world.other_inspector, world.office):
        with pytest.raises(PermissionDenied) as caught:
            inspections.save_answer(ctx, inspection_id, "angle", True)
        assert "张巡检" in str(caught.value)
    with pytest.raises(PermissionDenied):
        submission.discard(world.other_inspector, inspection_id)
    submission.discard(world.office, inspection_id)  # an office user may throw a stale draft away
    assert inspections.drafts(world.registry.read()) == []


def test_submit_checks_everything_then_the_record_is_immutable(world):
    inspection_id = inspections.start(world.inspector, world.camera)
    with pytest.raises(RecordInvalid) as caught:
        submission.submit(world.inspector, inspection_id)
    fields = {p.field for p in caught.value.problems}
    assert {"online", "image_clear", "site_photo", "signature"} <= fields
    form = form_for(world, inspection_id)
    inspections.save_answers(world.inspector, inspection_id, passing_answers(form))
    with pytest.raises(RecordInvalid) as caught:
        submission.submit(world.inspector, inspection_id)
    assert {p.field for p in caught.value.problems} == {"image_clear", "site_photo", "signature"}
    attach_required_photos(world, world.inspector, inspection_id)
    sha = submission.set_signature(world.inspector, inspection_id, signature_png())
    result = submission.submit(world.inspector, inspection_id)
    assert result["score"] == 100.0 and result["result"] == "normal"
    conn = world.registry.read()
    row = inspections.get(conn, inspection_id)
    assert row["status"] == "submitted" and row["submitted_at"] and row["signature"] == sha
    assert conn.execute("SELECT media_type FROM photos WHERE sha256 = ?", (sha,)).fetchone()[0] == "image/png"

    for change in (lambda: inspections.save_answer(world.inspector, inspection_id, "angle", False),
                   lambda: inspections.set_position(world.inspector, inspection_id, *NEAR),
                   lambda: inspections.update_draft(world.inspector, inspection_id, notes="x"),
                   lambda: submission.attach_photo(world.inspector, inspection_id, photo(world)),
                   lambda: submission.submit(world.inspector, inspection_id),
                   lambda: submission.discard(world.office, inspection_id)):
        with pytest.raises(TransitionRefused):
            change()
    # Below the core, the schema's trigger refuses too.
    with pytest.raises(sqlite3.DatabaseError, match="immutable"):
        world.registry.writer.run(lambda txn: txn.update("inspections", inspection_id, {"score": 0}))
    assert inspections.get(conn, inspection_id)["score"] == 100.0


def test_a_correction_is_a_new_linked_record(world):
    original = complete_inspection(world, world.inspector, world.camera, {"angle": False})
    with pytest.raises(PermissionDenied):
        submission.correct(world.inspector, original)
    correction = submission.correct(world.office, original)
    assert submission.correct(world.office, original) == correction  # the open correction, not a second one
    conn = world.registry.read()
    old, new = inspections.get(conn, original), inspections.get(conn, correction)
    assert new["corrects"] == original and new["status"] == "draft" and new["answers"] == old["answers"]
    assert len(evidence.of_inspection(conn, correction)) == len(evidence.of_inspection(conn, original))
    inspections.save_answer(world.office, correction, "angle", True)
    submission.set_signature(world.office, correction, signature_png())
    assert submission.submit(world.office, correction)["result"] == "normal"
    history = inspections.of_asset(conn, world.camera)
    assert [h["id"] for h in history] == [correction, original]
    assert history[1]["corrected_by"] == correction and history[0]["corrected_by"] is None
    assert inspections.get(conn, original)["answers"]["angle"] == {"value": False}  # unchanged
    with pytest.raises(TransitionRefused):
        submission.correct(world.office, original)


def test_proximity_flag(world):
    inspection_id = inspections.start(world.inspector, world.camera)
    near = inspections.set_position(world.inspector, inspection_id, *NEAR)
    assert 50 < near["distance_m"] < 60 and not near["too_far"] and near["flags"] == []
    far = inspections.set_position(world.inspector, inspection_id, *FAR)
    assert 215 < far["distance_m"] < 230 and far["too_far"]
    assert far["flags"][0]["params"] == {"distance_m": "222", "limit_m": "100"}
    assert inspections.flag_message(far["flags"][0]) == "巡检人员所在位置距设施 222 米（超过 100 米）"
    assert not inspections.set_position(world.inspector, inspection_id, *FAR, threshold_m=300)["too_far"]
    # From a photo's EXIF GPS:
    link = submission.attach_photo(world.inspector, inspection_id, photo(world, *FAR), item="site_photo")
    from_photo = inspections.position_from_photo(world.inspector, inspection_id, link)
    assert from_photo["too_far"] and inspections.get(world.registry.read(), inspection_id)["stood_source"] == "exif"
    photo_flags = evidence.of_inspection(world.registry.read(), inspection_id)[0]["flags"]
    assert [f["code"] for f in photo_flags] == ["photo_time_unknown", "photo_position_far"]
    # Carried to the submitted record (and so to reports):
    form = form_for(world, inspection_id)
    inspections.save_answers(world.inspector, inspection_id, passing_answers(form))
    attach_required_photos(world, world.inspector, inspection_id, *NEAR)
    submission.set_signature(world.inspector, inspection_id, signature_png())
    result = submission.submit(world.inspector, inspection_id)
    assert [f["code"] for f in result["flags"]] == ["too_far"]
    assert inspections.get(world.registry.read(), inspection_id)["distance_m"] == pytest.approx(222, abs=2)


def test_unknown_position_is_flagged_at_submit(world):
    inspection_id = complete_inspection(world, world.inspector, world.pole)
    assert [f["code"] for f in inspections.get(world.registry.read(), inspection_id)["flags"]] == ["position_unknown"]


def test_unreachable_inspection(world):
    inspection_id = inspections.start(world.inspector, world.station)
    verdict = inspections.update_draft(world.inspector, inspection_id, unreachable_reason="")
    assert [p.field for p in verdict.problems] == ["unreachable_reason"]
    inspections.update_draft(world.inspector, inspection_id, unreachable_reason="站址大门锁闭，联系不到业主")
    submission.set_signature(world.inspector, inspection_id, signature_png())
    result = submission.submit(world.inspector, inspection_id, threshold_m=100)
    assert result["result"] == "unreachable" and result["score"] is None
