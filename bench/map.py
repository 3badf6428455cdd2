"""Map benchmark: the interactive map on 10k, 100k and 1M-asset registries against folium's FastMarkerCluster.
A measuring script, not a test: it prints values beside the goals and asserts nothing about wall-clock time.

    QT_QPA_PLATFORM=offscreen QTWEBENGINE_CHROMIUM_FLAGS="--no-sandbox --disable-gpu" \\
        python bench/map.py [--sizes 10000,100000,1000000] [--moves 80] [--fmc-cap 90] [--out bench/out/map.json]

For each size N it builds (once; reused afterwards) bench/out/map-N.nibi from bench/registry.py's deterministic
synthetic county through Registry.create + writer.bulk_insert (which also fills the map's aggregate pyramid), then:

1. first paint: a MapDock (QWebEngineView, offscreen, 1280x800) is created on the registry; wall time from creating
   it (page built with folium, served over nibi://) until the page has drawn its first viewport answer
   (NibiMap.ready, set in the animation frame after drawing), and the page's own navigation-relative time;
2. pan/zoom: a fixed random walk of pans, zoom steps and jumps to assets (zoom 9..19); each move is timed in the
   page from map.setView to the animation frame after the answer is drawn: JS -> QWebChannel -> Python ->
   SQLite (pyramid or R*Tree) -> JSON -> JS -> canvas. p50/p95/max, and how many answers were cells or points;
3. page memory: the JS heap (performance.memory) and the renderer process's RSS (/proc/<pid>/status);
4. FastMarkerCluster: folium's own answer on the same points, one page with every point inside, served over the
   same scheme (setHtml cannot take it); time to build the HTML, its size, time until clusters are painted, a few
   zoom steps, renderer RSS. Capped at --fmc-cap seconds per size: a cap reached is reported as such.

Goals: first paint <= 1.5 s, pan/zoom p95 <= 100 ms, page memory <= 150 MB at 1M. Software rendering (offscreen)
is slower than a desktop GPU.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
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
def build(path: Path, n: int, rebuild: bool) -> dict:
    from registry import COLUMNS, COUNTY, generate, remove_db

    from nibi_desk.storage.registry import Registry

    if path.exists() and not rebuild:
        log(f"reusing {path}")
        return {"reused": True}
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
    return {"reused": False, "import_s": round(t.s, 1)}


def grid_stats(path: Path) -> dict:
    import sqlite3

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT count(*) FROM asset_grid").fetchone()[0]
        try:
            mb = conn.execute("SELECT sum(pgsize) FROM dbstat WHERE name = 'asset_grid'").fetchone()[0] / 1e6
        except sqlite3.OperationalError:
            mb = None
        located = conn.execute("SELECT sum(n) FROM asset_grid WHERE z = 0").fetchone()[0]
    finally:
        conn.close()
    return {"grid_rows": rows, "grid_mb": round(mb, 1) if mb else None, "located": located,
            "file_mb": round(file_mb(path), 1)}


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


def rss_mb(pid: int | None) -> float | None:
    if not pid:
        return None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def memory(app, page) -> dict:
    heap = value(app, page, "performance.memory ? performance.memory.usedJSHeapSize : null")
    return {"js_heap_mb": round(heap / 1e6, 1) if heap else None,
            "renderer_rss_mb": round(rss_mb(page.renderProcessPid()) or 0, 1) or None}


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
    result: dict = {}
    try:
        start = time.perf_counter()
        dock = MapDock(ctx)
        dock.resize(*SIZE)
        dock.show()
        ready = wait_for(app, dock.page, "NibiMap.ready", timeout=60, poll=0.002)
        result["first_paint_s"] = round(time.perf_counter() - start, 3) if ready else None
        result["first_paint_page_ms"] = value(app, dock.page, "NibiMap.stats.firstPaint")
        result["first_answer"] = value(app, dock.page, "NibiMap.lastAnswer().kind")
        result["page_html_kb"] = round(len(dock.handler.page_html) / 1024, 1)
        pump(app, 0.5)
        extent = value(app, dock.page, "NibiMap.cfg.fit")
        # The page reports each finished round through its title: nothing polls it while a move is timed.
        js(app, dock.page, "NibiMap.stats.rounds = []; NibiMap.stats.detail = []; NibiMap.onRound = function (n, "
                           "latest) { if (latest) { document.title = 'round ' + n; } }; 0")
        kinds, sizes, done = {"cells": 0, "points": 0}, [], 0
        for lat, lon, zoom in moves(extent, n_moves, SEED):
            js(app, dock.page, f"NibiMap.benchMove({lat}, {lon}, {zoom}); 0")
            if not wait_title(app, dock.page, f"round {done + 1}", 30):
                log(f"  move to {lat},{lon} z{zoom} did not finish")
                break
            done += 1
        rounds = value(app, dock.page, "NibiMap.stats.rounds")
        detail = value(app, dock.page, "NibiMap.stats.detail")
        for kind, features, _wait, _draw, _frame, _bytes in detail:
            kinds[kind] += 1
            sizes.append(features)
        result.update({
            "moves": len(rounds), "pan_p50_ms": round(percentile(rounds, 50), 1),
            "pan_p95_ms": round(percentile(rounds, 95), 1), "pan_max_ms": round(max(rounds), 1),
            "answers": kinds, "features_max": max(sizes) if sizes else None,
            "answer_kb_max": round(max(d[5] for d in detail) / 1024, 1) if detail else None,
            "wait_p95_ms": round(percentile([d[2] for d in detail], 95), 1) if detail else None,
            "draw_p95_ms": round(percentile([d[3] for d in detail], 95), 1) if detail else None,
            "dropped": value(app, dock.page, "NibiMap.stats.dropped"),
            # per move: kind, features, ms until the answer arrived, ms drawing, ms to the next frame, bytes
            "detail": detail,
            "rounds_ms": [round(r, 1) for r in rounds],
            "blocked": len(dock.blocker.attempts) + len(dock.page.refused),
        })
        result.update(memory(app, dock.page))
        dock.dispose()
        dock.deleteLater()
    finally:
        ctx.close()
    return result


def blank_page(app) -> dict:
    """Start Chromium with an empty page on the same kind of profile: the cold start of the web engine (paid once
    per application run, before any map), and the renderer's RSS for a page with nothing in it — the baseline that
    every page's RSS includes."""
    from PySide6.QtCore import QUrl
    from PySide6.QtWebEngineCore import QWebEngineProfile
    from PySide6.QtWebEngineWidgets import QWebEngineView

    import shiboken6
    from nibi_desk.gui.map.web_page import MapPage
    from nibi_desk.gui.map.scheme import PAGE_URL, SCHEME, NibiSchemeHandler

    profile = QWebEngineProfile()
    handler = NibiSchemeHandler(profile)
    handler.set_page("<!DOCTYPE html><html><head><meta charset='utf-8'></head><body></body></html>")
    profile.installUrlSchemeHandler(SCHEME, handler)
    page = MapPage(profile)
    view = QWebEngineView()
    view.setPage(page)
    view.resize(*SIZE)
    view.show()
    loaded = []
    page.loadFinished.connect(loaded.append)
    start = time.perf_counter()
    view.load(QUrl(PAGE_URL))
    while not loaded and time.perf_counter() - start < 60:
        app.processEvents()
        time.sleep(0.002)
    cold = time.perf_counter() - start
    pump(app, 1.0)
    result = {"webengine_cold_start_s": round(cold, 2), "blank_renderer_rss_mb": round(rss_mb(page.renderProcessPid())
                                                                                       or 0, 1) or None}
    for obj in (view, page, profile):
        shiboken6.delete(obj)
    pump(app, 0.3)
    return result


# -- folium FastMarkerCluster ---------------------------------------------------------------------------------------
def run_fast_marker_cluster(app, path: Path, cap_s: float) -> dict:
    import sqlite3

    import folium
    from folium.plugins import FastMarkerCluster
    from PySide6.QtCore import QUrl
    from PySide6.QtWebEngineCore import QWebEngineProfile
    from PySide6.QtWebEngineWidgets import QWebEngineView

    import shiboken6
    from nibi_desk.gui.map.web_page import MapPage
    from nibi_desk.gui.map.scheme import SCHEME, NibiSchemeHandler
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
    profile = QWebEngineProfile()
    handler = NibiSchemeHandler(profile)
    handler.set_page(html)
    del html
    profile.installUrlSchemeHandler(SCHEME, handler)
    page = MapPage(profile)
    view = QWebEngineView()
    view.setPage(page)
    view.resize(*SIZE)
    view.show()
    try:
        start = time.perf_counter()
        view.load(QUrl("nibi://app/page.html"))
        painted = wait_for(app, page, "document.querySelectorAll('.marker-cluster, .leaflet-marker-icon').length > 0",
                           timeout=cap_s, poll=0.05)
        elapsed = time.perf_counter() - start
        result["first_paint_s"] = round(elapsed, 2) if painted else None
        result["capped"] = not painted
        result["renderer_rss_mb"] = round(rss_mb(page.renderProcessPid()) or 0, 1) or None
        if painted:
            try:
                result["js_heap_mb"] = memory(app, page)["js_heap_mb"]
                rounds = []
                name = value(app, page, "Object.keys(window).find(k => k.startsWith('map_'))", timeout=cap_s)
                for i, (lat, lon, zoom) in enumerate(moves([111.45, 32.2, 111.92, 32.62], 12, SEED)):
                    ms = value(app, page, f"(function () {{ var t = performance.now(); {name}.setView([{lat}, {lon}],"
                                          f" {zoom}, {{animate: false}}); return performance.now() - t; }})()",
                               timeout=cap_s)
                    pump(app, 0.05)
                    rounds.append(ms)
                result["pan_p95_ms"] = round(percentile(rounds, 95), 1)
                result["pan_max_ms"] = round(max(rounds), 1)
            except TimeoutError:
                result["pan_note"] = "the page stopped answering"
        else:
            result["note"] = f"no clusters painted within {cap_s:.0f} s"
    finally:
        for obj in (view, page, profile):
            shiboken6.delete(obj)
        pump(app, 0.5)
    return result


# -- main -----------------------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--moves", type=int, default=80)
    parser.add_argument("--fmc-cap", type=float, default=90.0, help="seconds FastMarkerCluster may take per size")
    parser.add_argument("--no-fmc", action="store_true", help="skip the FastMarkerCluster comparison")
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--build-only", action="store_true", help="build the registries and stop")
    parser.add_argument("--out", type=Path, default=OUT_DIR / "map.json")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s]

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    builds = {n: build(OUT_DIR / f"map-{n}.nibi", n, args.rebuild) for n in sizes}
    if args.build_only:
        return 0

    from nibi_desk.gui.map.scheme import register_schemes

    register_schemes()
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(["bench-map"])
    from nibi_desk.gui.fonts import install_bundled_font

    install_bundled_font(app)
    results = {"script": "bench/map.py", "env": environment(), "seed": SEED, "view": SIZE,
               "goals": {"first_paint_s": FIRST_PAINT_GOAL_S, "pan_p95_ms": PAN_GOAL_MS, "memory_mb": MEMORY_GOAL_MB},
               "fmc_cap_s": args.fmc_cap, "sizes": {}}
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
        entry = {"build": builds[n], **grid_stats(path)}
        log(f"{n:,}: our map ...")
        entry["ours"] = run_ours(app, path, args.moves)
        log(f"  { {k: v for k, v in entry['ours'].items() if k not in ('detail', 'rounds_ms')} }")
        if not args.no_fmc:
            log(f"{n:,}: FastMarkerCluster (cap {args.fmc_cap:.0f} s) ...")
            try:
                entry["fast_marker_cluster"] = run_fast_marker_cluster(app, path, args.fmc_cap)
            except MemoryError:
                entry["fast_marker_cluster"] = {"note": "MemoryError building the page"}
            log(f"  {entry['fast_marker_cluster']}")
        results["sizes"][str(n)] = entry
        write_json(args.out, results)
    print(summary(results))
    return 0


def summary(results: dict) -> str:
    base = results.get("baseline", {}).get("blank_renderer_rss_mb") or 0
    rows = []
    for n, e in results["sizes"].items():
        o, f = e["ours"], e.get("fast_marker_cluster", {})
        over = (o.get("renderer_rss_mb") or 0) - base if base and o.get("renderer_rss_mb") else None
        f_over = (f.get("renderer_rss_mb") or 0) - base if base and f.get("renderer_rss_mb") else None
        f_paint = "-" if not f else (fmt(f.get("first_paint_s"), 1) if f.get("first_paint_s")
                                     else f"> {results.get('fmc_cap_s', 0):.0f} (cap)")
        rows.append([f"{int(n):,}", fmt(o.get("first_paint_s"), 2), fmt(o.get("pan_p50_ms")), fmt(o.get("pan_p95_ms")),
                     fmt(o.get("pan_max_ms")), fmt(o.get("js_heap_mb")), fmt(o.get("renderer_rss_mb")), fmt(over),
                     f_paint, fmt(f.get("pan_p95_ms")), fmt(f.get("js_heap_mb")), fmt(f.get("renderer_rss_mb")),
                     fmt(f_over), fmt(f.get("html_mb"))])
    head = ["assets", "paint s", "pan p50", "pan p95", "pan max", "heap MB", "RSS MB", "RSS-blank",
            "FMC paint s", "FMC pan p95", "FMC heap", "FMC RSS", "FMC RSS-blank", "FMC page MB"]
    b = results.get("baseline", {})
    notes = (f"once per application run, before any map: web engine start {fmt(b.get('webengine_cold_start_s'), 2)} s, "
             f"first page build (imports) {fmt(b.get('first_page_build_s'), 2)} s; "
             f"blank page renderer RSS {fmt(base)} MB\n"
             f"goals: first paint <= {FIRST_PAINT_GOAL_S} s, pan/zoom p95 <= {PAN_GOAL_MS:.0f} ms, "
             f"page memory <= {MEMORY_GOAL_MB:.0f} MB at 1M (pan ms = JS -> Python -> SQLite -> JS -> drawn)")
    return table(head, rows) + "\n" + notes


if __name__ == "__main__":
    sys.exit(main())
