"""The content-addressed photo store: byte-for-byte originals, duplicates, unreadable files, cancel, verify."""

from __future__ import annotations

import hashlib
import io
import os
import threading

import pytest
from PIL import Image

from nibi_desk.photos import store as store_module
from nibi_desk.photos.store import PhotoNotStored, PhotoStore, find_photos
from tests.photos_helpers import DATETIME_ORIGINAL, gps_block, make_jpeg


@pytest.fixture
def store(tmp_path) -> PhotoStore:
    return PhotoStore.for_registry(tmp_path / "county.nibi")


@pytest.fixture
def camera(tmp_path):
    """A camera folder: nested, mixed-case suffixes, a non-photo, a macOS companion file."""
    folder = tmp_path / "DCIM"
    (folder / "100CAMERA").mkdir(parents=True)
    a = make_jpeg(folder / "100CAMERA" / "IMG_0001.JPG", gps=gps_block(lat=32.38, lon=111.67),
                  exif_ifd={DATETIME_ORIGINAL: "2024:05:01 10:11:12"})
    b = make_jpeg(folder / "100CAMERA" / "img_0002.jpeg", size=(80, 60))
    (folder / "notes.txt").write_text("not a photo", encoding="utf-8")
    (folder / "100CAMERA" / "._IMG_0001.JPG").write_bytes(b"\x00\x05\x16\x07 apple double")
    return folder, a, b


def test_layout_beside_the_registry(tmp_path, store):
    assert store.root == tmp_path / "county.nibi.photos"
    sha = hashlib.sha256(b"x").hexdigest()
    assert store._final(sha) == store.root / sha[:2] / f"{sha[2:]}.jpg"


def test_find_photos_walks_case_insensitively(camera):
    folder, _a, _b = camera
    assert [p.name for p in find_photos(folder)] == ["IMG_0001.JPG", "img_0002.jpeg"]


def test_import_keeps_originals_byte_for_byte(store, camera):
    folder, a, b = camera
    seen = []
    results = store.import_files([folder], progress=lambda done, total, r: seen.append((done, total)))
    assert seen == [(1, 2), (2, 2)]
    assert [r.ok for r in results] == [True, True] and not any(r.duplicate for r in results)
    for result, data in zip(results, (a, b)):
        assert result.sha256 == hashlib.sha256(data).hexdigest() and result.size == len(data)
        assert store.path_of(result.sha256).read_bytes() == data  # byte for byte, EXIF and all
        assert result.path == store.path_of(result.sha256)
        assert store.verify(result.sha256)
    assert results[0].info.lat == pytest.approx(32.38) and results[0].info.taken_at.year == 2024
    assert not (store.path_of(results[0].sha256).stat().st_mode & 0o222)  # read-only: evidence is not edited
    assert list((store.root / "tmp").iterdir()) == []


def test_duplicates_are_stored_once_and_reported(store, camera, tmp_path):
    folder, a, _b = camera
    copy = tmp_path / "copy-of-first.jpg"
    copy.write_bytes(a)
    first = store.import_files([folder])
    again = store.import_files([copy, folder / "100CAMERA" / "IMG_0001.JPG"])
    assert [r.duplicate for r in again] == [True, True]
    assert {r.sha256 for r in again} == {first[0].sha256}
    assert len(list(store.root.glob("??/*.jpg"))) == 2


def test_unreadable_and_non_jpeg_files_get_a_reason(store, tmp_path, camera):
    folder, _a, _b = camera
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    text = folder / "notes.txt"
    missing = tmp_path / "gone.jpg"
    results = store.import_files([empty, text, missing])
    assert [r.error.template for r in results] == [store_module.E_EMPTY, store_module.E_NOT_JPEG,
                                                   store_module.E_CANNOT_READ]
    assert all(r.sha256 is None and r.path is None for r in results)
    assert list(store.root.glob("??/*.jpg")) == []


def test_truncated_photo_is_stored_with_its_problem(store):
    data = make_jpeg(size=(128, 96))
    path = store.root.parent / "cut.jpg"
    path.write_bytes(data[:-200])
    result, = store.import_files([path])
    assert result.ok and result.info.problems and store.path_of(result.sha256).read_bytes() == data[:-200]


def test_cancel_midway_leaves_no_partial_file(store, tmp_path):
    noise = Image.effect_noise((300, 200), 60).convert("RGB")
    big = make_jpeg(tmp_path / "big.jpg", image=noise, quality=95)
    store.chunk_size = 1024  # many cancel checks inside one file
    calls = {"n": 0}
    sha = hashlib.sha256(big).hexdigest()
    chunks = -(-len(big) // 1024)
    assert chunks > 30
    stop_after = 1 + chunks + 20  # before the file, each chunk read, then 20 chunks written (past the 8 KB buffer)

    partial = []

    def cancel():
        calls["n"] += 1
        if calls["n"] > stop_after:
            # proof that the stop comes in the middle of writing: a part-file exists, not yet complete
            partial.extend(p.stat().st_size for p in (store.root / "tmp").glob("*.part"))
            return True
        return False

    assert store.import_files([tmp_path / "big.jpg"], cancel=cancel) == []
    assert len(partial) == 1 and 0 < partial[0] < len(big)
    assert not store._final(sha).exists() and not store.has(sha)
    assert list((store.root / "tmp").iterdir()) == []
    event = threading.Event()
    event.set()
    assert store.import_files([tmp_path / "big.jpg"], cancel=event) == []
    result, = store.import_files([tmp_path / "big.jpg"])  # and it still imports afterwards
    assert result.ok and store.path_of(sha).read_bytes() == big


def test_iter_import_is_a_generator(store, camera):
    folder, _a, _b = camera
    results = store.iter_import([folder])
    first = next(results)
    assert first.ok and first.source.name == "IMG_0001.JPG"
    assert [r.source.name for r in results] == ["img_0002.jpeg"]


def test_verify_detects_damage_and_unknown_hashes(store, camera):
    folder, _a, _b = camera
    result = store.import_files([folder])[0]
    path = store.path_of(result.sha256)
    os.chmod(path, 0o644)
    path.write_bytes(path.read_bytes()[:-1] + b"\x00")
    assert store.verify(result.sha256) is False
    again, = store.import_files([folder / "100CAMERA" / "IMG_0001.JPG"])
    assert again.duplicate and store.verify(result.sha256) is False  # same size: not silently "repaired"
    with pytest.raises(PhotoNotStored):
        store.path_of("0" * 64)
    with pytest.raises(PhotoNotStored):
        store.path_of("not-a-hash")
    assert store.has("0" * 64) is False


def test_damaged_copy_of_another_size_is_replaced(store, camera):
    folder, a, _b = camera
    result = store.import_files([folder])[0]
    path = store.path_of(result.sha256)
    os.chmod(path, 0o644)
    path.write_bytes(a[:100])
    again, = store.import_files([folder / "100CAMERA" / "IMG_0001.JPG"])
    assert not again.duplicate and store.verify(result.sha256)


def test_add_bytes(store):
    data = make_jpeg()
    sha, already = store.add_bytes(data)
    assert not already and store.path_of(sha).read_bytes() == data
    assert store.add_bytes(data) == (sha, True)
    buffer = io.BytesIO()
    Image.new("L", (20, 10), 255).save(buffer, "PNG")  # a signature
    sha, already = store.add_bytes(buffer.getvalue())
    assert store.path_of(sha).suffix == ".png" and store.verify(sha) and store.has(sha)
