"""The fast export path (issue 6): records encoded from plain SQL rows by orjson, entries written by a second thread.
Each test checks a guarantee the faster path must keep; none measures time."""

from __future__ import annotations

import json
import os
import threading
import zipfile

import pytest

from nibi_desk import i18n
from nibi_desk.commands.assets import edit_asset
from nibi_desk.context import Context
from nibi_desk.inspection import users
from nibi_desk.photos.store import PhotoStore
from nibi_desk.sync import apply, export, merge, selection
from nibi_desk.sync.format import exported_fields
from nibi_desk.sync.reader import BundleRefused
from tests.inspection_fixtures import PASSWORD, cheap_hasher, make_world  # noqa: F401
from tests.sync_helpers import introduce, make, poles, records_of, snapshot


@pytest.fixture
def pair(tmp_path):
    i18n.set_language("en")
    office, octx = make(tmp_path, "office")
    city, cctx = make(tmp_path, "city", county="420600")
    introduce(octx, cctx)
    yield tmp_path, octx, cctx
    office.close()
    city.close()


def _photos(ctx: Context, n: int) -> list[str]:
    store = PhotoStore.for_registry(ctx.registry.path)
    rows = []
    for i in range(n):
        sha, _had = store.add_bytes(b"\xff\xd8\xff\xe0" + os.urandom(3000 + i))
        rows.append((sha, 3004 + i, "image/jpeg", f"IMG_{i}.jpg", "{}"))
    ctx.registry.writer.run(lambda txn: txn.bulk_insert(
        "photos", ["sha256", "size", "media_type", "original_name", "missing"], rows))
    return [r[0] for r in rows]


def _reference_record(row, fields: list[str]) -> dict:
    """What a record must hold, computed the slow, obvious way from a sqlite3.Row."""
    record = {"id": row["id"], "created_hlc": row["created_hlc"], "field_hlc": json.loads(row["field_hlc"]),
              "values": {f: row[f] for f in fields}}
    return record


def test_records_equal_the_rows(pair):
    tmp, octx, _c = pair
    ids = poles(octx, 12)
    edit_asset(octx, ids[3], {"address": "胜利路 \"18\" 号\\东侧\n二楼", "lon": 111.61234567890123})
    path = export.export_bundle(octx, tmp / "b.nibx", "rollup").path
    conn = octx.registry.read()
    fields = exported_fields(conn, "assets")
    expected = {r["id"]: _reference_record(r, fields) for r in conn.execute("SELECT * FROM assets")}
    got = {r["id"]: r for r in records_of(path, "assets")}
    assert got == expected
    assert [r["id"] for r in records_of(path, "assets")] == \
        [r[0] for r in conn.execute("SELECT id FROM assets ORDER BY seq")]


def test_versions_and_siblings_travel(pair):
    """A row with merge knowledge (vv) and concurrent versions (siblings) is encoded like the merge's own to_json."""
    tmp, octx, cctx = pair
    asset = poles(octx, 1)[0]
    conn = octx.registry.read()
    row = conn.execute("SELECT created_hlc FROM assets WHERE id = ?", (asset,)).fetchone()
    created = row[0]
    creator = {merge.device_of(created): created}
    a = merge.Version.of("东侧", "9000000000000-00000-aaaa", {**creator, "aaaa": "9000000000000-00000-aaaa"})
    b = merge.Version.of("西侧", "9000000000001-00000-bbbb", {**creator, "bbbb": "9000000000001-00000-bbbb"})
    vv = {"address": {"aaaa": a.stamp, "bbbb": b.stamp}}
    octx.registry.writer.run(lambda txn: (
        txn.execute("UPDATE assets SET address = ?, field_hlc = ? WHERE id = ?",
                    ("西侧", json.dumps({"address": b.stamp}), asset)),
        txn.execute("INSERT INTO sync_versions (tbl, row_id, vv, siblings) VALUES ('assets', ?, ?, ?)",
                    (asset, json.dumps(vv), json.dumps({"address": [a.to_json(), b.to_json()]})))))
    record = records_of(export.export_bundle(octx, tmp / "b.nibx", "backup").path, "assets")[0]
    assert record["created_hlc"] == created and record["vv"] == vv
    assert record["siblings"] == {"address": [a.to_json(), b.to_json()]}


def test_changed_password_exports_and_imports(tmp_path, cheap_hasher):  # noqa: F811
    """A password change stamps password_hash in field_hlc locally; neither the stamp nor the hash may travel."""
    i18n.set_language("en")
    world = make_world(tmp_path)
    try:
        zhang = users.get_user(world.registry.read(), "zhang")["id"]
        users.set_password(world.office, zhang, PASSWORD + "2")
        stamps = world.registry.read().execute("SELECT field_hlc FROM users WHERE id = ?", (zhang,)).fetchone()[0]
        assert "password_hash" in stamps
        path = export.export_bundle(world.office, tmp_path / "backup.nibx", "backup").path
        record = next(r for r in records_of(path, "users") if r["id"] == zhang)
        assert "password_hash" not in record["field_hlc"] and "password_hash" not in record["values"]
        restored, rctx = make(tmp_path, "restored")
        try:
            plan = apply.import_bundle(rctx, path, trust_once=True, reason="test")
            assert plan.totals()["refused"] == 0
        finally:
            restored.close()
    finally:
        world.registry.close()


def test_infinite_real_is_not_written_as_null(pair):
    """orjson would write an infinite REAL as null (a silent change): such a row is encoded by the standard library,
    which writes Infinity, and the receiver refuses the bundle, as before."""
    tmp, octx, cctx = pair
    asset = poles(octx, 2)[0]
    octx.registry.writer.run(lambda txn: txn.execute("UPDATE assets SET alt = 9e999 WHERE id = ?", (asset,)))
    path = export.export_bundle(octx, tmp / "b.nibx", "rollup").path
    with zipfile.ZipFile(path) as zf:
        assert b'"alt": Infinity' in zf.read("records/assets.jsonl") or b'"alt":Infinity' in \
            zf.read("records/assets.jsonl")
    before = snapshot(cctx.registry.path)
    with pytest.raises(BundleRefused, match="not valid JSON"):
        apply.import_bundle(cctx, path)
    assert snapshot(cctx.registry.path) == before


def test_one_core_writes_the_same_bundle(pair, monkeypatch):
    tmp, octx, _c = pair
    poles(octx, 30)
    _photos(octx, 5)
    threaded = export.export_bundle(octx, tmp / "a.nibx", "rollup", full=True).path
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    serial = export.export_bundle(octx, tmp / "b.nibx", "rollup", full=True).path
    with zipfile.ZipFile(threaded) as a, zipfile.ZipFile(serial) as b:
        assert sorted(a.namelist()) == sorted(b.namelist())
        for name in a.namelist():
            if name not in ("manifest.json", "manifest.sig"):
                assert a.read(name) == b.read(name), name
        files_a = json.loads(a.read("manifest.json"))["files"]
        assert files_a == json.loads(b.read("manifest.json"))["files"]
        assert [f["path"] for f in files_a][0].startswith("records/")  # records first, as the format shows


@pytest.mark.parametrize("cores", [2, 1])
def test_cancel_during_photos_stops_the_thread_and_leaves_nothing(pair, monkeypatch, cores):
    tmp, octx, _c = pair
    poles(octx, 3)
    _photos(octx, 40)
    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    monkeypatch.setattr(export, "BATCH", 1)  # a yield per record
    gen = export.iter_export(octx, tmp / "cancelled.nibx", "rollup")
    next(gen)
    next(gen)
    gen.close()
    assert not (tmp / "cancelled.nibx").exists() and not list(tmp.glob(".*.partial"))
    assert not [t for t in threading.enumerate() if t.name == "nibi-bundle-export"]
    assert octx.registry.read().execute(
        "SELECT count(*) FROM sqlite_temp_master WHERE name = ?", (selection.TEMP,)).fetchone()[0] == 0


@pytest.mark.parametrize("cores", [2, 1])
def test_error_while_writing_photos_leaves_nothing(pair, monkeypatch, cores):
    tmp, octx, _c = pair
    poles(octx, 3)
    _photos(octx, 4)
    monkeypatch.setattr(os, "cpu_count", lambda: cores)

    def broken(self, sha):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(PhotoStore, "path_of", broken)
    with pytest.raises(OSError, match="Input/output"):
        export.export_bundle(octx, tmp / "broken.nibx", "rollup")
    assert not (tmp / "broken.nibx").exists() and not list(tmp.glob(".*.partial"))
    assert not [t for t in threading.enumerate() if t.name == "nibi-bundle-export"]


def test_missing_photo_files_are_reported_not_listed(pair):
    tmp, octx, cctx = pair
    poles(octx, 2)
    shas = _photos(octx, 3)
    PhotoStore.for_registry(octx.registry.path).path_of(shas[1]).unlink()
    result = export.export_bundle(octx, tmp / "b.nibx", "rollup")
    assert result.photos_missing == [shas[1]] and result.counts["photo_files"] == 2
    with zipfile.ZipFile(result.path) as zf:
        files = [f["path"] for f in json.loads(zf.read("manifest.json"))["files"]]
    assert f"photos/{shas[1]}" not in files and f"photos/{shas[0]}" in files


def test_lines_written_by_sqlite_equal_the_python_encoder(pair):
    """Most records are written by SQLite's json_object (selection.Chosen.lines), REAL columns appended by orjson;
    rows it cannot write as they are go through the Python encoder. Either way a record reads back equal to the row,
    doubles to the last bit."""
    tmp, octx, _c = pair
    ids = poles(octx, 8)
    odd_text = "引号\"反斜杠\\ 控制\x01\x1f 制表\t 换行\n 行分隔\u2028 表情😀 </script>"
    values = [(odd_text, 111.61234567890123, 1e-300, ids[0]), ("'单引号'", 0.1 + 0.2, 5e-324, ids[1]),
              ("", 2.0 ** 53 + 1, -0.0, ids[2]), (None, 111, 32, ids[3])]  # an int into a REAL column
    octx.registry.writer.run(lambda txn: [
        txn.execute("UPDATE assets SET notes = ?, lon = ?, alt = ? WHERE id = ?", v) for v in values]
        + [txn.execute("UPDATE assets SET alt = 'not a number', field_hlc = '' WHERE id = ?", (ids[4],)),
           txn.execute("UPDATE assets SET deleted = 0.0 WHERE id = ?", (ids[5],)),   # INTEGER affinity: stays 0
           txn.execute("UPDATE assets SET attrs = ? WHERE id = ?", ('{"高度": 12.5}', ids[6]))])
    conn = octx.registry.read()
    conn.execute("BEGIN")
    try:
        chosen = selection.choose(conn, "rollup")["assets"]
        fields = exported_fields(conn, "assets")
        encode = export._encoder("assets", fields)
        lines = list(chosen.lines(conn, fields))
        python = [encode(row) for row in chosen.rows(conn, fields)]
    finally:
        selection.release(conn)
        conn.execute("COMMIT")
    assert sum(type(line) is bytes for line in lines) >= 6  # most written by SQLite, not all by the fallback
    made = [line if type(line) is bytes else encode(line) for line in lines]
    assert [json.loads(m) for m in made] == [json.loads(p) for p in python]
    by_id = {json.loads(m)["id"]: json.loads(m) for m in made}
    assert by_id[ids[0]]["values"]["notes"] == odd_text and by_id[ids[0]]["values"]["lon"] == 111.61234567890123
    assert by_id[ids[1]]["values"]["lon"] == 0.1 + 0.2 and by_id[ids[1]]["values"]["alt"] == 5e-324
    assert by_id[ids[2]]["values"]["lon"] == 2.0 ** 53 + 1 and by_id[ids[6]]["values"]["attrs"] == '{"高度": 12.5}'
    assert by_id[ids[4]]["values"]["alt"] == "not a number" and by_id[ids[4]]["field_hlc"] == {}
    path = export.export_bundle(octx, tmp / "b.nibx", "rollup").path
    rows = [{**dict(r), "field_hlc": r["field_hlc"] or "{}"} for r in conn.execute("SELECT * FROM assets")]
    expected = {r["id"]: _reference_record(r, fields) for r in rows}
    assert {r["id"]: r for r in records_of(path, "assets")} == expected
