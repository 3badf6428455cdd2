"""Batches of inspection reports: every submitted inspection of a plan, a township and/or a period, as one PDF
(one report after another, each with its own page numbers, a bookmark per asset) or as one file per inspection.

:func:`write_batch` reports progress and asks whether to stop between reports (the GUI runs it as a background
task with a progress bar and a cancel button). Reports are laid out one at a time
and the file is written as it goes (:mod:`.streaming`), so memory stays flat for hundreds of inspections; worker
processes prepare the photos of the next inspections meanwhile (:mod:`.prefetch`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from nibi_desk.errors import ValidationError, Where
from nibi_desk.i18n import _
from nibi_desk.reports import data, prefetch
from nibi_desk.reports.document import section_parts, write
from nibi_desk.reports.furniture import ReportCancelled, ReportOptions
from nibi_desk.reports.inspection import Printer, inspection_section, write_inspection_report

_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


@dataclass
class BatchResult:
    files: list[Path] = field(default_factory=list)
    inspections: int = 0
    pages: int = 0
    prefetch: prefetch.PrefetchStats | None = None   # what the photo workers did (None: no prefetcher)


def select(registry, plan: str | None = None, township: str | None = None, start=None, end=None,
           ids=None, limit: int | None = None) -> list[dict]:
    rows = data.batch_inspections(registry.read(), plan, township, start, end, ids, limit)
    if not rows:
        raise ValidationError("No submitted inspections match the selection", where=Where(field="inspections"))
    return rows


def file_name(row: dict) -> str:
    name = f"{row['asset_code'] or row['asset_name']}_{(row['submitted_at'] or '')[:10]}_{row['id'][-6:]}.pdf"
    return _UNSAFE.sub("_", name)


def write_batch(registry, out, rows: list[dict], options: ReportOptions | None = None, separate: bool = False,
                progress: Callable[[int, int, str], None] | None = None,
                cancelled: Callable[[], bool] | None = None, workers: int | None = None) -> BatchResult:
    """Write the reports of ``rows`` (from :func:`select`) to ``out``: one PDF file, or a folder of files when
    ``separate``. ``progress(done, total, label)`` is called before each report and at the end; ``cancelled()``
    is asked between reports (:class:`ReportCancelled`; no partial file is left). ``workers``: processes that
    prepare photos ahead (None: :func:`.prefetch.default_workers`, 0: none)."""
    options = options or ReportOptions()
    total = len(rows)
    result = BatchResult(inspections=total)
    p = Printer(registry.read(), registry.path, options)
    ahead = prefetch.start(p, [row["id"] for row in rows], workers)

    def step(i: int, label: str) -> None:
        if cancelled is not None and cancelled():
            raise ReportCancelled()
        if progress is not None:
            progress(i, total, label)
        if ahead is not None:
            ahead.ahead(i)

    try:
        if separate:
            folder = Path(out)
            folder.mkdir(parents=True, exist_ok=True)
            for i, row in enumerate(rows):
                step(i, row["asset_name"])
                target = folder / file_name(row)
                result.pages += write_inspection_report(registry, row["id"], target, options, printer=p)
                result.files.append(target)
        else:
            def sections():
                for i, row in enumerate(rows):
                    step(i, row["asset_name"])
                    yield inspection_section(p, row["id"], bookmark=True)

            title = _("Inspection reports ({n})").format(n=total)
            result.pages = write(out, options, title, section_parts(sections()), subject=_("Inspection reports"),
                                 cancelled=cancelled)
            result.files.append(Path(out) if not hasattr(out, "write") else out)
    finally:
        if ahead is not None:
            result.prefetch = ahead.close()
    if progress is not None:
        progress(total, total, "")
    return result
