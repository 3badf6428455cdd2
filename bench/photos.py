"""Photo benchmark: thumbnails (draft decoding vs full decode), stamping, and import into the photo store against a
plain file copy of the same bytes. A measuring script, not a test: it asserts nothing about wall-clock time.

    python bench/photos.py [--count 6] [--width 4000 --height 3000] [--thumb 256] [--repeat 3] [--out FILE]

It first writes ``--count`` synthetic 12 MP JPEGs (noise over gradients, quality 92, EXIF orientation 6, GPS and a
time, like a phone held upright) into a temporary directory, then, in the same run:

1. thumbnails per second: ``thumbs.render`` with ``Image.draft`` (the app's path) vs a full decode, both followed
   by ``exif_transpose`` and ``thumbnail``, alternating photo by photo, best of ``--repeat`` tries per photo; plus
   a cache hit of ``thumbs.thumbnail`` (the file already made);
2. stamping: ``stamp.render_stamp`` (decode, turn upright, draw the CJK band, encode; no file I/O) and
   ``stamp.stamp`` (the same plus reading the original and an atomic, fsynced write), ms per photo;
3. import: ``PhotoStore.import_files`` (read, SHA-256, write to a temporary file, fsync, rename, fsync the folder,
   EXIF) vs ``shutil.copyfile`` of the same files, and vs ``copyfile`` + fsync (the fair comparison for durability).
   Each is run ``--repeat`` times into fresh directories; the best run counts (least disturbed by other load).

Ratios are printed beside the numbers (e.g. draft/full speed-up, import/copy slowdown).
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from _common import OUT_DIR, Timer, environment, fmt, log, table, write_json
from PIL import Image, ImageChops

from nibi_desk.photos import stamp, thumbs
from nibi_desk.photos.store import PhotoStore

FIELDS = stamp.StampFields(asset_code="LHK-ZHG-0001", asset_name="竹林桥5G宏站", inspector="张三")


def make_photo(path: Path, size: tuple[int, int], seed: int) -> int:
    """A 12 MP-like JPEG: gradients in each channel with Gaussian noise on top (about as many bytes as a real photo;
    pure noise would be twice as big), orientation 6, GPS and time in EXIF. Returns its size in bytes."""
    gradient = Image.linear_gradient("L").resize(size)
    across = gradient.rotate(90, expand=True).resize(size)
    noise = Image.effect_noise(size, 12 + seed % 3)  # about 4 MB at quality 92, like a 12 MP phone photo
    channels = [ImageChops.add(gradient, noise, scale=1.6), ImageChops.add(across, noise, scale=1.8),
                ImageChops.blend(gradient, across, 0.5)]
    im = Image.merge("RGB", channels)
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F], exif[0x0110] = "Bench", "Phone 12MP"
    exif.get_ifd(0x8769)[0x9003] = f"2024:05:01 10:{seed:02d}:00"
    gps = exif.get_ifd(0x8825)
    from PIL.TiffImagePlugin import IFDRational as R
    gps.update({1: "N", 2: (R(32, 1), R(22, 1), R(4836, 100)), 3: "E", 4: (R(111, 1), R(40, 1), R(1272, 100))})
    im.save(path, "JPEG", quality=92, exif=exif)
    return path.stat().st_size


def bench_thumbs(files: list[Path], size: int, work: Path, repeat: int) -> dict[str, Any]:
    """Draft and full decode alternate photo by photo, ``repeat`` times; the fastest try of each photo counts, so
    that a burst of load from elsewhere does not land on one method only."""
    result: dict[str, Any] = {"size": size}
    best = {"draft": [float("inf")] * len(files), "full": [float("inf")] * len(files)}
    for _ in range(repeat):
        for i, f in enumerate(files):
            for name, draft in (("draft", True), ("full", False)):
                with Timer() as t:
                    im = thumbs.render(f, size, draft=draft)
                best[name][i] = min(best[name][i], t.s)
                assert im.size[0] < im.size[1]  # portrait: orientation 6 applied (a sanity check, not a timing)
    for name, times in best.items():
        result[name] = {"per_s": len(files) / sum(times), "ms_each": 1000 * sum(times) / len(files)}
    result["speedup"] = result["draft"]["per_s"] / result["full"]["per_s"]
    store = PhotoStore(work / "thumb-store")
    shas = [r.sha256 for r in store.import_files(files)]
    for sha in shas:
        thumbs.thumbnail(store, sha, size)
    with Timer() as t:
        for sha in shas:
            thumbs.thumbnail(store, sha, size)
    result["cache_hit_ms"] = 1000 * t.s / len(shas)
    return result


def bench_stamp(files: list[Path], work: Path) -> dict[str, Any]:
    data = [f.read_bytes() for f in files]
    with Timer() as t:
        for d in data:
            stamp.render_stamp(d, FIELDS)
    render_ms = 1000 * t.s / len(files)
    with Timer() as t:
        for i, f in enumerate(files):
            stamp.stamp(f, work / f"stamped-{i}.jpg", FIELDS)
    return {"render_ms": render_ms, "stamp_ms": 1000 * t.s / len(files)}


def _copy(files: list[Path], target: Path, fsync: bool) -> None:
    target.mkdir(parents=True)
    for f in files:
        dst = target / f.name
        shutil.copyfile(f, dst)
        if fsync:
            with open(dst, "rb+") as fh:
                os.fsync(fh.fileno())
    if fsync:
        fd = os.open(target, os.O_RDONLY)
        os.fsync(fd)
        os.close(fd)


def bench_import(files: list[Path], work: Path, repeat: int) -> dict[str, Any]:
    total_mb = sum(f.stat().st_size for f in files) / 1e6
    best: dict[str, float] = {}
    for run in range(repeat):
        for name, action in (
                ("copyfile", lambda d: _copy(files, d, fsync=False)),
                ("copyfile_fsync", lambda d: _copy(files, d, fsync=True)),
                ("import", lambda d: PhotoStore(d).import_files(files))):
            target = work / f"{name}-{run}"
            with Timer() as t:
                action(target)
            best[name] = min(best.get(name, float("inf")), t.s)
            shutil.rmtree(target)
    result = {name: {"s": s, "mb_per_s": total_mb / s, "files_per_s": len(files) / s} for name, s in best.items()}
    result["total_mb"] = total_mb
    result["import_vs_copyfile"] = best["import"] / best["copyfile"]
    result["import_vs_copyfile_fsync"] = best["import"] / best["copyfile_fsync"]
    return result


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=6, help="number of synthetic photos")
    ap.add_argument("--width", type=int, default=4000, help="stored width in pixels (the camera's landscape)")
    ap.add_argument("--height", type=int, default=3000, help="stored height in pixels")
    ap.add_argument("--thumb", type=int, default=256, help="thumbnail size (longest side)")
    ap.add_argument("--repeat", type=int, default=3, help="tries of each thumbnail and import run (the best counts)")
    ap.add_argument("--out", default=str(OUT_DIR / "photos.json"), help="JSON results file")
    ap.add_argument("--workdir", help="where the photos and copies go (default: a new temporary directory)")
    args = ap.parse_args(argv)
    work = Path(args.workdir) if args.workdir else Path(tempfile.mkdtemp(prefix="nibi-bench-photos-"))
    try:
        src = work / "DCIM"
        src.mkdir(parents=True, exist_ok=True)
        log(f"writing {args.count} photos of {args.width}x{args.height} ...")
        files, sizes = [], []
        for i in range(args.count):
            path = src / f"IMG_{i:04d}.JPG"
            sizes.append(make_photo(path, (args.width, args.height), i))
            files.append(path)
        log("thumbnails ...")
        thumb = bench_thumbs(files, args.thumb, work, args.repeat)
        log("stamping ...")
        stamped = bench_stamp(files, work)
        log("import ...")
        imported = bench_import(files, work, args.repeat)
    finally:
        if not args.workdir:
            shutil.rmtree(work, ignore_errors=True)
    results = {"script": "bench/photos.py", "env": environment(), "load_avg": os.getloadavg(),
               "photos": {"count": args.count, "size": [args.width, args.height],
                          "mb_each": sum(sizes) / len(sizes) / 1e6},
               "thumbnails": thumb, "stamp": stamped, "import": imported}
    write_json(args.out, results)
    print(f"{args.count} photos, {args.width}x{args.height}, {fmt(results['photos']['mb_each'], 2)} MB each "
          f"(orientation 6); load average {os.getloadavg()[0]:.2f}")
    print(table(["measure", "value", "per photo", "ratio"], [
        [f"thumbnail {args.thumb}px, draft", f"{fmt(thumb['draft']['per_s'])} /s",
         f"{fmt(thumb['draft']['ms_each'])} ms", f"{fmt(thumb['speedup'])}x faster"],
        [f"thumbnail {args.thumb}px, full decode", f"{fmt(thumb['full']['per_s'])} /s",
         f"{fmt(thumb['full']['ms_each'])} ms", "1.0x"],
        ["thumbnail cache hit", "", f"{fmt(thumb['cache_hit_ms'], 3)} ms", ""],
        ["stamp, in memory", "", f"{fmt(stamped['render_ms'])} ms", ""],
        ["stamp, file to file (fsync)", "", f"{fmt(stamped['stamp_ms'])} ms", ""],
        ["shutil.copyfile", f"{fmt(imported['copyfile']['mb_per_s'])} MB/s",
         f"{fmt(1000 * imported['copyfile']['s'] / args.count)} ms", "1.0x"],
        ["copyfile + fsync", f"{fmt(imported['copyfile_fsync']['mb_per_s'])} MB/s",
         f"{fmt(1000 * imported['copyfile_fsync']['s'] / args.count)} ms", ""],
        ["PhotoStore.import_files", f"{fmt(imported['import']['mb_per_s'])} MB/s",
         f"{fmt(1000 * imported['import']['s'] / args.count)} ms",
         f"{fmt(imported['import_vs_copyfile'])}x copyfile, {fmt(imported['import_vs_copyfile_fsync'])}x +fsync"],
    ]))
    log(f"results in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
