"""`nibi-desk --smoke OUTDIR`: the installed or frozen app proves it works, offscreen, in one run (CI, make targets).

Opens the demo county in the real main window (building it first when the data directory has none), renders the
map page in QtWebEngine and checks that it made no network request, prints that page to a PDF, and writes a JSON
summary. Exit 0 only when everything worked. Used by `make smoke-frozen` and `make smoke-deb`
(installers/smoke.sh); also runnable from a checkout: ``python -m nibi_desk.gui.smoke OUTDIR``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from pathlib import Path

TIMEOUT = 90.0


def _wait(app, condition, timeout: float = TIMEOUT) -> bool:
    end = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > end:
            return False
        app.processEvents()
        time.sleep(0.01)
    return True


def _js(app, page, script: str, timeout: float = TIMEOUT):
    box = []
    page.runJavaScript(script, 0, box.append)
    if not _wait(app, lambda: bool(box), timeout):
        raise TimeoutError(f"no answer from the page for {script!r}")
    return box[0]


def run(out: Path, lang: str, scale: float | None) -> dict:
    from nibi_desk.gui import theme

    theme.configure_high_dpi()
    from nibi_desk.gui.map.scheme import register_schemes

    register_schemes()
    from PySide6.QtWidgets import QApplication

    from nibi_desk import datadir
    from nibi_desk.gui.app import Application
    from nibi_desk.gui.fonts import install_bundled_font
    from nibi_desk.gui.i18n import install_translations
    from nibi_desk.gui.settings import Settings
    from nibi_desk.interaction import HeadlessInteraction

    out.mkdir(parents=True, exist_ok=True)
    summary: dict = {"data_dir": str(datadir.data_dir())}
    started = time.monotonic()
    app = QApplication.instance() or QApplication(["nibi-desk"])
    install_bundled_font(app)
    install_translations(app, lang)
    interaction = HeadlessInteraction()
    controller = Application(app, Settings.for_file(out / "settings.ini"), interaction)

    db = datadir.demo_registry_path()
    if not db.exists():
        from nibi_desk.cli.cmd_registry import create_demo_registry

        t = time.monotonic()
        if scale is None:
            create_demo_registry(db, quiet=True)
        else:
            create_demo_registry(db, scale=scale, quiet=True)
        summary["demo_build_s"] = round(time.monotonic() - t, 1)
    if not controller.open_registry(db):
        raise RuntimeError(f"could not open the demo registry: {interaction.messages[-1:]}")
    window = controller.window
    registry = controller.ctx.registry
    if not _wait(app, lambda: window.browser.model.rowCount() > 0 and not window.browser.is_busy()):
        raise TimeoutError("the asset table never filled")
    summary.update(county=registry.county, county_name=registry.county_name, title=window.windowTitle(),
                   rows=window.browser.model.rowCount(),
                   assets=registry.read().execute("SELECT count(*) FROM assets WHERE deleted = 0").fetchone()[0])
    if registry.county != "420682" or registry.county_name not in window.windowTitle():
        raise RuntimeError(f"not the demo county: {summary}")
    window.grab().save(str(out / "main-window.png"))

    from nibi_desk.gui.map.map_dock import MapDock

    dock = MapDock(controller.ctx)
    dock.resize(1000, 720)
    dock.show()
    if not _wait(app, lambda: dock.loaded):
        raise TimeoutError("the map page did not load (QtWebEngine)")
    _js(app, dock.page, "0")
    if not _wait(app, lambda: bool(_js(app, dock.page, "!!(window.NibiMap && NibiMap.ready && NibiMap.idle())"))):
        raise TimeoutError("the map page never became idle")
    markers = _js(app, dock.page, "NibiMap.markerCount ? NibiMap.markerCount() : -1")
    leaflet = _js(app, dock.page, "typeof L === 'object' ? L.version : ''")
    summary.update(map_markers=markers, leaflet=leaflet, network_requests=list(dock.blocker.attempts),
                   refused=list(dock.page.refused), failed_nibi_requests=list(dock.handler.failed))
    if dock.blocker.attempts or dock.page.refused or dock.handler.failed or not leaflet:
        raise RuntimeError(f"the map page was not self-contained: {summary}")
    app.processEvents()
    dock.grab().save(str(out / "map.png"))

    pdf = out / "map.pdf"
    done = []
    dock.page.pdfPrintingFinished.connect(lambda path, ok: done.append(ok))
    dock.page.printToPdf(str(pdf))
    if not _wait(app, lambda: bool(done)) or not done[0]:
        raise RuntimeError("printing the map page to PDF failed")
    if not pdf.read_bytes().startswith(b"%PDF"):
        raise RuntimeError(f"{pdf} is not a PDF")
    summary["pdf"] = str(pdf)
    summary["pdf_bytes"] = pdf.stat().st_size

    summary.update(_batch_report(controller.ctx.registry, out))

    dock.dispose()
    dock.hide()
    dock.deleteLater()
    controller.close_registry()
    app.processEvents()
    summary["seconds"] = round(time.monotonic() - started, 1)
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="nibi-desk --smoke", description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for the screenshots, the PDF and summary.json")
    parser.add_argument("--lang", choices=["zh_CN", "en"], default="zh_CN")
    parser.add_argument("--scale", type=float, default=None, help="demo size (1.0 = the full 22,000 assets)")
    args = parser.parse_args(argv)
    try:
        summary = run(args.out, args.lang, args.scale)
    except Exception:
        traceback.print_exc()
        print("SMOKE FAILED", file=sys.stderr)
        return 1
    (args.out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    print("SMOKE OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())


def _batch_report(registry, out: Path) -> dict:
    """A batch of inspection reports with photos, prepared by worker processes: a frozen or installed program must
    start them as workers (multiprocessing spawn + freeze_support), not as new copies of the app."""
    from nibi_desk.reports import batch

    with_photos = [r[0] for r in registry.read().execute(
        "SELECT DISTINCT e.inspection FROM evidence e JOIN inspections i ON i.id = e.inspection "
        "WHERE i.status = 'submitted' AND e.deleted = 0 LIMIT 4")]
    rows = batch.select(registry, ids=with_photos)
    result = batch.write_batch(registry, out / "batch.pdf", rows, workers=1)
    stats = result.prefetch
    if stats is None or stats.workers != 1 or stats.failed or not (out / "batch.pdf").read_bytes().startswith(b"%PDF"):
        raise RuntimeError(f"the batch report with a photo worker failed: {stats}")
    return {"batch_pages": result.pages, "batch_worker_made": stats.made, "batch_taken_back": stats.taken_back}
