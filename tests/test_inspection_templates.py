"""Checklist templates: the shipped defaults, validation of bad files with clear errors, versions and copies."""

from __future__ import annotations

import copy
import json

import pytest

from nibi_desk import i18n
from nibi_desk.errors import PermissionDenied, TemplateInvalid
from nibi_desk.inspection import inspections, template_files, templates
from nibi_desk.storage.registry import Registry
from tests.inspection_fixtures import cheap_hasher, complete_inspection, world  # noqa: F401

TYPES = ("base_station", "smart_pole", "camera")


def shipped(asset_type: str) -> dict:
    return copy.deepcopy(next(d for d in template_files.shipped() if d["asset_type"] == asset_type))


def test_every_asset_type_has_a_valid_shipped_template():
    docs = template_files.shipped()
    assert sorted(d["asset_type"] for d in docs) == sorted(TYPES)
    for doc in docs:
        kinds = {i["kind"] for s in doc["sections"] for i in s["items"]}
        assert {"pass_fail", "number", "choice", "photo", "text"} <= kinds or doc["asset_type"] != "base_station"
        assert all("zh_CN" in i["label"] and "en" in i["label"] for s in doc["sections"] for i in s["items"])


def test_shipped_templates_have_the_same_ids_in_every_registry(tmp_path):
    with Registry.create(tmp_path / "a.nibi", "420682") as a, Registry.create(tmp_path / "b.nibi", "420682") as b:
        rows_a = [(r["id"], r["family"], r["version"], r["active"]) for r in templates.list_templates(a.read())]
        rows_b = [(r["id"], r["family"], r["version"], r["active"]) for r in templates.list_templates(b.read())]
    assert rows_a == rows_b and len(rows_a) == 3
    assert all(active == 1 and version == 1 for _i, _f, version, active in rows_a)
    with Registry.open(tmp_path / "a.nibi") as again:  # opening again adds nothing
        assert len(templates.list_templates(again.read(), active_only=False)) == 3


@pytest.mark.parametrize("asset_type", TYPES)
def test_default_template_of_each_type(tmp_path, asset_type):
    with Registry.create(tmp_path / "r.nibi", "420682") as registry:
        row = templates.default_for(registry.read(), asset_type)
        form = templates.form_of(registry.read(), row["id"])
    assert form.asset_type == asset_type and form.signature_required
    assert len(form.fields) >= 10 and len({f.key for f in form.fields}) == len(form.fields)


# -- bad files ----------------------------------------------------------------------------------------------------
def _item(doc, key):
    return next(i for s in doc["sections"] for i in s["items"] if i["key"] == key)


def _break_kind(doc):
    _item(doc, "online")["kind"] = "slider"


def _break_duplicate(doc):
    _item(doc, "angle")["key"] = "online"


def _break_range(doc):
    _item(doc, "time_offset_s").update(min=100, max=-100)


def _break_pass_range(doc):
    _item(doc, "time_offset_s").update(pass_min=50, pass_max=10)


def _break_options(doc):
    _item(doc, "online")["options"] = []


def _break_options_on_pass_fail(doc):
    _item(doc, "angle")["options"] = [{"value": "x", "label": {"zh_CN": "x"}}]


def _break_unit_on_choice(doc):
    _item(doc, "online")["unit"] = "s"


def _break_category(doc):
    _item(doc, "angle")["defect_category"] = "weather"


def _break_all_fail(doc):
    for option in _item(doc, "online")["options"]:
        option["fails"] = True


def _break_missing_label(doc):
    del _item(doc, "housing")["label"]


def _break_key_pattern(doc):
    _item(doc, "housing")["key"] = "外壳"


def _break_no_weight(doc):
    for section in doc["sections"]:
        for item in section["items"]:
            item["weight"] = 0


def _break_asset_type(doc):
    doc["asset_type"] = "windmill"


@pytest.mark.parametrize("breaker, item, words", [
    (_break_kind, "online", "slider"),
    (_break_duplicate, "online", "online"),
    (_break_range, "time_offset_s", "max"),
    (_break_pass_range, "time_offset_s", "pass_max"),
    (_break_options, "online", "option"),
    (_break_options_on_pass_fail, "angle", "pass_fail"),
    (_break_unit_on_choice, "online", "unit"),
    (_break_category, "angle", "weather"),
    (_break_all_fail, "online", "never pass"),
    (_break_missing_label, "housing", "label"),
    (_break_key_pattern, None, "外壳"),
    (_break_no_weight, None, "weight"),
    (_break_asset_type, None, "windmill"),
])
def test_a_bad_template_file_names_the_file_and_the_item(tmp_path, breaker, item, words):
    i18n.set_language("en")
    doc = shipped("camera")
    breaker(doc)
    path = tmp_path / "broken_camera.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(TemplateInvalid) as caught:
        template_files.load_file(path, asset_types=TYPES)
    message = str(caught.value)
    assert "broken_camera.json" in message and words in message
    if item:
        assert caught.value.where.field == item and f"field {item}" in message


def test_not_json_says_where(tmp_path):
    path = tmp_path / "t.json"
    path.write_text('{"format": 1,\n  "name": oops}', encoding="utf-8")
    with pytest.raises(TemplateInvalid) as caught:
        template_files.load_file(path)
    assert caught.value.where.file == "t.json" and caught.value.where.row == 2
    assert "t.json" in str(caught.value) and "JSON" in str(caught.value)  # message in Chinese by default


# -- versions and copies -------------------------------------------------------------------------------------------
def test_office_edits_make_versions_and_inspections_keep_theirs(world):
    conn = world.registry.read()
    v1 = templates.default_for(conn, "camera")
    done = complete_inspection(world, world.inspector, world.camera)
    doc = shipped("camera")
    doc["sections"][0]["items"].append({"key": "audio", "kind": "pass_fail", "label": {"zh_CN": "拾音正常"}})
    v2 = templates.new_version(world.office, v1["id"], doc)
    rows = templates.versions(conn, v1["family"])
    assert [(r["version"], r["active"]) for r in rows] == [(1, 0), (2, 1)]
    assert templates.default_for(conn, "camera")["id"] == v2
    assert inspections.get(conn, done)["template"] == v1["id"]  # the old inspection still points at version 1
    assert "audio" not in {f.key for f in inspections.form_of(conn, inspections.get(conn, done)).fields}
    new = inspections.start(world.inspector, world.camera)
    assert inspections.get(conn, new)["template"] == v2
    templates.set_active(world.office, v1["id"])
    assert templates.default_for(conn, "camera")["id"] == v1["id"]


def test_copy_makes_a_new_family_and_only_office_edits(world):
    conn = world.registry.read()
    v1 = templates.default_for(conn, "smart_pole")
    for ctx in (world.inspector, world.supervisor):
        with pytest.raises(PermissionDenied):
            templates.copy_template(ctx, v1["id"])
        with pytest.raises(PermissionDenied):
            templates.new_version(ctx, v1["id"], shipped("smart_pole"))
    copy_id = templates.copy_template(world.office, v1["id"], name={"zh_CN": "汛期智能杆巡检表"})
    copied = templates.get(conn, copy_id)
    assert copied["family"] != v1["family"] and copied["version"] == 1 and copied["name"] == "汛期智能杆巡检表"
    assert templates.default_for(conn, "smart_pole")["id"] == v1["id"]  # the shipped family stays the default
    bad = shipped("smart_pole")
    bad["sections"][0]["items"][0]["kind"] = "wrong"
    with pytest.raises(TemplateInvalid):
        templates.new_version(world.office, v1["id"], bad)
    audit = conn.execute("SELECT actor FROM audit WHERE row_id = ?", (copy_id,)).fetchall()
    assert [a[0] for a in audit] == ["office"]


def test_import_file_with_a_shipped_key_is_the_next_version(world, tmp_path):
    doc = shipped("base_station")
    doc["name"] = {"zh_CN": "5G基站巡检表（2026版）", "en": "5G base station checklist (2026)"}
    path = tmp_path / "bs.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    new_id = templates.import_file(world.office, path)
    row = templates.get(world.registry.read(), new_id)
    assert row["version"] == 2 and row["family"] == template_files.family_id("base_station")
