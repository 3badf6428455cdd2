"""The fast reader (issue 6): records parsed by orjson while their entry is inflated (never staged on disk), photos
flushed while the transaction runs, no cyclic GC during the work. The same refusals, in the same order."""

from __future__ import annotations

import gc
import threading
import time
import json
import zipfile

import pytest

from nibi_desk.sync import apply, reader, staging
from nibi_desk.sync.format import Limits
from nibi_desk.sync.reader import BundleRefused, open_bundle
from tests.sync_helpers import hold_staging, jsonl, records_of, rewrite, rollup_pair
from tests.test_sync_throughput_export import _photos


@pytest.fixture
def pair(tmp_path):
    with rollup_pair(tmp_path, 40, extra=lambda octx: _photos(octx, 3)) as made:
        yield made


def test_lines_across_chunks_crlf_blank_and_no_final_newline(pair, monkeypatch):
    tmp, _o, _f, good, key = pair
    records = records_of(good, "assets")
    lines = [json.dumps(r, ensure_ascii=False).encode() for r in records]
    data = b"\r\n".join(lines[:10]) + b"\r\n\n   \n" + b"\n".join(lines[10:])  # no newline at the end
    bad = rewrite(good, tmp / "odd.nibx", sign_with=key, files={"records/assets.jsonl": data})
    monkeypatch.setattr(staging, "CHUNK", 97)  # lines cut anywhere, multi-byte characters too
    with open_bundle(bad, tmp / "stage") as bundle:
        assert bundle.records["assets"] == records
        assert not (bundle.staging / "records").exists()  # records are never written to the staging folder


def test_line_too_long_names_its_row_across_chunks(pair, monkeypatch):
    tmp, _o, _f, good, key = pair
    with zipfile.ZipFile(good) as zf:
        limit = 100 + max(len(line) for name in zf.namelist() if name.startswith("records/")
                          for line in zf.read(name).split(b"\n"))
    records = records_of(good, "assets")
    records[2]["values"]["notes"] = "长" * limit
    bad = rewrite(good, tmp / "long.nibx", sign_with=key, files={"records/assets.jsonl": jsonl(records)})
    monkeypatch.setattr(staging, "CHUNK", 64)
    with pytest.raises(BundleRefused) as info:
        open_bundle(bad, tmp / "stage", Limits(max_line=limit))
    assert f"longer than {limit} bytes" in info.value.message() and "row 3" in info.value.message()


def test_a_changed_file_is_reported_before_a_bad_record(pair):
    """Records are checked while they are read, but a problem with them is raised only once every entry's size and
    SHA-256 held: a photo changed after signing is reported as changed, whatever the records hold."""
    tmp, _o, fctx, good, key = pair
    records = records_of(good, "assets")
    records[0]["values"]["status"] = "exploded"
    with zipfile.ZipFile(good) as zf:
        photo = next(n for n in zf.namelist() if n.startswith("photos/"))
        tampered = bytes([zf.read(photo)[0] ^ 1]) + zf.read(photo)[1:]
    bad = rewrite(good, tmp / "a.nibx", sign_with=key, files={"records/assets.jsonl": jsonl(records)})
    worse = rewrite(bad, tmp / "b.nibx", sign_with=key, files={photo: tampered}, fix_manifest=False)
    with pytest.raises(BundleRefused, match="record is invalid"):
        apply.import_bundle(fctx, bad)
    with pytest.raises(BundleRefused) as info:
        apply.import_bundle(fctx, worse)
    assert "SHA-256 differs" in info.value.message() and photo[:20] in info.value.message()


@pytest.mark.parametrize("value, expect", [
    ("NaN", "not valid JSON"),                        # the standard library would accept it
    ("123456789012345678901234567890", "record is invalid"),   # beyond the schemas' bounds either way
    ('"\\ud800"', "not valid JSON"),                   # a lone surrogate could not be stored
])
def test_json_the_standard_library_would_accept(pair, value, expect):
    tmp, _o, fctx, good, key = pair
    lines = zipfile.ZipFile(good).read("records/assets.jsonl").split(b"\n")
    lines[1] = lines[1].replace(b'"deleted":0', b'"deleted":' + value.encode())
    assert b'"deleted":' + value.encode() in lines[1]
    bad = rewrite(good, tmp / "bad.nibx", sign_with=key, files={"records/assets.jsonl": b"\n".join(lines)})
    with pytest.raises(BundleRefused) as info:
        apply.import_bundle(fctx, bad)
    assert expect in info.value.message() and "row 2" in info.value.message()


def test_gc_is_back_on_after_imports_good_and_refused(pair):
    tmp, _o, fctx, good, key = pair
    assert gc.isenabled()
    apply.import_bundle(fctx, good)
    assert gc.isenabled()
    bad = rewrite(good, tmp / "bad.nibx", sign_with=key, manifest_edit=lambda m: m["counts"].update(assets=7))
    with pytest.raises(BundleRefused):
        apply.import_bundle(fctx, bad)
    assert gc.isenabled()
    gc.disable()
    try:
        with reader.gc_paused():
            pass
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()


def test_photos_arrive_and_reimport_writes_nothing(pair):
    tmp, octx, fctx, good, _k = pair
    plan = apply.import_bundle(fctx, good)
    assert len(plan.photos_to_adopt) == 3
    from nibi_desk.photos.store import PhotoStore

    store = PhotoStore.for_registry(fctx.registry.path)
    assert all(store.verify(sha) for sha in plan.photos_to_adopt)
    again = apply.import_bundle(fctx, good)
    assert again.changes == 0 and not again.photos_to_adopt
    assert not any(apply.staging_root(fctx.registry).iterdir())


def _tampered_photo(good, tmp, key):
    with zipfile.ZipFile(good) as zf:
        photo = next(n for n in zf.namelist() if n.startswith("photos/"))
        data = zf.read(photo)
    return photo, rewrite(good, tmp / "photo.nibx", sign_with=key, files={photo: bytes([data[0] ^ 1]) + data[1:]},
                          fix_manifest=False)


def test_photos_staged_beside_the_import_a_bad_one_rolls_it_back(pair):
    """An import without a preview stages the photos on a second thread while the records are merged and written;
    a photo that is not what the manifest says is found before the commit, and the whole import is undone."""
    from nibi_desk.photos.store import PhotoStore
    from tests.sync_helpers import snapshot

    tmp, _o, fctx, good, key = pair
    photo, bad = _tampered_photo(good, tmp, key)
    registry = fctx.registry
    before, before_bytes = snapshot(registry.path), registry.path.read_bytes()
    written = []
    registry.writer.listeners.append(written.append)
    with pytest.raises(BundleRefused) as info:
        apply.import_bundle(fctx, bad)
    assert "SHA-256 differs" in info.value.message() and photo[:20] in info.value.message()
    assert snapshot(registry.path) == before and registry.path.read_bytes() == before_bytes
    assert not written  # nothing was committed
    store = PhotoStore.for_registry(registry.path)
    assert not any(store.has(name.removeprefix("photos/")) for name in zipfile.ZipFile(good).namelist()
                   if name.startswith("photos/"))
    assert not any(apply.staging_root(registry).iterdir())
    with pytest.raises(BundleRefused, match="SHA-256 differs"):  # opened completely, the check comes at once
        open_bundle(bad, tmp / "stage").close()


def test_files_later_returns_before_the_files_and_the_import_waits_for_them(pair, monkeypatch):
    tmp, _o, fctx, good, _key = pair
    gate = hold_staging(monkeypatch)
    bundle = apply.open_for_import(fctx, good, files_later=True)
    try:
        assert bundle.records["assets"] and not any(p.exists() for p in bundle.photos.values())
        threading.Timer(0.3, gate.set).start()
        plan = apply.apply(fctx, bundle)
    finally:
        bundle.close()
    from nibi_desk.photos.store import PhotoStore

    store = PhotoStore.for_registry(fctx.registry.path)
    assert len(plan.photos_to_adopt) == 3 and all(store.verify(sha) for sha in plan.photos_to_adopt)


def test_closing_a_bundle_whose_files_are_still_staging_stops_and_cleans(pair, monkeypatch):
    tmp, _o, fctx, good, _key = pair
    started = threading.Event()
    real = staging.read_entry

    def slow(zf, info, declared, cancelled, sink):
        started.set()
        while not cancelled():  # only a stop ends it
            time.sleep(0.01)
        return real(zf, info, declared, cancelled, sink)

    monkeypatch.setattr(staging, "read_entry", slow)
    bundle = open_bundle(good, tmp / "stage", files_later=True)
    assert started.wait(10)
    stager = bundle._files
    bundle.close()
    assert not stager.is_alive() and not bundle.staging.exists()


def test_two_lanes_report_the_first_bad_photo_in_manifest_order(pair, monkeypatch):
    """The files are staged by two lanes; when both meet a bad photo, the one reported is the first the manifest
    lists, even when the later one fails first."""
    tmp, _o, _f, good, key = pair
    with zipfile.ZipFile(good) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        photos = [f["path"] for f in manifest["files"] if f["path"].startswith("photos/")]
        tampered = {name: bytes([zf.read(name)[0] ^ 1]) + zf.read(name)[1:] for name in photos[:2]}
    bad = rewrite(good, tmp / "two.nibx", sign_with=key, files=tampered, fix_manifest=False)
    real = staging.read_entry

    def first_is_slow(zf, info, declared, cancelled, sink):
        if info.filename == photos[0]:
            time.sleep(0.5)  # the second lane fails on photos[1] meanwhile
        return real(zf, info, declared, cancelled, sink)

    monkeypatch.setattr(staging, "read_entry", first_is_slow)
    monkeypatch.setattr(staging.os, "cpu_count", lambda: 2)
    with pytest.raises(BundleRefused) as info:
        open_bundle(bad, tmp / "stage")
    assert photos[0][:20] in info.value.message() and "SHA-256 differs" in info.value.message()
