"""The form generated from each default template: fields, parsing, required and range rules, photo blocking,
score and overall result (pure: no registry)."""

from __future__ import annotations

import pytest

from nibi_desk.errors import ValidationError
from nibi_desk.inspection import template_files
from nibi_desk.inspection.form import FAIL, NA, PASS, Form
from tests.inspection_fixtures import passing_answers

TYPES = ("base_station", "smart_pole", "camera")


def form(asset_type: str) -> Form:
    doc = next(d for d in template_files.shipped() if d["asset_type"] == asset_type)
    return Form.from_body(template_files.body_of(doc))


def answered(f: Form, answers: dict) -> dict:
    return {key: f.answer(key, value) for key, value in answers.items() if f.answer(key, value) is not None}


def all_photos(f: Form) -> dict:
    return {x.key: 1 for x in f.fields if x.needs_photo}


@pytest.mark.parametrize("asset_type", TYPES)
def test_form_is_generated_from_each_default_template(asset_type):
    f = form(asset_type)
    doc = next(d for d in template_files.shipped() if d["asset_type"] == asset_type)
    assert [s[0] for s in f.sections] == [s["key"] for s in doc["sections"]]
    assert [x.key for x in f.fields] == [i["key"] for s in doc["sections"] for i in s["items"]]
    assert all(x.title() and x.title("en") for x in f.fields)
    assert any(x.needs_photo for x in f.fields)
    # An empty form: every required item is reported, photo items are blocked, nothing is scored yet.
    empty = f.evaluate({}, {})
    required = {x.key for x in f.fields if x.required}
    assert {p.field for p in empty.problems} == required
    assert set(empty.blocked) == {x.key for x in f.fields if x.needs_photo and x.required}
    assert empty.score is None and empty.answered == 0
    # Every item answered so that it passes, photos attached: no problem, full score, normal.
    full = f.evaluate(answered(f, passing_answers(f)), all_photos(f))
    assert full.problems == [] and full.blocked == []
    assert full.score == 100.0 and full.result == "normal" and full.failed == []


def test_parsing_of_each_kind():
    f = form("base_station")
    assert f.answer("tower_body", "合格") == {"value": True}
    assert f.answer("tower_body", "fail") == {"value": False}
    assert f.answer("grounding_ohm", " 4.26 ") == {"value": 4.3}  # one decimal, as the template says
    assert f.answer("mains", "normal") == {"value": "normal"}
    assert f.answer("alarms", "door_alarm, smoke_alarm") == {"value": ["door_alarm", "smoke_alarm"]}
    assert f.answer("alarms", []) == {"value": []}  # "no alarms" is an answer
    assert f.answer("remarks", "  ") is None
    assert f.answer("fence", na=True) == {"na": True}
    assert f.answer("tower_body", True, note="东北角螺栓") == {"value": True, "note": "东北角螺栓"}
    for key, bad in (("tower_body", "maybe"), ("grounding_ohm", "abc"), ("grounding_ohm", "nan"),
                     ("mains", "solar"), ("alarms", ["fire"]), ("nonexistent", 1)):
        with pytest.raises(ValidationError):
            f.answer(key, bad)
    with pytest.raises(ValidationError):
        f.answer("tower_body", na=True)  # not marked allow_na


def test_required_items():
    f = form("camera")
    answers = answered(f, {k: v for k, v in passing_answers(f).items() if k != "angle"})
    verdict = f.evaluate(answers, all_photos(f))
    assert [p.field for p in verdict.problems] == ["angle"]
    assert "监控角度符合布点要求" in verdict.problems[0].message()
    # Optional items may stay empty; not-applicable counts as answered.
    answers = answered(f, {k: v for k, v in passing_answers(f).items() if k not in ("remarks", "night_lighting")})
    answers["night_lighting"] = {"na": True}
    verdict = f.evaluate(answers, all_photos(f))
    assert verdict.problems == [] and verdict.outcomes["night_lighting"] == NA


def test_numeric_ranges():
    f = form("base_station")
    answers = answered(f, passing_answers(f))
    answers["cabinet_temp"] = f.answer("cabinet_temp", 95)  # outside what can be entered (-40…80 ℃)
    verdict = f.evaluate(answers, all_photos(f))
    assert [p.field for p in verdict.problems] == ["cabinet_temp"]
    assert "-40" in verdict.problems[0].message() and "80" in verdict.problems[0].message()
    assert verdict.outcomes["cabinet_temp"] is None
    answers["cabinet_temp"] = f.answer("cabinet_temp", 45)  # a valid reading above the pass limit of 40 ℃: fails
    verdict = f.evaluate(answers, all_photos(f))
    assert verdict.problems == [] and verdict.outcomes["cabinet_temp"] == FAIL
    assert verdict.result == "defects" and verdict.failed == ["cabinet_temp"]
    answers["backup_minutes"] = f.answer("backup_minutes", 60)  # below pass_min 120
    assert f.evaluate(answers, all_photos(f)).failed == ["cabinet_temp", "backup_minutes"]


def test_photo_required_items_are_blocked_until_a_photo_is_attached():
    f = form("base_station")
    answers = answered(f, passing_answers(f))
    photos = all_photos(f)
    del photos["grounding_ohm"]
    verdict = f.evaluate(answers, photos)
    assert verdict.blocked == ["grounding_ohm"] and [p.field for p in verdict.problems] == ["grounding_ohm"]
    assert verdict.outcomes["grounding_ohm"] == PASS  # the value itself is fine; the photo is what is missing
    photos["grounding_ohm"] = 1
    assert f.evaluate(answers, photos).ok


def test_score_weights_passed_against_answered():
    f = form("camera")
    answers = answered(f, passing_answers(f))
    answers["online"] = f.answer("online", "offline")  # weight 4 fails
    answers["night_lighting"] = f.answer("night_lighting", na=True)  # weight 1 leaves the score
    verdict = f.evaluate(answers, all_photos(f))
    scored = [x for x in f.fields if x.scored and verdict.outcomes[x.key] in (PASS, FAIL)]
    total = sum(x.weight for x in scored)
    assert verdict.score == round(100 * (total - 4) / total, 1)
    assert verdict.result == "defects" and verdict.failed == ["online"]
    multi = form("smart_pole")
    answers = answered(multi, {**passing_answers(multi), "faulty_devices": ["camera"]})
    assert multi.evaluate(answers, all_photos(multi)).failed == ["faulty_devices"]


def test_unreachable_needs_a_reason_and_nothing_else():
    f = form("smart_pole")
    verdict = f.evaluate({}, {}, unreachable_reason="")
    assert [p.field for p in verdict.problems] == ["unreachable_reason"] and verdict.result == "unreachable"
    verdict = f.evaluate({}, {}, unreachable_reason="道路施工封闭，无法到达")
    assert verdict.ok and verdict.result == "unreachable" and verdict.score is None
