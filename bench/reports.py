"""Batch reports at scale: N inspections × P photos (12 MP JPEGs) as one PDF, against bare reportlab baselines.

    .venv/bin/python bench/reports.py [--inspections 500] [--photos 4] [--megapixels 12] [--small 50]
        [--repeat 3] [--workers auto,0] [--skip-full] [--baseline-gb 6] [--a85 10] [--work bench/out/reports]

Builds once (kept in bench/out/reports/) a registry with N submitted inspections, each with P distinct
photo-like 12 MP JPEGs (≈3–5 MB each, EXIF time and GPS, see ``make_photos``) in its photo store. Each run below is
a fresh process; its time is the work after imports (wall, and CPU of the process and of its photo workers), its
memory the process's RSS high-water mark (``VmHWM``, interpreter and libraries included on both sides) and that of
the largest photo worker (``nibi_desk.reports.prefetch``):

* ``ours cold``: ``batch.write_batch`` with an empty cache (every photo decoded once, stamped, written at print
  size — by the photo workers ahead of the layout, see ``--workers`` —; map snapshots drawn); ``ours warm``: the
  same again (everything from the cache: no worker starts);
* the same two on the first ``--small`` inspections (memory must not grow with the batch), ``--repeat`` times
  interleaved with the bare originals baseline of that size (medians shown), cold once per ``--workers`` count
  (``auto``: ``prefetch.default_workers()``, ``0``: serial, as before prefetching); ``--skip-full`` runs only these;
* ``bare: originals``: a bare reportlab Canvas (``drawImage`` of each original file, four per page, one page per
  inspection, JPEG bytes embedded as they are with ``useA85 = 0``). reportlab holds every image and then the whole
  file in memory (≈ 3.2 × the photos), so as one file it runs on all N only when that fits in ``--baseline-gb``,
  else on the ``--small`` subset (the small-size ratios are taken against it);
* ``bare: originals in files of --small``: the baseline at N that fits in memory, and how a bare reportlab user
  would have to do it: the same canvas for all N inspections written as consecutive PDFs of ``--small``
  inspections each (e.g. 10 files of 50), one after another in one fresh process, each saved (and its canvas
  dropped) before the next starts; its time is the sum of the files' (each file is deleted after it is timed: 8.7 GB
  otherwise — which also spares it the write-back of those gigabytes, so its time is a lower bound), its memory
  the process's high-water mark. The cold/warm ratios at N are taken against it;
* ``bare: placed``: the same canvas placing the JPEGs that ours placed (the cached print copies), all N;
* ``bare: originals A85``: reportlab's defaults (ASCII85-wrapped JPEGs) on ``--a85`` inspections.

Prints each run with its ratio to the bare baseline of the same size, the load average, and output sizes against
the sum of the original photos and of the placed copies. No asserts: a measurement, not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench._common import OUT_DIR, ROOT, log  # noqa: E402

WORK = OUT_DIR / "reports"
BASES = 6          # distinct scene textures; every photo is a different crop and drawing over one of them
QUALITY = 90       # phone cameras save at 90-95


# -- the photos ------------------------------------------------------------------------------------------------------
def _base(args):
    """A scene texture a little larger than a photo: sky with clouds, textured ground, sensor grain (uint8 RGB)."""
    import numpy as np
    from PIL import Image

    k, width, height, pad = args
    rng = np.random.default_rng(k)
    w, h = width + pad, height + pad

    def noise(scale, amp):
        small = rng.normal(0, 1, (h // scale + 2, w // scale + 2)).astype(np.float32)
        im = Image.fromarray((small * 40 + 128).clip(0, 255).astype(np.uint8)).resize((w, h), Image.BICUBIC)
        return (np.asarray(im, dtype=np.float32) - 128) * amp

    y = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
    sky = np.array([110 + 40 * rng.random(), 160 + 20 * rng.random(), 215], np.float32) * (0.8 + 0.3 * y)
    ground = np.array([95 + 30 * rng.random(), 105 + 30 * rng.random(), 80], np.float32)
    texture = (noise(8, 1.2) + noise(2, 0.8))[..., None]
    horizon = (np.arange(h)[:, None, None] >= h * 0.55)
    img = np.where(horizon, ground + texture, sky + noise(64, 1.5).clip(0, None)[..., None])
    img += rng.normal(0, 6 + k % 3 * 2, (h, w)).astype(np.float32)[..., None]  # grain: what makes JPEGs 3–5 MB
    return img.clip(0, 255).astype(np.uint8)


def _photo(job):
    """One distinct photo: a crop of a base at its own offset, a pole, lamp, bushes and its number; EXIF time and
    GPS like a phone's."""
    import numpy as np
    from PIL import Image, ImageDraw
    from tests.photos_helpers import DATETIME_ORIGINAL, gps_block, make_jpeg

    index, path, width, height, base_file, lon, lat, taken = job
    if Path(path).exists():
        return path
    rng = np.random.default_rng(10_000 + index)
    base = np.load(base_file, mmap_mode="r")
    oy, ox = int(rng.integers(0, base.shape[0] - height)), int(rng.integers(0, base.shape[1] - width))
    picture = Image.fromarray(np.ascontiguousarray(base[oy:oy + height, ox:ox + width]))
    d = ImageDraw.Draw(picture)
    px = int(width * (0.3 + 0.4 * rng.random()))
    d.rectangle((px - 45, height // 8, px + 45, height * 4 // 5), fill=(85, 85, 90))
    d.rectangle((px, height // 7, px + 600, height // 7 + 40), fill=(90, 90, 95))
    d.rectangle((px + 500, height // 7 + 40, px + 700, height // 7 + 160), fill=(230, 230, 225))
    for _ in range(6):
        x0, y0 = int(rng.integers(0, width - 600)), int(rng.integers(height // 2, height - 500))
        d.ellipse((x0, y0, x0 + int(rng.integers(150, 600)), y0 + int(rng.integers(150, 500))),
                  fill=tuple(int(v) for v in rng.integers(30, 140, 3)))
    d.text((120, 120), f"NIBI bench photo {index}", fill=(0, 0, 0))
    make_jpeg(Path(path), image=picture, gps=gps_block(lat, lon), quality=QUALITY,
              exif_ifd={DATETIME_ORIGINAL: taken})
    return path


def make_photos(folder: Path, jobs: list[tuple], width: int, height: int) -> list[str]:
    """Distinct photo-like JPEGs, two processes (made once, before any timing)."""
    import numpy as np

    folder.mkdir(parents=True, exist_ok=True)
    bases = []
    for k in range(BASES):
        f = folder / f"base{k}-{width}x{height}.npy"
        if not f.exists():
            np.save(f, _base((k, width, height, 256)))
        bases.append(str(f))
    full = [(i, str(folder / f"p{i:05d}.jpg"), width, height, bases[i % BASES], *rest) for i, *rest in jobs]
    with ProcessPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
        return list(pool.map(_photo, full, chunksize=4))


# -- the registry ----------------------------------------------------------------------------------------------------
def build(n: int, photos: int, megapixels: float) -> Path:
    """The benchmark registry (reused when it already has ``n`` inspections with ``photos`` photos)."""
    import inspect

    from nibi_desk import demo
    from nibi_desk.context import Context
    from nibi_desk.inspection import evidence, inspections, submission, templates, users
    from nibi_desk.storage.registry import Registry
    from tests.reports_fixtures import PASSWORD, answers_for, signature_png

    db = WORK / f"bench-{n}x{photos}-{megapixels:g}mp.nibi"
    if db.with_suffix(".ready").exists():
        return db
    for old in WORK.glob("bench-*"):  # an earlier registry of another size
        shutil.rmtree(old) if old.is_dir() else old.unlink()
    WORK.mkdir(parents=True, exist_ok=True)
    width = int((megapixels * 1e6 * 4 / 3) ** 0.5)
    height = width * 3 // 4
    registry = Registry.create(db, "420682", actor="bench")
    demo.generate(registry, scale=0.01, **({"history": False} if "history" in inspect.signature(
        demo.generate).parameters else {}))
    office = Context(registry)
    users.add_user(office, "office", "王主任", "office", PASSWORD)
    users.sign_in(office, "office", PASSWORD)
    users.add_user(office, "zhang", "张巡检", "inspector", PASSWORD)
    ctx = Context(registry)
    users.sign_in(ctx, "zhang", PASSWORD)
    conn = registry.read()
    assets = [dict(r) for r in conn.execute("SELECT * FROM assets WHERE lon IS NOT NULL AND deleted = 0 ORDER BY seq")]
    day = datetime.now() - timedelta(days=1)
    jobs = [(k * photos + j, assets[k % len(assets)]["lon"] + 0.0002, assets[k % len(assets)]["lat"],
             (day + timedelta(minutes=k)).strftime("%Y:%m:%d %H:%M:%S")) for k in range(n) for j in range(photos)]
    started = time.perf_counter()
    paths = make_photos(WORK / "originals", jobs, width, height)
    log(f"made {len(paths)} photos of {width}x{height} in {time.perf_counter() - started:.0f} s")
    signature = signature_png()
    for k in range(n):
        asset = assets[k % len(assets)]
        inspection_id = inspections.start(ctx, asset["id"], resume=False)
        form = templates.form_of(conn, inspections.get(conn, inspection_id)["template"])
        inspections.save_answers(ctx, inspection_id, answers_for(form))
        items = [f.key for f in form.fields if f.needs_photo]
        for j in range(photos):
            values = evidence.store_file(registry.path, paths[k * photos + j])
            submission.attach_photo(ctx, inspection_id, values, item=items[j] if j < len(items) else None)
            Path(paths[k * photos + j]).unlink()  # the store keeps the original byte for byte: one copy on disk
        inspections.set_position(ctx, inspection_id, asset["lon"] + 0.0002, asset["lat"], "typed")
        submission.set_signature(ctx, inspection_id, signature)
        submission.submit(ctx, inspection_id)
        if k % 50 == 0:
            log(f"inspection {k}/{n}")
    registry.close()
    db.with_suffix(".ready").write_text("ok")
    return db


# -- the runs (each in its own process) ------------------------------------------------------------------------------
def worker(kind: str, db: str, out: str, limit: int | None, cache: str | None, workers: int | None = None,
           chunk: int | None = None) -> dict:
    children = os.times()
    if kind == "ours":
        from nibi_desk.reports import batch, inspection, photos
        from nibi_desk.reports.furniture import ReportOptions
        from nibi_desk.storage.registry import Registry

        spent = {"photo_prepare_s": 0.0, "photos_prepared": 0, "map_s": 0.0}

        def timed(fn, key, count=None):
            def wrapper(*a, **kw):
                t = time.perf_counter()
                try:
                    return fn(*a, **kw)
                finally:
                    spent[key] += time.perf_counter() - t
                    if count:
                        spent[count] += 1
            return wrapper

        photos.PhotoCache._shrink = timed(photos.PhotoCache._shrink, "photo_prepare_s", "photos_prepared")
        inspection.map_snapshot = timed(inspection.map_snapshot, "map_s")
        registry = Registry.open(db)
        started, cpu = time.perf_counter(), time.process_time()
        rows = batch.select(registry, limit=limit)
        result = batch.write_batch(registry, out, rows, ReportOptions(issuing_unit="老河口市新基建办",
                                                                      cache_dir=Path(cache)), workers=workers)
        pages, extra = result.pages, {k: round(v, 2) for k, v in spent.items()}
        stats = result.prefetch
        extra.update(workers=stats.workers if stats else 0, by_workers=stats.made if stats else 0,
                     taken_back=stats.taken_back if stats else 0, worker_failed=stats.failed if stats else 0,
                     worker_peak_mb=stats.worker_peak_mb if stats else 0)
        registry.close()
    else:
        from reportlab import rl_config
        from reportlab.lib.pagesizes import A4
        from reportlab.pdfgen import canvas

        rl_config.useA85 = 1 if kind == "bare-a85" else 0  # ours writes JPEG bytes as they are, like useA85 = 0
        groups = json.loads(Path(out + ".inputs.json").read_text())[:limit]

        def bare(target: str, part: list[list[str]]) -> None:
            c = canvas.Canvas(target, pagesize=A4)
            for group in part:
                for i, path in enumerate(group):
                    c.drawImage(path, 40 + (i % 2) * 260, 440 - (i // 2) * 210, 250, 190, preserveAspectRatio=True)
                c.showPage()
            c.save()

        pages, extra = len(groups), {"photos_mb": round(sum(os.path.getsize(p) for g in groups for p in g) / 2**20)}
        if chunk:  # consecutive files of `chunk` inspections: what fits in memory; the time is the files' sum
            seconds = cpu = pdf_bytes = 0.0
            files = []
            for k in range(0, len(groups), chunk):
                target = f"{out.removesuffix('.pdf')}-{k // chunk + 1:02d}.pdf"
                t, c0 = time.perf_counter(), time.process_time()
                bare(target, groups[k:k + chunk])
                seconds, cpu = seconds + time.perf_counter() - t, cpu + time.process_time() - c0
                files.append(round(time.perf_counter() - t, 2))
                pdf_bytes += os.path.getsize(target)
                os.unlink(target)  # after its time: gigabytes each
            extra.update(files=len(files), file_seconds=files, inspections_per_file=chunk)
            return {"seconds": round(seconds, 2), "cpu_s": round(cpu, 2), "workers_cpu_s": 0.0,
                    "total_cpu_s": round(cpu, 2), "peak_mb": peak_rss_mb(), "pages": pages,
                    "pdf_mb": round(pdf_bytes / 2**20, 1), **extra}
        started, cpu = time.perf_counter(), time.process_time()
        bare(out, groups)
    seconds, cpu = round(time.perf_counter() - started, 2), round(time.process_time() - cpu, 2)
    done = os.times()  # the workers have been joined: their CPU is counted as children's
    workers_cpu = round(done.children_user + done.children_system - children.children_user
                        - children.children_system, 2)
    return {"seconds": seconds, "cpu_s": cpu, "workers_cpu_s": workers_cpu, "total_cpu_s": round(cpu + workers_cpu, 2),
            "peak_mb": peak_rss_mb(), "pages": pages,
            "pdf_mb": round(os.path.getsize(out) / 2**20, 1), **extra}


def peak_rss_mb() -> int:
    """This process's RSS high-water mark (VmHWM). Not ``ru_maxrss``: Linux carries the parent's peak over a
    fork + exec into the child's ``ru_maxrss``, so every run would report at least the bench's own size."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)  # not Linux


def run(kind: str, db: Path, out: Path, limit: int | None = None, cache: Path | None = None,
        workers: int | None = None, chunk: int | None = None) -> dict:
    cmd = [sys.executable, __file__, "--worker", kind, "--db", str(db), "--out", str(out)]
    cmd += ["--limit", str(limit)] if limit else []
    cmd += ["--chunk", str(chunk)] if chunk else []
    cmd += ["--cache", str(cache)] if cache else []
    cmd += ["--run-workers", str(workers)] if workers is not None else []
    load = os.getloadavg()[0]
    result = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT)
    if result.returncode:
        raise SystemExit(result.stderr)
    r = json.loads(result.stdout.strip().splitlines()[-1])
    r["load"] = f"{load:.2f}/{os.getloadavg()[0]:.2f}"  # 1-minute load average before / after
    log(kind, limit or "all", f"workers={workers}" if kind == "ours" else "", r)
    return r


def median(runs: list[dict]) -> dict:
    """The run with the median time (with ``of`` = how many there were)."""
    return {**sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2], "of": len(runs)}


def inputs(db: Path, cache: Path | None) -> tuple[list[list[str]], list[list[str]]]:
    """Per inspection in batch order: the original files, and the JPEGs the warm report placed."""
    from nibi_desk.inspection import evidence
    from nibi_desk.photos.stamp import StampFields
    from nibi_desk.reports import batch
    from nibi_desk.reports.photos import PhotoCache
    from nibi_desk.storage.registry import Registry

    with Registry.open(db) as registry:
        conn = registry.read()
        photo_cache = PhotoCache.for_registry(db, cache_dir=cache)
        originals, placed = [], []
        for row in batch.select(registry):
            name = conn.execute("SELECT inspector_name FROM inspections WHERE id = ?", (row["id"],)).fetchone()[0]
            fields = StampFields(asset_code=row["asset_code"] or "", asset_name=row["asset_name"], inspector=name)
            rows = evidence.of_inspection(conn, row["id"])
            originals.append([str(photo_cache.store.path_of(e["sha256"])) for e in rows])
            if cache is not None:  # else only the originals (preparing them here would take minutes)
                placed.append([str(photo_cache.evidence(e, fields).path) for e in rows])
        return originals, placed


def main() -> None:
    global WORK
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--inspections", type=int, default=500)
    parser.add_argument("--photos", type=int, default=4)
    parser.add_argument("--megapixels", type=float, default=12)
    parser.add_argument("--small", type=int, default=50, help="the subset run for memory flatness (inspections)")
    parser.add_argument("--baseline-gb", type=float, default=6, help="memory the bare originals baseline may use")
    parser.add_argument("--a85", type=int, default=10, help="inspections for reportlab's default (A85) baseline")
    parser.add_argument("--work", default=str(WORK), help="where the registry, photos and PDFs are kept")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the small size (the median is shown)")
    parser.add_argument("--workers", default="auto", help="photo worker counts of the cold runs, comma-separated "
                        "(auto: prefetch.default_workers(); 0: serial); the first is used at full size")
    parser.add_argument("--skip-full", action="store_true", help="only the --small runs (and A85)")
    parser.add_argument("--run-workers", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--worker", choices=["ours", "bare", "bare-a85"])
    parser.add_argument("--db")
    parser.add_argument("--out")
    parser.add_argument("--limit", type=int)
    parser.add_argument("--cache")
    parser.add_argument("--chunk", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.db, args.out, args.limit, args.cache, args.run_workers,
                                args.chunk)))
        return
    WORK = Path(args.work)
    from nibi_desk.reports.prefetch import default_workers

    n, small = args.inspections, min(args.small, args.inspections)
    counts = [default_workers() if w.strip() == "auto" else int(w) for w in args.workers.split(",")]
    db = build(n, args.photos, args.megapixels)
    store = Path(str(db) + ".photos")
    originals_b = sum(p.stat().st_size for p in store.glob("??/*.jpg"))
    started = time.perf_counter()
    for p in store.glob("??/*.jpg"):  # the same page cache for every run: read every original once
        p.read_bytes()
    log(f"read {originals_b / 2**20:.0f} MB of originals in {time.perf_counter() - started:.0f} s")
    results, out = {}, WORK / "pdf"
    out.mkdir(exist_ok=True)
    full = not args.skip_full
    if full:
        cache = WORK / f"cache-{n}"
        shutil.rmtree(cache, ignore_errors=True)
        results[f"ours_cold_{n}"] = run("ours", db, out / f"ours-cold-{n}.pdf", n, cache, counts[0])
        results[f"ours_warm_{n}"] = run("ours", db, out / f"ours-warm-{n}.pdf", n, cache, counts[0])
    originals, placed = inputs(db, WORK / f"cache-{n}" if full else None)
    for name in ("bare-originals.pdf", "bare-a85.pdf"):
        (out / f"{name}.inputs.json").write_text(json.dumps(originals))
    if full:
        (out / "bare-placed.pdf.inputs.json").write_text(json.dumps(placed))
        results["bare_placed"] = run("bare", db, out / "bare-placed.pdf", n)
        results["placed_mb"] = round(sum(os.path.getsize(p) for g in placed for p in g) / 2**20, 1)
    same = n if full and 3.2 * originals_b / 2**30 + 0.2 <= args.baseline_gb else small
    if same == n:
        results["bare_originals"] = run("bare", db, out / "bare-originals.pdf", n)
    if full and small < n:  # the baseline at N that fits in memory: files of `small` inspections, one process
        (out / "bare-files.pdf.inputs.json").write_text(json.dumps(originals))
        results["bare_files"] = run("bare", db, out / "bare-files.pdf", n, chunk=small)
    # The small size: cold (per worker count), warm and the bare originals baseline interleaved, --repeat times
    # (median of each), so that the ratios of the same size share the machine's load.
    runs: dict[str, list[dict]] = {**{f"cold_w{w}": [] for w in counts}, "warm": [], "bare": []}
    for _ in range(max(1, args.repeat)):
        cache = WORK / f"cache-{small}"
        for w in counts:
            shutil.rmtree(cache, ignore_errors=True)
            runs[f"cold_w{w}"].append(run("ours", db, out / f"ours-cold-{small}.pdf", small, cache, w))
        runs["warm"].append(run("ours", db, out / f"ours-warm-{small}.pdf", small, cache, counts[0]))
        if same == small:
            runs["bare"].append(run("bare", db, out / "bare-originals.pdf", small))
    for w in counts:
        results[f"ours_cold_{small}_w{w}"] = median(runs[f"cold_w{w}"])
    results[f"ours_cold_{small}"], results[f"ours_warm_{small}"] = median(runs[f"cold_w{counts[0]}"]), median(
        runs["warm"])
    if same == small:
        results["bare_originals"] = median(runs["bare"])
    results["runs_small"] = runs
    (out / "bare-originals.pdf").unlink(missing_ok=True)  # gigabytes
    if args.a85:
        results["bare_originals_a85"] = run("bare-a85", db, out / "bare-a85.pdf", args.a85)
        (out / "bare-a85.pdf").unlink()
    results.update(inspections=n, photos_each=args.photos, megapixels=args.megapixels, small=small,
                   originals_mb=round(originals_b / 2**20), originals_baseline_at=same, full=full,
                   worker_counts=counts, peak="VmHWM of the run's process and of its largest photo worker, MB",
                   when=datetime.now().isoformat(timespec="seconds"), cpus=os.cpu_count())
    (WORK / "reports.json" if WORK != OUT_DIR / "reports" else OUT_DIR / "reports.json").write_text(
        json.dumps(results, indent=1))
    report(results, n, small, same, counts)


def report(r: dict, n: int, small: int, same: int, counts: list[int]) -> None:
    base = r["bare_originals"]
    files = r.get("bare_files")  # the baseline at n in files of `small` (when one file of n does not fit)
    print(f"{n} inspections x {r['photos_each']} photos ({r['megapixels']:g} MP); originals {r['originals_mb']} MB"
          + (f", placed print copies {r['placed_mb']} MB" if "placed_mb" in r else "")
          + "; s = work after imports (wall); cpu = main + photo workers; peak = RSS high-water of the main process"
            " + workers x the largest worker")
    print(f"{'run':<26}{'insp':>5}{'wk':>3}{'s':>8}{'cpu s':>13}{'peak MB':>13}{'PDF MB':>8}"
          f"  {'x bare orig.':>12}  load 1m before/after")

    def peak(x: dict) -> str:
        return f"{x['peak_mb']}+{x.get('workers', 0)}x{x.get('worker_peak_mb', 0)}" if x.get("workers") else str(
            x["peak_mb"])

    def total_peak(x: dict) -> int:
        return x["peak_mb"] + x.get("workers", 0) * x.get("worker_peak_mb", 0)

    def cpu(x: dict) -> str:
        return f"{x['cpu_s']}+{x['workers_cpu_s']}" if x.get("workers_cpu_s") else str(x["cpu_s"])

    rows = [("bare: originals", same, base)]
    rows += [(f"bare: originals, {small}/file", n, files)] if files else []
    rows += [("bare: placed copies", n, r["bare_placed"])] if "bare_placed" in r else []
    rows += [("bare: originals A85", r["bare_originals_a85"]["pages"], r["bare_originals_a85"])] \
        if "bare_originals_a85" in r else []
    if r["full"]:
        rows += [(f"ours {k}", n, r[f"ours_{k}_{n}"]) for k in ("cold", "warm")]
    rows += [("ours cold", small, r[f"ours_cold_{small}_w{w}"]) for w in counts]
    rows += [("ours warm", small, r[f"ours_warm_{small}"])]
    for name, size, x in rows:
        against = base if size == same else files if size == n else None
        ratio = (f"{x['seconds'] / against['seconds']:>6.2f}{total_peak(x) / against['peak_mb']:>6.2f}"
                 if against and name.startswith("ours") else "")
        print(f"{name:<26}{size:>5}{x.get('workers', '') if name.startswith('ours') else '':>3}{x['seconds']:>8}"
              f"{cpu(x):>13}{peak(x):>13}{x['pdf_mb']:>8}  {ratio:>12}  {x['load']}")
    print(f"(x = wall-time ratio, memory ratio (main + workers), to the bare baseline with the same inspections: "
          f"one file at {same}" + (f", {files['files']} files of {small} at {n}" if files else "") + f"; at "
          f"{small} inspections the median of {r[f'ours_cold_{small}'].get('of', 1)} interleaved runs)")
    for w in counts:
        x = r[f"ours_cold_{small}_w{w}"]
        print(f"cold at {small}, {w} workers: wall {x['seconds']} s = {x['seconds'] / base['seconds']:.2f}x bare; "
              f"CPU {x['total_cpu_s']} s (main {x['cpu_s']}, workers {x['workers_cpu_s']}); photos by workers "
              f"{x.get('by_workers', 0)}, by the layout {x.get('photos_prepared')} ({x.get('photo_prepare_s')} s, "
              f"{x.get('taken_back', 0)} taken back, {x.get('worker_failed', 0)} failed in a worker); "
              f"maps {x.get('map_s')} s" if same == small else "")
    if not r["full"]:
        return
    cold, warm = r[f"ours_cold_{n}"], r[f"ours_warm_{n}"]
    if files:
        print(f"bare reportlab at {n} inspections: one file would hold ≈ "
              f"{base['peak_mb'] / base['photos_mb'] * r['originals_mb'] / 1024:.1f} GB (reportlab keeps every image "
              f"until save), so a bare reportlab user has to write {files['files']} files of {small} inspections: "
              f"{files['seconds']} s (measured, one fresh process, files one after another; peak "
              f"{files['peak_mb']} MB). Ours makes one file: cold {cold['seconds'] / files['seconds']:.2f}x, "
              f"warm {warm['seconds'] / files['seconds']:.2f}x its time")
    print(f"ours cold at {n}: {cold.get('workers')} workers made {cold.get('by_workers')} copies; the layout made "
          f"{cold.get('photos_prepared')} in {cold.get('photo_prepare_s')} s; maps {cold.get('map_s')} s; CPU main "
          f"{cold['cpu_s']} s + workers {cold['workers_cpu_s']} s")
    if "bare_originals_a85" in r:
        a85 = r["bare_originals_a85"]
        print(f"bare A85 (reportlab's default): {a85['seconds'] / max(1, a85['photos_mb']):.2f} s per MB of photos "
              f"({a85['pages']} inspections)")
    placed = r["bare_placed"]
    print(f"output / original photos: ours {warm['pdf_mb'] / r['originals_mb']:.3f}, bare originals "
          f"{base['pdf_mb'] / base['photos_mb']:.3f}; output / placed copies: ours "
          f"{warm['pdf_mb'] / r['placed_mb']:.3f}, bare placed {placed['pdf_mb'] / r['placed_mb']:.3f}")
    print(f"memory {small} -> {n} inspections: cold {peak(r[f'ours_cold_{small}'])} -> {peak(cold)} MB, "
          f"warm {r[f'ours_warm_{small}']['peak_mb']} -> {warm['peak_mb']} MB")


if __name__ == "__main__":
    main()
