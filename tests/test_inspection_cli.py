"""`nibi users|plans|inspect|defects`: a whole inspection round from the command line, as a script would run it."""

from __future__ import annotations

import json
from datetime import date

import pytest

from nibi_desk.inspection import template_files
from nibi_desk.inspection.form import Form
from tests.inspection_fixtures import cheap_hasher, passing_answers, signature_png  # noqa: F401
from tests.photos_helpers import gps_block, make_jpeg
from tests.test_cli import CAMERA_ID, add_camera, db, run, run_json  # noqa: F401

PASSWORD = "office secret"


def as_user(monkeypatch, password: str = PASSWORD) -> None:
    monkeypatch.setenv("NIBI_PASSWORD", password)


def test_an_inspection_round(capsys, db, monkeypatch, tmp_path, cheap_hasher):
    monkeypatch.setenv("NIBI_NEW_PASSWORD", PASSWORD)
    run_json(capsys, "users", "add", "office", "--name", "王主任", "--role", "office", "--db", db)
    code, _, err = run(capsys, "users", "add", "zhang", "--name", "张巡检", "--role", "inspector", "--db", db)
    assert code == 2 and "登录" in err
    as_user(monkeypatch)
    run_json(capsys, "users", "add", "zhang", "--name", "张巡检", "--role", "inspector", "--user", "office", "--db", db)
    assert [u["login"] for u in run_json(capsys, "users", "list", "--db", db)] == ["office", "zhang"]
    code, _, err = run(capsys, "assets", "add", "--db", db, "--type", "camera", "--name", "x", "--code", CAMERA_ID,
                       "--lon", "111.67", "--lat", "32.38", "--attr", "class=A")
    assert code == 2 and "登录" in err  # with users, changing assets needs a signed-in inspector or office user
    add_camera(capsys, db, "--user", "office")

    plan = run_json(capsys, "plans", "create", "视频月检", "--cycle", "monthly", "--start", date.today().isoformat(),
                    "--type", "camera", "--inspector", "zhang", "--user", "office", "--db", db)["id"]
    assert run_json(capsys, "plans", "generate", "--user", "office", "--db", db)["created"] == 2
    today = run_json(capsys, "plans", "today", "--inspector", "zhang", "--db", db)
    assert [t["asset_code"] for t in today] == [CAMERA_ID]

    assert len(run_json(capsys, "inspect", "templates", "--db", db)) == 3
    code, out, _ = run(capsys, "inspect", "template", "camera", "--db", db)
    assert code == 0 and "图像质量" in out and "image_clear" in out

    inspection = run_json(capsys, "inspect", "start", CAMERA_ID, "--user", "zhang", "--db", db)["id"]
    doc = next(d for d in template_files.shipped() if d["asset_type"] == "camera")
    answers = {**passing_answers(Form.from_body(doc)), "angle": {"value": False, "note": "被树枝遮挡"}}
    for name in ("clear.jpg", "site.jpg"):
        make_jpeg(tmp_path / name, gps=gps_block(32.3801, 111.6701), size=(40 + len(name), 30))
    (tmp_path / "answers.json").write_text(json.dumps({
        "answers": answers, "position": {"lon": 111.6701, "lat": 32.3801},
        "photos": [{"file": "clear.jpg", "item": "image_clear"}, {"file": "site.jpg", "item": "site_photo"}]},
        ensure_ascii=False), encoding="utf-8")
    verdict = run_json(capsys, "inspect", "answer", inspection, "--answers", tmp_path / "answers.json",
                       "--user", "zhang", "--db", db)
    assert verdict["problems"] == [] and verdict["failed"] == ["angle"]
    code, _, err = run(capsys, "inspect", "submit", inspection, "--user", "zhang", "--db", db)
    assert code == 2 and "签名" in err
    (tmp_path / "sig.png").write_bytes(signature_png())
    result = run_json(capsys, "inspect", "submit", inspection, "--signature", tmp_path / "sig.png", "--user", "zhang",
                      "--db", db)
    assert result["result"] == "defects" and result["flags"] == []
    from nibi_desk.reports import print_copies
    from nibi_desk.storage.registry import Registry

    with Registry.open(db) as registry:  # the photos' print copies were made with the submission
        conn = registry.read()
        assert len(print_copies.placed(conn, print_copies.cache_for(db), [inspection])) == 2
        assert print_copies.missing(registry, [inspection]) == []
    assert run_json(capsys, "inspect", "drafts", "--db", db) == []
    progress = run_json(capsys, "plans", "progress", plan, "--db", db)
    assert (progress["done"], progress["total"]) == (1, 2)

    defect = run_json(capsys, "defects", "raise", inspection, "angle", "--deadline", "2020-01-01", "--user", "zhang",
                      "--db", db)
    assert defect["description"] == "监控角度符合布点要求: 被树枝遮挡"
    assert [d["id"] for d in run_json(capsys, "defects", "list", "--overdue", "--db", db)] == [defect["id"]]
    code, _, err = run(capsys, "defects", "transition", defect["id"], "issue_notice", "--number", "ZG-1", "--unit",
                       "维护单位", "--user", "zhang", "--db", db)
    assert code == 2 and "管理员" in err
    run_json(capsys, "defects", "transition", defect["id"], "issue_notice", "--number", "ZG-1", "--unit", "维护单位",
             "--user", "office", "--db", db)
    make_jpeg(tmp_path / "after.jpg", size=(50, 30))
    assert run_json(capsys, "defects", "transition", defect["id"], "rectify", "--photo", tmp_path / "after.jpg",
                    "--note", "已修剪树枝", "--user", "zhang", "--db", db)["status"] == "rectified"
    assert run_json(capsys, "defects", "transition", defect["id"], "close", "--user", "office",
                    "--db", db)["status"] == "closed"
    assert run_json(capsys, "defects", "list", "--open", "--db", db) == []


def test_wrong_password_and_bad_template(capsys, db, monkeypatch, tmp_path, cheap_hasher):
    monkeypatch.setenv("NIBI_NEW_PASSWORD", PASSWORD)
    run_json(capsys, "users", "add", "office", "--name", "王主任", "--role", "office", "--db", db)
    as_user(monkeypatch, "not it")
    code, _, err = run(capsys, "plans", "generate", "--user", "office", "--db", db)
    assert code == 2 and "密码" in err
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": 1, "asset_type": "camera", "name": {"zh_CN": "x"},
                               "sections": [{"key": "s", "label": {"zh_CN": "s"}, "items": [
                                   {"key": "a", "kind": "number", "label": {"zh_CN": "a"}, "min": 5, "max": 1}]}]}),
                   encoding="utf-8")
    code, _, err = run(capsys, "--lang", "en", "inspect", "check-template", bad)
    assert code == 2 and "bad.json" in err and "field a" in err and "greater than" in err
    code, out, _ = run(capsys, "inspect", "check-template", template_files.templates_dir() / "smart_pole.json")
    assert code == 0 and "smart_pole.json" in out


@pytest.mark.parametrize("argv", [["users", "list"], ["plans", "list"], ["defects", "list"], ["inspect", "drafts"]])
def test_empty_lists_say_so(capsys, db, argv):
    code, out, _ = run(capsys, *argv, "--db", db)
    assert code == 0 and out.strip()
