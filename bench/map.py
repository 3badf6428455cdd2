"""Map benchmark: the interactive map on 10k, 100k and 1M-asset registries against folium's FastMarkerCluster.
A measuring script, not a test: it prints values beside the goals and asserts nothing about wall-clock time.

    QT_QPA_PLATFORM=offscreen QTWEBENGINE_CHROMIUM_FLAGS="--no-sandbox --disable-gpu" python bench/map.py \\
        [--sizes 10000,100000,1000000] [--moves 80] [--repeat 3] [--fmc-cap 90] [--no-fmc] [--rebuild] [--build-only]

Registries bench/out/map-N.nibi come from bench/registry.py's synthetic county plus inspection states (open defects
on 1 % of the assets, overdue tasks on 2 %, tasks due later on 2 %); a file is rebuilt when its migrations are not
this checkout's and gets the states when it lacks them. Per size, --repeat walks on a fresh MapDock (1280x800):
first paint (dock created -> first answer drawn); a fixed walk of pans, zoom steps and jumps (zoom 9..19), each
move timed in the page from setView to the frame after the answer is drawn, with its stages (the page's and
MapBridge.timings); then the page's renderer process memory from /proc/PID/smaps_rollup (RSS; PSS and its
anonymous / shared-memory / file parts; USS) and the JS heap (performance.memory, precise with
--enable-precise-memory-info). "page MB" is the renderer's PSS: the empty page's PSS (measured first) plus what our
page adds. The file part is the renderer's share of QtWebEngine's library and fonts and moves with whatever else
maps them (other renderers on the machine); the anonymous part is what the page itself allocates.
FastMarkerCluster gets the same points in one page over the same scheme (setHtml cannot take it): build time, size,
time until clusters are painted (capped at --fmc-cap s), the same memory figures, a few synchronous setView calls.

Goals: first paint <= 1.5 s, pan/zoom p95 <= 100 ms, page memory <= 150 MB at 1M. Software rendering (offscreen) is
slower than a desktop GPU; the load average is recorded before and after each walk.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

from _common import OUT_DIR, Timer, checkpoint, environment, file_mb, fmt, log, percentile, table, write_json

FIRST_PAINT_GOAL_S = 1.5
PAN_GOAL_MS = 100.0
MEMORY_GOAL_MB = 150.0
SEED = 20240601
SIZE = (1280, 800)


# -- registries -------------------------------------------------------------------------------------------------
# The bench's own content on top of bench/registry.py's assets: inspection states (open defects, overdue tasks) so
# that the answers carry states as a real registry's do. Bump when that changes: older files get the states added.
DATA_VERSION = "states-1"
DEFECT_SHARE, OVERDUE_SHARE, DUE_LATER_SHARE = 0.01, 0.02, 0.02


def schema_state(path: Path) -> tuple[bool, bool]:
    """(schema current: the file has exactly this checkout's migrations, bench data current)."""
    import sqlite3

    from nibi_desk.storage import migrations

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        applied = migrations.applied(conn)
        data = conn.execute("SELECT value FROM registry_meta WHERE key = 'bench_map_data'").fetchone()
    except sqlite3.DatabaseError:
        return False, False
    finally:
        conn.close()
    return applied == [f.stem for f in migrations.migration_files()], bool(data and data[0] == DATA_VERSION)


def add_states(path: Path, n: int) -> dict:
    """Open defects on DEFECT_SHARE of the assets, overdue open tasks on OVERDUE_SHARE, tasks due later on
    DUE_LATER_SHARE (deterministic), in one write transaction."""
    from datetime import date, timedelta

    from nibi_desk.storage.registry import Registry

    rng = random.Random(SEED + n)
    today = date.today()
    with Timer() as t, Registry.open(path) as registry:
        conn = registry.read()
        ids = [r[0] for r in conn.execute("SELECT id FROM assets WHERE deleted = 0 ORDER BY seq")]
        chosen = rng.sample(ids, int(len(ids) * (DEFECT_SHARE + OVERDUE_SHARE + DUE_LATER_SHARE)))
        cut1, cut2 = int(len(ids) * DEFECT_SHARE), int(len(ids) * (DEFECT_SHARE + OVERDUE_SHARE))
        defects = [(a, "外观", "general", "箱体破损", rng.choice(("open", "notice_issued", "rectified")),
                    (today + timedelta(days=rng.randint(-20, 30))).isoformat()) for a in chosen[:cut1]]

        def write(txn):
            txn.execute("DELETE FROM tasks")
            txn.execute("DELETE FROM defects")
            plan = txn.insert("plans", {"name": "基准月巡", "cycle": "monthly",
                                        "start_date": (today - timedelta(days=90)).isoformat()})
            txn.bulk_insert("defects", ["asset", "category", "severity", "description", "status", "deadline"],
                            defects)
            tasks = [(plan, a, "bench", (today + timedelta(days=rng.randint(-40, -1) if i < cut2 - cut1
                                                           else rng.randint(0, 30))).isoformat(), "open")
                     for i, a in enumerate(chosen[cut1:])]
            txn.bulk_insert("tasks", ["plan", "asset", "period", "due_date", "status"], tasks)
            txn.execute("INSERT OR REPLACE INTO registry_meta (key, value) VALUES ('bench_map_data', ?)",
                        (DATA_VERSION,))

        registry.writer.run(write)
    checkpoint(path)
    log(f"added inspection states to {path} in {t.s:.1f} s")
    return {"defects": cut1, "overdue_tasks": cut2 - cut1, "later_tasks": len(chosen) - cut2}


def build(path: Path, n: int, rebuild: bool) -> dict:
    """The registry of N assets: reused when its schema is this checkout's (rebuilt otherwise: migrating a big
    file in place is not what is being measured), with the bench's inspection states added when missing."""
    from registry import COLUMNS, COUNTY, generate, remove_db

    from nibi_desk.storage.registry import Registry

    if path.exists() and not rebuild:
        schema_ok, data_ok = schema_state(path)
        if schema_ok:
            log(f"reusing {path}")
            return {"reused": True, **({} if data_ok else {"states": add_states(path, n)})}
        log(f"{path} has another schema: rebuilding")
    remove_db(path)
    log(f"generating {n:,} assets ...")
    rows = generate(n, SEED)
    tmp = path.with_name(path.name + ".building")
    remove_db(tmp)
    registry = Registry.create(tmp, COUNTY)
    try:
        with Timer() as t:
            for i in range(0, n, 100_000):
                chunk = rows[i:i + 100_000]
                registry.writer.run(lambda txn, chunk=chunk: txn.bulk_insert("assets", COLUMNS, chunk))
    finally:
        registry.close()
    del rows
    gc.collect()
    checkpoint(tmp)
    tmp.rename(path)
    log(f"built {path} in {t.s:.1f} s")
    return {"reused": False, "import_s": round(t.s, 1), "states": add_states(path, n)}


def grid_stats(path: Path) -> dict:
    import sqlite3

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows, located = conn.execute("SELECT count(*), sum(n * (z = 0)) FROM asset_grid").fetchone()
        mb = conn.execute("SELECT sum(pgsize) FROM dbstat WHERE name = 'asset_grid'").fetchone()[0] / 1e6
    finally:
        conn.close()
    return {"grid_rows": rows, "grid_mb": round(mb, 1), "located": located, "file_mb": round(file_mb(path), 1)}


# -- browser helpers ------------------------------------------------------------------------------------------------
def pump(app, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.002)


def js(app, page, script: str, timeout: float = 60.0):
    box = []
    page.runJavaScript(script, 0, box.append)
    end = time.monotonic() + timeout
    while not box:
        if time.monotonic() > end:
            raise TimeoutError(script[:80])
        app.processEvents()
        time.sleep(0.001)
    return box[0]


def value(app, page, expression: str, timeout: float = 60.0):
    return json.loads(js(app, page, f"JSON.stringify({expression}) || 'null'", timeout))


def wait_for(app, page, expression: str, timeout: float, poll: float = 0.004) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if value(app, page, f"(function () {{ try {{ return {expression}; }} catch (e) {{ return null; }} }})()",
                     timeout=max(1.0, end - time.monotonic())):
                return True
        except TimeoutError:
            return False
        pump(app, poll)
    return False


def process_memory(pid: int | None) -> dict | None:
    """RSS, PSS (with its anonymous, shared-memory and file-backed parts) and USS of a process in MB, from
    /proc/PID/smaps_rollup (Linux).

    RSS counts every resident page the process maps, libraries shared with other processes in full (QtWebEngine's
    library is mapped by the browser process and every renderer); PSS divides each shared page among the processes
    that map it, so its file part moves with whatever else maps the same library at the time; USS is what is the
    process's alone. The anonymous part (JS heap, DOM, bitmaps, malloc) is what a page really allocates."""
    if not pid:
        return None
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return None
    kb = {}
    for line in text.splitlines()[1:]:
        name, _, rest = line.partition(":")
        if rest.strip().endswith("kB"):
            kb[name] = int(rest.split()[0])

    def mb(*names: str) -> float:
        return round(sum(kb.get(n, 0) for n in names) / 1024, 1)

    return {"rss_mb": mb("Rss"), "pss_mb": mb("Pss"), "pss_anon_mb": mb("Pss_Anon"),
            "pss_shmem_mb": mb("Pss_Shmem"), "pss_file_mb": mb("Pss_File"),
            "uss_mb": mb("Private_Clean", "Private_Dirty")}


def memory(app, page) -> dict:
    """The page's renderer process (smaps_rollup) and its JS heap (performance.memory, precise with
    --enable-precise-memory-info)."""
    heap = value(app, page, "performance.memory ? [performance.memory.usedJSHeapSize, "
                            "performance.memory.totalJSHeapSize] : null")
    found = process_memory(page.renderProcessPid()) or {}
    return {"js_heap_mb": round(heap[0] / 1e6, 1) if heap else None, "js_heap_total_mb": round(heap[1] / 1e6, 1)
            if heap else None, "dom_nodes": value(app, page, "document.getElementsByTagName('*').length"),
            **{"renderer_" + k: v for k, v in found.items()}}


def load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


# -- our map ----------------------------------------------------------------------------------------------------
def moves(extent: list[float], count: int, seed: int) -> list[tuple[float, float, int]]:
    """A fixed walk: pans by half a view, zoom steps, jumps to somewhere in the extent at zoom 12-17."""
    rng = random.Random(seed)
    west, south, east, north = extent
    lon, lat, zoom = (west + east) / 2, (south + north) / 2, 11
    out = []
    for _ in range(count):
        r = rng.random()
        span = 360 / 2 ** zoom * (SIZE[0] / 256) / 2
        if r < 0.45:
            lon += rng.choice((-1, 1)) * span * rng.uniform(0.3, 0.6)
            lat += rng.choice((-1, 1)) * span * 0.6 * rng.uniform(0.3, 0.6)
        elif r < 0.7:
            zoom = min(19, zoom + 1)
        elif r < 0.85:
            zoom = max(9, zoom - 1)
        else:
            # Somewhere assets are: near the city (where most of them are) or anywhere in the county.
            if rng.random() < 0.6:
                lon, lat = 111.675 + rng.gauss(0, 0.03), 32.39 + rng.gauss(0, 0.025)
            else:
                lon, lat = rng.uniform(west, east), rng.uniform(south, north)
            zoom = rng.randint(12, 17)
        lon, lat = min(max(lon, west), east), min(max(lat, south), north)
        out.append((round(lat, 6), round(lon, 6), zoom))
    return out


def wait_title(app, page, wanted: str, timeout: float) -> bool:
    """Wait, event-driven (no polling of the page), until the page's title is ``wanted``."""
    from PySide6.QtCore import QEventLoop, QTimer

    if page.title() == wanted:
        return True
    loop = QEventLoop()
    timer = QTimer(singleShot=True, interval=int(timeout * 1000))
    timer.timeout.connect(loop.quit)

    def changed(title: str) -> None:
        if title == wanted:
            loop.quit()

    page.titleChanged.connect(changed)
    timer.start()
    if page.title() != wanted:
        loop.exec()
    page.titleChanged.disconnect(changed)
    timer.stop()
    return page.title() == wanted


def run_ours(app, path: Path, n_moves: int) -> dict:
    from nibi_desk.gui.context import AppContext
    from nibi_desk.gui.map.map_dock import MapDock
    from nibi_desk.gui.tasks import TaskRunner
    from nibi_desk.interaction import HeadlessInteraction
    from nibi_desk.storage.registry import Registry

    registry = Registry.open(path)
    ctx = AppContext(registry, HeadlessInteraction(), TaskRunner(), None)
    result: dict = {"load_before": load()}
    try:
        start = time.perf_counter()
        dock = MapDock(ctx)
        dock.resize(*SIZE)
        dock.show()
        ready = wait_for(app, dock.page, "NibiMap.ready", timeout=60, poll=0.002)
        result.update(first_paint_s=round(time.perf_counter() - start, 3) if ready else None,
                      first_paint_page_ms=value(app, dock.page, "NibiMap.stats.firstPaint"),
                      first_answer=value(app, dock.page, "NibiMap.lastAnswer().kind"),
                      page_html_kb=round(len(dock.handler.page_html) / 1024, 1))
        pump(app, 1.0)
        result["memory_first"] = memory(app, dock.page)  # after the first answer; "memory": after the walk
        extent = value(app, dock.page, "NibiMap.cfg.fit")
        # The page reports each finished round through its title: nothing polls it while a move is timed.
        js(app, dock.page, "NibiMap.stats.rounds = []; NibiMap.stats.detail = []; NibiMap.onRound = function (n, "
                           "latest) { if (latest) { document.title = 'round ' + n; } }; 0")
        dock.bridge.timings.clear()
        done = 0
        for lat, lon, zoom in moves(extent, n_moves, SEED):
            js(app, dock.page, f"NibiMap.benchMove({lat}, {lon}, {zoom}); 0")
            if not wait_title(app, dock.page, f"round {done + 1}", 30):
                log(f"  move to {lat},{lon} z{zoom} did not finish")
                break
            done += 1
        rounds = value(app, dock.page, "NibiMap.stats.rounds")
        detail = value(app, dock.page, "NibiMap.stats.detail")
        python = {t["id"]: t for t in dock.bridge.timings}
        for d, total in zip(detail, rounds):  # one row per move: the page's stages and Python's
            d["round"] = total
            d.update({k: v for k, v in python.get(d["id"], {}).items() if k not in ("id", "bytes")})
            # what is left of the wait: the answer's way back to the page (signal -> QWebChannel -> Chromium IPC)
            d["to_page"] = d["wait"] - sum(d.get(k, 0) for k in ("to_python_ms", "queued_ms", "sql_ms", "states_ms",
                                                                 "encode_ms", "deliver_ms"))
        kinds = {"cells": 0, "points": 0}
        for d in detail:
            kinds[d["kind"]] += 1
        points = [d for d in detail if d["kind"] == "points"]
        big = [d for d in points if d["n"] >= 1000]
        result.update({
            "moves": len(rounds), "pan_p50_ms": round(percentile(rounds, 50), 1),
            "pan_p95_ms": round(percentile(rounds, 95), 1), "pan_max_ms": round(max(rounds), 1),
            "answers": kinds, "features_max": max((d["n"] for d in detail), default=None),
            "answer_kb_max": round(max((d["bytes"] for d in detail), default=0) / 1024, 1),
            "dropped": value(app, dock.page, "NibiMap.stats.dropped"),
            # p95 of each stage over every move, and over the answers of 1,000+ points alone
            "stages_p95": {k: p95(d.get(k) for d in detail) for k in STAGES},
            "stages_p95_big": {k: p95(d.get(k) for d in big) for k in STAGES} if big else None,
            "big_answers": len(big),
            "detail": detail,
            "blocked": len(dock.blocker.attempts) + len(dock.page.refused),
        })
        pump(app, 2.0)
        result["memory"] = memory(app, dock.page)
        result["load_after"] = load()
        dock.dispose()
        dock.deleteLater()
        pump(app, 0.5)
    finally:
        ctx.close()
    return result


# Stages of a round trip, in order (ms): Leaflet before the request, page -> Python slot, queued for a worker, SQL
# (states included when in the query), states, JSON, worker -> GUI thread, back to the page (the rest of the wait),
# JSON.parse, drawing, to the next frame.
STAGES = ("pre", "to_python_ms", "queued_ms", "sql_ms", "states_ms", "encode_ms", "deliver_ms", "to_page", "parse",
          "draw", "frame", "round")


def plain_page(app, html: str):
    """(view, page, profile, load started at) showing ``html`` from nibi://app/page.html on the same kind of
    profile as the map's; ``drop`` releases them (the profile last: it must outlive its page)."""
    from PySide6.QtCore import QUrl
    from PySide6.QtWebEngineCore import QWebEngineProfile
    from PySide6.QtWebEngineWidgets import QWebEngineView

    from nibi_desk.gui.map.scheme import PAGE_URL, SCHEME, NibiSchemeHandler
    from nibi_desk.gui.map.web_page import MapPage

    profile = QWebEngineProfile()
    handler = NibiSchemeHandler(profile)
    handler.set_page(html)
    profile.installUrlSchemeHandler(SCHEME, handler)
    page = MapPage(profile)
    view = QWebEngineView()
    view.setPage(page)
    view.resize(*SIZE)
    view.show()
    view.load(QUrl(PAGE_URL))
    return view, page, profile, time.perf_counter()


def drop(app, *objects) -> None:
    import shiboken6

    for obj in objects:
        shiboken6.delete(obj)
    pump(app, 0.5)


def blank_page(app) -> dict:
    """An empty page on the same kind of profile: the cold start of the web engine (paid once per application run,
    before any map), and the memory of a renderer with nothing in it — the baseline of "page memory"."""
    view, page, profile, start = plain_page(app, "<!DOCTYPE html><html><head><meta charset='utf-8'></head>"
                                                 "<body></body></html>")
    loaded = []
    page.loadFinished.connect(loaded.append)
    while not loaded and time.perf_counter() - start < 60:
        app.processEvents()
        time.sleep(0.002)
    cold = time.perf_counter() - start
    pump(app, 1.0)
    result = {"webengine_cold_start_s": round(cold, 2), "blank": memory(app, page)}
    drop(app, view, page, profile)
    return result


# -- folium FastMarkerCluster ---------------------------------------------------------------------------------------
def run_fast_marker_cluster(app, path: Path, cap_s: float) -> dict:
    import sqlite3

    import folium
    from folium.plugins import FastMarkerCluster

    from nibi_desk.maps import vendor

    vendor.configure()
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    points = conn.execute("SELECT lat, lon FROM assets WHERE deleted = 0 AND lon IS NOT NULL").fetchall()
    conn.close()
    result: dict = {"points": len(points)}
    with Timer() as t:
        # No tile layer (like ours); maxZoom given as a map option, or markercluster refuses to cluster.
        fmap = folium.Map(location=[32.39, 111.67], zoom_start=11, tiles=None, maxZoom=19)
        # folium's default callback makes awesome-markers icons (a CDN plugin we do not load): plain markers.
        FastMarkerCluster(points, callback="function (row) { return L.marker(new L.LatLng(row[0], row[1])); }"
                          ).add_to(fmap)
        html = fmap.get_root().render()
    result["build_s"] = round(t.s, 2)
    result["html_mb"] = round(len(html.encode()) / 1e6, 1)
    del points
    view, page, profile, start = plain_page(app, html)
    del html
    try:
        painted = wait_for(app, page, "document.querySelectorAll('.marker-cluster, .leaflet-marker-icon').length > 0",
                           timeout=cap_s, poll=0.05)
        result["first_paint_s"] = round(time.perf_counter() - start, 2) if painted else None
        result["capped"] = not painted
        if not painted:
            result.update({"renderer_" + k: v for k, v in (process_memory(page.renderProcessPid()) or {}).items()})
            result["note"] = f"no clusters painted within {cap_s:.0f} s"
            return result
        try:
            pump(app, 2.0)
            result.update(memory(app, page))
            rounds = []
            name = value(app, page, "Object.keys(window).find(k => k.startsWith('map_'))", timeout=cap_s)
            for lat, lon, zoom in moves([111.45, 32.2, 111.92, 32.62], 12, SEED):
                rounds.append(value(app, page, f"(function () {{ var t = performance.now(); {name}.setView([{lat}, "
                                               f"{lon}], {zoom}, {{animate: false}}); return performance.now() - t; "
                                               "})()", timeout=cap_s))
                pump(app, 0.05)
            result.update(pan_p95_ms=round(percentile(rounds, 95), 1), pan_max_ms=round(max(rounds), 1))
        except TimeoutError:
            result["pan_note"] = "the page stopped answering"
    finally:
        drop(app, view, page, profile)
    return result


# -- main -----------------------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--moves", type=int, default=80)
    parser.add_argument("--repeat", type=int, default=3, help="walks of our map per size (a fresh page each)")
    parser.add_argument("--fmc-cap", type=float, default=90.0, help="seconds FastMarkerCluster may take per size")
    parser.add_argument("--no-fmc", action="store_true", help="skip the FastMarkerCluster comparison")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--build-only", action="store_true", help="build the registries and stop")
    parser.add_argument("--out", type=Path, default=OUT_DIR / "map.json")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")
    if "--enable-precise-memory-info" not in flags:  # performance.memory unrounded and current (measuring only)
        flags += " --enable-precise-memory-info"
    os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = flags
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    builds = {n: build(OUT_DIR / f"map-{n}.nibi", n, args.rebuild) for n in sizes}
    if args.build_only:
        return 0

    from nibi_desk.gui.map.scheme import register_schemes

    register_schemes()  # before the QApplication; also adds the app's own Chromium flags
    from PySide6.QtWidgets import QApplication

    from nibi_desk.gui.fonts import install_bundled_font

    app = QApplication.instance() or QApplication(["bench-map"])
    install_bundled_font(app)
    results = {"script": "bench/map.py", "env": environment(), "seed": SEED, "view": SIZE,
               "chromium_flags": os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS"),
               "goals": {"first_paint_s": FIRST_PAINT_GOAL_S, "pan_p95_ms": PAN_GOAL_MS, "memory_mb": MEMORY_GOAL_MB},
               "fmc_cap_s": args.fmc_cap, "repeat": args.repeat, "sizes": {}}
    results["baseline"] = blank_page(app)
    # One-time costs of the first map in a process (importing folium and compiling its templates, extracting the
    # web font), paid before the sizes so that each size's first paint is measured alike.
    from nibi_desk.maps import page, webfont
    from nibi_desk.storage.registry import Registry

    with Timer() as t, Registry.open(OUT_DIR / f"map-{sizes[0]}.nibi") as warm:
        page.build_html(warm.read(), warm.county)
        webfont.web_font()
    results["baseline"]["first_page_build_s"] = round(t.s, 2)
    log(f"web engine: {results['baseline']}")
    for n in sizes:
        path = OUT_DIR / f"map-{n}.nibi"
        entry = {"build": builds[n], **grid_stats(path), "ours": []}
        for r in range(args.repeat):
            log(f"{n:,}: our map, walk {r + 1} of {args.repeat} (load {load()}) ...")
            walk = run_ours(app, path, args.moves)
            entry["ours"].append(walk)
            log("  " + json.dumps({k: v for k, v in walk.items() if k != "detail"}, ensure_ascii=False))
        if not args.no_fmc:
            log(f"{n:,}: FastMarkerCluster (cap {args.fmc_cap:.0f} s, load {load()}) ...")
            try:
                entry["fast_marker_cluster"] = run_fast_marker_cluster(app, path, args.fmc_cap)
            except MemoryError:
                entry["fast_marker_cluster"] = {"note": "MemoryError building the page"}
            entry["fast_marker_cluster"]["load_after"] = load()
            log(f"  {entry['fast_marker_cluster']}")
        results["sizes"][str(n)] = entry
        write_json(args.out, results)
    print(summary(results))
    return 0


def median(values) -> float | None:
    values = [v for v in values if v is not None]
    return round(statistics.median(values), 1) if values else None


def p95(values) -> float | None:
    values = [v for v in values if v is not None]
    return round(percentile(values, 95), 1) if values else None


def page_memory(measured: dict, blank: dict) -> dict:
    """The page memory as reported: the renderer's PSS with our page in it = the empty page's PSS (Chromium's own:
    its share of the shared libraries plus a renderer's private memory) + what our page adds (+PSS, +USS)."""
    def added(key: str) -> float | None:
        mine, base = measured.get("renderer_" + key), blank.get("renderer_" + key)
        return round(mine - base, 1) if mine is not None and base is not None else None

    anon = [measured.get("renderer_pss_anon_mb"), measured.get("renderer_pss_shmem_mb")]
    return {"page_mb": measured.get("renderer_pss_mb"), "added_pss_mb": added("pss_mb"),
            "added_uss_mb": added("uss_mb"), "anon_mb": round(sum(anon), 1) if None not in anon else None,
            "file_mb": measured.get("renderer_pss_file_mb")}


def summary(results: dict) -> str:
    blank = results.get("baseline", {}).get("blank") or {}
    rows, stage_rows = [], []
    for n, e in results["sizes"].items():
        walks, f = e["ours"], e.get("fast_marker_cluster", {})
        mem = [w["memory"] for w in walks]
        pm = [page_memory(m, blank) for m in mem]
        f_paint = "-" if not f else (fmt(f.get("first_paint_s"), 1) if f.get("first_paint_s")
                                     else f"> {results.get('fmc_cap_s', 0):.0f} (cap)")
        fpm = page_memory(f, blank) if f else {}
        def med(items, key, digits=1):
            return fmt(median(x.get(key) for x in items), digits)

        rows.append([f"{int(n):,}", med(walks, "first_paint_s", 2), med(walks, "pan_p50_ms"), med(walks, "pan_p95_ms"),
                     "/".join(fmt(w.get("pan_p95_ms"), 0) for w in walks), med(mem, "renderer_rss_mb")]
                    + [med(pm, k) for k in ("page_mb", "anon_mb", "file_mb", "added_pss_mb", "added_uss_mb")]
                    + [med(mem, "js_heap_mb"), f_paint, fmt(f.get("pan_p95_ms")), fmt(f.get("renderer_rss_mb")),
                       fmt(fpm.get("page_mb")), fmt(f.get("js_heap_mb")), fmt(f.get("html_mb"))])
        stages = walks[-1]["stages_p95_big"] or walks[-1]["stages_p95"]
        stage_rows.append([f"{int(n):,}", str(walks[-1]["big_answers"])] + [fmt(stages.get(k)) for k in STAGES])
    head = ["assets", "paint s", "pan p50", "pan p95", "p95 each", "RSS MB", "page MB", "anon", "file", "+PSS",
            "+USS", "heap MB", "FMC paint s", "FMC pan p95", "FMC RSS", "FMC page MB", "FMC heap", "FMC html MB"]
    b = results.get("baseline", {})
    loads = "; ".join(f"{int(n):,}: " + ", ".join(str(w.get("load_before", ["?"])[0]) for w in e["ours"])
                      for n, e in results["sizes"].items())
    notes = (f"medians of {results.get('repeat')} walks of {SIZE[0]}x{SIZE[1]} px; load average (1 min) before "
             f"each walk: {loads}\n"
             f"once per application run, before any map: web engine start {fmt(b.get('webengine_cold_start_s'), 2)} s, "
             f"first page build (imports) {fmt(b.get('first_page_build_s'), 2)} s\n"
             f"empty page renderer: RSS {fmt(blank.get('renderer_rss_mb'))} MB, PSS {fmt(blank.get('renderer_pss_mb'))}"
             f" MB (anon {fmt((blank.get('renderer_pss_anon_mb') or 0) + (blank.get('renderer_pss_shmem_mb') or 0))},"
             f" file {fmt(blank.get('renderer_pss_file_mb'))}), USS {fmt(blank.get('renderer_uss_mb'))} MB\n"
             "page MB = PSS of the page's renderer process after the walk = the empty page's PSS + what our page adds "
             "(+PSS; +USS: the private part of it). anon = its anonymous + shared-memory part (heap, DOM, bitmaps); "
             "file = its share of QtWebEngine's library and fonts, which moves with whatever else maps them. RSS "
             "counts every shared library page in full.\n"
             f"goals: first paint <= {FIRST_PAINT_GOAL_S} s, pan/zoom p95 <= {PAN_GOAL_MS:.0f} ms, "
             f"page memory <= {MEMORY_GOAL_MB:.0f} MB at 1M (pan ms = move -> JS -> Python -> SQLite -> JS -> drawn; "
             "FMC pan = the synchronous setView only)")
    stage_head = ["assets", "answers"] + [k.replace("_ms", "") for k in STAGES]
    stage_note = ("p95 per stage (ms) of the last walk's answers with 1,000+ points (all answers if none): "
                  "pre = Leaflet before the request, to_python = the request's way to the slot, queued = waiting for a "
                  "worker, to_page = the answer's way back")
    return table(head, rows) + "\n" + notes + "\n\n" + stage_note + "\n" + table(stage_head, stage_rows)


if __name__ == "__main__":
    sys.exit(main())
