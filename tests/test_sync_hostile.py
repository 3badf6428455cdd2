"""Hostile bundles: every refusal names what and where, writes nothing outside staging, and leaves the registry
byte-for-byte unchanged (the file's bytes and every table's content)."""

from __future__ import annotations

import json
import stat
import zipfile

import pytest

from nibi_desk import i18n
from nibi_desk.sync import apply, export, peers
from nibi_desk.sync.format import Limits
from nibi_desk.sync.keys import DeviceKey
from nibi_desk.sync.reader import BundleRefused, open_bundle
from tests.sync_helpers import introduce, jsonl, make, records_of, rewrite, rollup_pair, snapshot


@pytest.fixture
def pair(tmp_path):
    with rollup_pair(tmp_path, 3) as made:
        yield made


def refused(fctx, path, expect: str, where: str | None = None, **kwargs):
    registry = fctx.registry
    before_bytes = registry.path.read_bytes()
    before = snapshot(registry.path)
    staging = apply.staging_root(registry)
    with pytest.raises(BundleRefused) as info:
        apply.import_bundle(fctx, path, **kwargs)
    message = info.value.message()
    assert expect in message, message
    if where:
        assert where in message, message
    assert snapshot(registry.path) == before
    assert registry.path.read_bytes() == before_bytes
    assert not staging.exists() or not any(staging.iterdir())  # staging cleaned
    return message


def test_good_bundle_imports(pair):
    _tmp, _octx, fctx, good, _key = pair
    plan = apply.import_bundle(fctx, good)
    assert plan.totals()["new"] == 3 + 273 - 0 or plan.totals()["new"] >= 3


def test_not_a_zip(pair):
    tmp, _o, fctx, _good, _k = pair
    bad = tmp / "bad.nibx"
    bad.write_bytes(b"PK\x03\x04 not really")
    refused(fctx, bad, "not a bundle (not a zip archive)", "bad.nibx")


@pytest.mark.parametrize("name, expect", [
    ("/etc/passwd", "absolute path"), ("C:/x.txt", "absolute path"), ("records/../../evil.txt", "'..'"),
    ("records\\evil.txt", "unusable name"), ("records/", "folder entry"), ("photos/a b:c", "unusable name"),
])
def test_bad_names(pair, name, expect):
    tmp, _o, fctx, good, key = pair
    bad = rewrite(good, tmp / "bad.nibx", sign_with=key, extra=[(name, b"x")])
    refused(fctx, bad, expect)


def test_symlink(pair):
    tmp, _o, fctx, good, key = pair
    info = zipfile.ZipInfo("records/link.jsonl")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    bad = rewrite(good, tmp / "bad.nibx", sign_with=key, extra=[(info, b"/etc/passwd")])
    refused(fctx, bad, "symbolic link", "records/link.jsonl")


def test_duplicate_names(pair):
    tmp, _o, fctx, good, key = pair
    with zipfile.ZipFile(good) as zf:
        data = zf.read("records/assets.jsonl")
    with pytest.warns(UserWarning):
        bad = rewrite(good, tmp / "bad.nibx", sign_with=key, extra=[("records/assets.jsonl", data)])
    refused(fctx, bad, "same name twice", "records/assets.jsonl")
    bad2 = rewrite(good, tmp / "bad2.nibx", sign_with=key, extra=[("RECORDS/assets.jsonl", data)])
    refused(fctx, bad2, "same name twice")


def test_entry_not_in_manifest(pair):
    tmp, _o, fctx, good, key = pair
    bad = rewrite(good, tmp / "bad.nibx", sign_with=key, extra=[("photos/" + "a" * 64, b"x")])
    refused(fctx, bad, "not in the manifest", "photos/aaaa")


def test_missing_file(pair):
    tmp, _o, fctx, good, key = pair
    bad = rewrite(good, tmp / "bad.nibx", sign_with=key, files={"records/assets.jsonl": None}, fix_manifest=False)
    refused(fctx, bad, "missing from the bundle", "records/assets.jsonl")


def test_hash_mismatch(pair):
    tmp, _o, fctx, good, key = pair
    with zipfile.ZipFile(good) as zf:
        data = zf.read("records/assets.jsonl")
    tampered = data.replace("灯杆000".encode(), "灯杆999".encode())
    bad = rewrite(good, tmp / "bad.nibx", sign_with=key, files={"records/assets.jsonl": tampered},
                  fix_manifest=False)
    refused(fctx, bad, "SHA-256 differs", "records/assets.jsonl")


def test_size_mismatch(pair):
    tmp, _o, fctx, good, key = pair
    with zipfile.ZipFile(good) as zf:
        data = zf.read("records/assets.jsonl")
    bad = rewrite(good, tmp / "bad.nibx", sign_with=key, files={"records/assets.jsonl": data + b"\n"},
                  fix_manifest=False)
    refused(fctx, bad, "size differs", "records/assets.jsonl")


def test_zip_bomb(pair):
    tmp, _o, fctx, good, key = pair
    bomb = b"\n" * (20 * 1024 * 1024)
    bad = tmp / "bomb.nibx"
    rewrite(good, bad, sign_with=key, files={"records/mounts.jsonl": bomb})
    with zipfile.ZipFile(bad) as zf:  # the entry must be deflated for the ratio to show
        entries = {i.filename: zf.read(i) for i in zf.infolist()}
    with zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    refused(fctx, bad, "zip bomb", "records/mounts.jsonl")


def test_declared_sizes_beyond_limits(pair, tmp_path):
    _tmp, _o, _f, good, _k = pair
    with pytest.raises(BundleRefused, match="beyond the limit"):
        open_bundle(good, tmp_path / "stage", Limits(max_total=100))


def test_unknown_format_version(pair):
    tmp, _o, fctx, good, key = pair
    bad = rewrite(good, tmp / "bad.nibx", sign_with=key, manifest_edit=lambda m: m.update(format_version=2))
    refused(fctx, bad, "Unknown bundle format version 2", "manifest.json")


def test_manifest_schema(pair):
    tmp, _o, fctx, good, key = pair
    bad = rewrite(good, tmp / "bad.nibx", sign_with=key, manifest_edit=lambda m: m.update(kind="everything"))
    refused(fctx, bad, "manifest is invalid", "manifest.json")


def test_bad_signature(pair):
    tmp, _o, fctx, good, _key = pair
    bad = rewrite(good, tmp / "bad.nibx", manifest_edit=lambda m: m.update(note="changed"))  # not re-signed
    refused(fctx, bad, "signature does not match", "manifest.sig")


def test_signed_by_another_key(pair):
    tmp, octx, fctx, good, _key = pair
    other = DeviceKey.for_device("0123456789abcdef")
    bad = rewrite(good, tmp / "bad.nibx", sign_with=other,
                  manifest_edit=lambda m: m["sender"].update(public_key=other.public_key))
    refused(fctx, bad, "signed with another key")


def test_unknown_and_revoked_devices(pair):
    tmp, octx, fctx, good, _key = pair
    peers.revoke(fctx, octx.registry.device)
    refused(fctx, good, "enrollment was revoked")
    stranger, sctx = make(tmp, "stranger")
    try:
        refused(sctx, good, "not enrolled here")
        plan = apply.import_bundle(sctx, good, trust_once=True, reason="phoned the office")  # explicit, audited
        assert plan.totals()["new"] >= 3
        row = stranger.read().execute("SELECT trusted_once, details FROM exchanges").fetchone()
        assert row[0] == 1 and "phoned the office" in row[1]
        assert stranger.read().execute("SELECT count(*) FROM audit WHERE tbl = 'exchanges'").fetchone()[0] == 1
    finally:
        stranger.close()


def test_record_failing_schema(pair):
    tmp, _o, fctx, good, key = pair
    records = records_of(good, "assets")
    records[1]["values"]["status"] = "exploded"
    bad = rewrite(good, tmp / "bad.nibx", sign_with=key, files={"records/assets.jsonl": jsonl(records)})
    refused(fctx, bad, "record is invalid", "row 2")


def test_record_with_seq_or_password(pair):
    tmp, _o, fctx, good, key = pair
    records = records_of(good, "assets")
    records[0]["values"]["seq"] = 5
    bad = rewrite(good, tmp / "bad.nibx", sign_with=key, files={"records/assets.jsonl": jsonl(records)})
    refused(fctx, bad, "record is invalid")


def test_absurd_string(pair):
    tmp, _o, fctx, good, key = pair
    records = records_of(good, "assets")
    records[0]["values"]["notes"] = "长" * 1_000_001
    bad = rewrite(good, tmp / "bad.nibx", sign_with=key, files={"records/assets.jsonl": jsonl(records)})
    refused(fctx, bad, "longer than 1000000 characters", "records/assets.jsonl")


def test_not_json_and_duplicate_ids(pair):
    tmp, _o, fctx, good, key = pair
    bad = rewrite(good, tmp / "bad.nibx", sign_with=key, files={"records/assets.jsonl": b"{not json\n"},
                  manifest_edit=lambda m: m["counts"].update(assets=1))
    refused(fctx, bad, "not valid JSON", "row 1")
    records = records_of(good, "assets")
    bad2 = rewrite(good, tmp / "bad2.nibx", sign_with=key, files={"records/assets.jsonl": jsonl(records + records[:1])},
                   manifest_edit=lambda m: m["counts"].update(assets=4))
    refused(fctx, bad2, "appears twice", "row 4")


def test_count_mismatch(pair):
    tmp, _o, fctx, good, key = pair
    bad = rewrite(good, tmp / "bad.nibx", sign_with=key, manifest_edit=lambda m: m["counts"].update(assets=7))
    refused(fctx, bad, "counts 7 records of assets")


def test_table_not_allowed_for_kind(pair):
    tmp, _o, fctx, good, key = pair
    bad = rewrite(good, tmp / "bad.nibx", sign_with=key, manifest_edit=lambda m: m.update(kind="return"))
    refused(fctx, bad, "A return bundle may not carry")


def test_stamps_from_the_future(pair):
    tmp, _o, fctx, good, key = pair
    records = records_of(good, "assets")
    records[0]["field_hlc"]["name"] = "9999999999999-00000-" + records[0]["created_hlc"].split("-")[2]
    bad = rewrite(good, tmp / "bad.nibx", sign_with=key, files={"records/assets.jsonl": jsonl(records)})
    refused(fctx, bad, "from the future")


def test_rows_outside_the_county_are_refused_and_reported(pair):
    tmp, octx, fctx, good, key = pair
    other, xctx = make(tmp, "shiyan", county="420300")
    try:
        introduce(xctx, octx)
        plan = apply.import_bundle(xctx, good)
        reasons = {i.reason_text() for i in plan.refused if i.table == "assets"}
        assert plan.totals()["refused"] >= 3 and any("outside this registry's county" in r for r in reasons)
        assert other.read().execute("SELECT count(*) FROM assets").fetchone()[0] == 0
    finally:
        other.close()


def test_refusal_message_in_chinese(pair):
    tmp, _o, fctx, _good, _k = pair
    i18n.set_language("zh_CN")
    bad = tmp / "bad.nibx"
    bad.write_bytes(b"junk")
    with pytest.raises(BundleRefused) as info:
        apply.import_bundle(fctx, bad)
    assert "压缩" in info.value.message() or "包" in info.value.message()


def test_export_cancel_leaves_no_bundle(pair):
    tmp, octx, _f, _good, _k = pair
    gen = export.iter_export(octx, tmp / "cancelled.nibx", "backup")
    next(gen)
    gen.close()  # the task runner's cancel
    assert not (tmp / "cancelled.nibx").exists()
    assert not list(tmp.glob("*.partial")) and not list(tmp.glob(".*.partial"))


def test_export_disk_error_leaves_no_bundle(pair, monkeypatch):
    tmp, octx, _f, _good, _k = pair
    import nibi_desk.sync.export as ex

    def full(*_a, **_k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ex, "fsync_file", full)
    with pytest.raises(OSError):
        export.export_bundle(octx, tmp / "full.nibx", "backup")
    assert not (tmp / "full.nibx").exists() and not list(tmp.glob(".*.partial"))
    assert json.loads("{}") == {}
