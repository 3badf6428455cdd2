"""Thumbnails: upright (EXIF orientation applied), small, cached by hash and size, atomic; broken photos fail cleanly."""

from __future__ import annotations

import pytest
from PIL import Image, ImageChops, ImageStat

from nibi_desk.photos import thumbs
from nibi_desk.photos.store import PhotoNotStored, PhotoStore
from nibi_desk.photos.thumbs import ThumbnailFailed, thumbnail, thumbnail_path
from tests.conftest import shared_path
from tests.photos_helpers import ORIENTATION, make_jpeg


@pytest.fixture
def store(tmp_path) -> PhotoStore:
    return PhotoStore.for_registry(tmp_path / "county.nibi")


def stored(store, tmp_path, name="p.jpg", **kwargs) -> str:
    make_jpeg(tmp_path / name, **kwargs)
    result, = store.import_files([tmp_path / name])
    return result.sha256


def is_red(pixel) -> bool:
    r, g, b = pixel[:3]
    return r > 150 and b < 100


def test_orientation_6_gives_a_portrait_thumbnail_turned_clockwise(store, tmp_path):
    # Stored landscape 320x240 with the red quarter top-left; orientation 6 means "turn 90° clockwise to view".
    sha = stored(store, tmp_path, size=(320, 240), ifd0={ORIENTATION: 6})
    path = thumbnail(store, sha, 64)
    assert path == thumbnail_path(store, sha, 64) == store.root / "thumbs" / "64" / f"{sha}.jpg"
    with Image.open(path) as im:
        assert im.size == (48, 64)  # portrait
        assert im.format == "JPEG"
        # after a clockwise quarter turn the stored top-left corner is at the top right
        assert is_red(im.getpixel((40, 8))) and not is_red(im.getpixel((8, 8)))


def test_second_call_is_a_cache_hit(store, tmp_path, monkeypatch):
    sha = stored(store, tmp_path, size=(320, 240))
    first = thumbnail(store, sha, 64)
    mtime = first.stat().st_mtime_ns

    def no_render(*args, **kwargs):
        raise AssertionError("rendered again instead of using the cache")

    monkeypatch.setattr(thumbs, "render", no_render)
    assert thumbnail(store, sha, 64) == first and first.stat().st_mtime_ns == mtime
    first.write_bytes(b"")  # an empty file left by a power cut counts as absent
    monkeypatch.undo()
    assert thumbnail(store, sha, 64).stat().st_size > 0
    assert list((store.root / "tmp").glob("*.part")) == []


def test_sizes_are_cached_separately(store, tmp_path):
    sha = stored(store, tmp_path, size=(320, 240))
    small, large = thumbnail(store, sha, 32), thumbnail(store, sha, 128)
    assert small != large and Image.open(small).size == (32, 24) and Image.open(large).size == (128, 96)


def test_draft_and_full_decode_agree(tmp_path):
    data = make_jpeg(size=(800, 600), ifd0={ORIENTATION: 8})
    fast, full = thumbs.render(data, 100), thumbs.render(data, 100, draft=False)
    assert fast.size == full.size == (75, 100)


def test_truncated_photo_and_unknown_hash(store, tmp_path):
    data = make_jpeg(size=(320, 240))
    (tmp_path / "cut.jpg").write_bytes(data[: len(data) // 2])
    result, = store.import_files([tmp_path / "cut.jpg"])
    with pytest.raises(ThumbnailFailed):
        thumbnail(store, result.sha256, 64)
    with pytest.raises(PhotoNotStored):
        thumbnail(store, "f" * 64, 64)
    with pytest.raises(ThumbnailFailed):
        thumbnail(store, result.sha256, 5)


@pytest.mark.parametrize("orientation", range(1, 9))
def test_fixture_orientations_all_come_out_landscape(orientation):
    """The fixtures landscape_1..8 all show a landscape picture once their orientation is applied."""
    path = shared_path("fixtures", "photos", f"exs__orientation__landscape_{orientation}.jpg")
    im = thumbs.render(path, 120)
    assert im.size == (120, 90)
    reference = thumbs.render(shared_path("fixtures", "photos", "exs__orientation__landscape_1.jpg"), 120)
    difference = ImageChops.difference(im.convert("L"), reference.convert("L"))
    # the same picture (each fixture prints its own digit: ~14), not a mirrored or turned one (~45)
    assert ImageStat.Stat(difference).mean[0] < 25
