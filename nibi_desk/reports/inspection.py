"""The per-inspection report (巡检报告): header, asset card with QR code, map of where the inspector stood, the
checklist with score and result, defects, evidence photos with captions, plausibility flags and the signature."""

from __future__ import annotations

import logging
from typing import Callable

from PIL import Image as PILImage
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Image, KeepTogether, Spacer, Table, TableStyle

from nibi_desk.i18n import N_, _
from nibi_desk.inspection.form import FAIL, NA, PASS
from nibi_desk.reports import data
from nibi_desk.reports.blocks import (MAP_SIZE, WIDTH, Printer, asset_card, coordinate_text, heading, map_snapshot,
                                      photo_caption, photo_grid, stamp_fields, title_block)
from nibi_desk.reports.document import Section, section_parts, write
from nibi_desk.reports.furniture import ACCENT, GREEN, MUTED, RED, RULE, ReportOptions, grid_table, kv_table, para
from nibi_desk.reports.photos import JpegFlowable

log = logging.getLogger(__name__)

SOURCE_TITLES = {"exif": N_("photo GPS"), "typed": N_("typed in"), "map": N_("picked on the map")}


# -- the report ----------------------------------------------------------------------------------------------------
def _outcome_cell(p: Printer, outcome, titles: dict) -> Flowable:
    s = p.s
    text = titles.get(outcome, "—")
    colour = {PASS: GREEN, FAIL: RED, NA: MUTED}.get(outcome)
    if colour is None:
        return para(text, s.cell_c)
    return para(f'<font color="{_hex(colour)}">{text}</font>', s.cell_c, markup=True)


def _hex(colour) -> str:
    return "#%02X%02X%02X" % tuple(int(round(c * 255)) for c in (colour.red, colour.green, colour.blue))


def checklist_table(p: Printer, report: dict) -> list[Flowable]:
    s = p.s
    titles = report["outcome_titles"]
    rows = [[para(_("No."), s.cell_h), para(_("Item"), s.cell_h), para(_("Answer"), s.cell_h),
             para(_("Judgement"), s.cell_h), para(_("Notes"), s.cell_h)]]
    extra, section, n = [], None, 0
    for item in report["items"]:
        if item["section_title"] != section:
            section = item["section_title"]
            rows.append([para(section, s.cell), "", "", "", ""])
            r = len(rows) - 1
            extra += [("SPAN", (0, r), (-1, r)), ("BACKGROUND", (0, r), (-1, r), colors.HexColor("#F3F5F8"))]
        n += 1
        answer = item["answer"]
        if item["kind"] == "photo" or item["photos"]:
            photos = _("{n} photos").format(n=item["photos"]) if item["photos"] else _("no photo")
            answer = f"{answer}（{photos}）" if answer else photos
        rows.append([para(str(n), s.cell_c), para(item["title"], s.cell), para(answer or "—", s.cell),
                     _outcome_cell(p, item["outcome"], titles), para(item["note"], s.cell)])
    table = grid_table(rows, [10 * mm, 58 * mm, 38 * mm, 18 * mm, 50 * mm], extra=extra)
    inspection, verdict = report["inspection"], report["verdict"]
    score = inspection["score"] if inspection["score"] is not None else verdict.score
    result = inspection["result"] or verdict.result
    colour = {"normal": GREEN, "defects": RED, "unreachable": colors.HexColor("#D97706")}.get(result, MUTED)
    summary = _("Score {score}    Result {result}").format(
        score=f"{score:g}" if score is not None else "—",
        result=f'<font color="{_hex(colour)}">{data.result_title(result)}</font>')
    out = [table, Spacer(1, 2 * mm), para(summary, s.body, markup=True)]
    if inspection.get("unreachable_reason"):
        out.append(para(_("Could not be reached: {reason}").format(reason=inspection["unreachable_reason"]), s.body))
    if inspection.get("notes"):
        out.append(para(_("Notes: {notes}").format(notes=inspection["notes"]), s.body))
    return out


def defects_table(p: Printer, defects: list[dict], as_of) -> Flowable:
    s = p.s
    if not defects:
        return para(_("No defects were raised from this inspection."), s.body)
    rows = [[para(t, s.cell_h) for t in (_("No."), _("Item"), _("Category"), _("Severity"), _("Description"),
                                         _("Deadline"), _("Status"))]]
    from nibi_desk.inspection.defects import SEVERITY_TITLES, STATUS_TITLES, is_overdue

    for n, d in enumerate(defects, 1):
        status = _(STATUS_TITLES[d["status"]])
        if is_overdue(d, as_of):
            status += "（" + _("overdue") + "）"
        rows.append([para(str(n), s.cell_c), para(d["item_title"], s.cell), para(d["category_title"], s.cell),
                     para(_(SEVERITY_TITLES[d["severity"]]), s.cell_c), para(d["description"], s.cell),
                     para(d["deadline"] or "—", s.cell_c), para(status, s.cell_c)])
    return grid_table(rows, [10 * mm, 30 * mm, 20 * mm, 14 * mm, 56 * mm, 22 * mm, 22 * mm])


def signature_image(p: Printer, sha: str | None, width: float = 45 * mm, height: float = 15 * mm) -> Flowable | None:
    if not sha:
        return None
    try:
        path = p.store.path_of(sha)
        with PILImage.open(path) as im:
            w, h = im.size
    except Exception as e:  # a missing or broken signature file prints as "not available", never a crash
        log.warning("signature %s cannot be printed: %s", sha, e)
        return None
    scale = min(width / w, height / h)
    return Image(str(path), w * scale, h * scale)


def inspection_flowables(p: Printer, inspection_id: str, section: Section | None = None) -> list[Flowable]:
    """The body of one inspection report."""
    s = p.s
    report = data.inspection_report(p.conn, inspection_id)
    inspection, asset = report["inspection"], report["asset"]
    day = (inspection["submitted_at"] or inspection["started_at"] or "")[:10]
    number = p.options.doc_number("XJ", day, inspection_id)
    if section is not None:
        section.doc_number = number
    out = title_block(p, _("{type} inspection report").format(type=asset["type_title"]), number,
                      _("Inspected {date}").format(date=day))
    when = (inspection["submitted_at"] or "").replace("T", " ")[:16]
    head = [(_("Inspector"), inspection["inspector_name"]), (_("Submitted"), when or _("draft, not submitted")),
            (_("Checklist"), f"{report['template_title']} v{report['template']['version']}"),
            (_("Plan"), (report["plan"] or {}).get("name") or _("unplanned")),
            (_("Period"), (report["task"] or {}).get("period")),
            (_("Started"), (inspection["started_at"] or "").replace("T", " ")[:16])]
    out.append(kv_table(head, [19 * mm, 68 * mm, 19 * mm, 68 * mm]))
    if inspection.get("corrects"):
        out.append(para(_("This record corrects inspection {id}.").format(id=inspection["corrects"]), s.small))
    if report["corrected_by"]:
        out.append(para(_("Superseded: corrected by inspection {id}.").format(id=report["corrected_by"]), s.small))

    out += [heading(p, _("1. Asset")), asset_card(p, asset)]

    out.append(heading(p, _("2. Where the inspector stood")))
    stood = (inspection["stood_lon"], inspection["stood_lat"]) if inspection["stood_lon"] is not None else None
    try:
        snapshot = map_snapshot(p, asset, stood)
    except Exception as e:  # a map problem must not cost the report
        log.warning("map snapshot failed: %s", e)
        snapshot = None
    if snapshot is not None:
        from nibi_desk.reports.photos import Prepared
        from nibi_desk.reports.streaming import jpeg_header

        out.append(JpegFlowable(Prepared(snapshot, *jpeg_header(snapshot), True), WIDTH,
                                WIDTH * MAP_SIZE[1] / MAP_SIZE[0]))
    if stood is not None:
        source = _(SOURCE_TITLES.get(inspection["stood_source"], inspection["stood_source"] or ""))
        distance = inspection["distance_m"]
        out.append(para(_("Inspector position {position} ({source}); distance to the asset {distance}").format(
            position=coordinate_text(*stood), source=source,
            distance=f"{distance:.0f} m" if distance is not None else "—"), s.body))
    else:
        out.append(para(_("Where the inspector stood is not known"), s.body))

    out += [CondPageBreak(40 * mm), heading(p, _("3. Checklist")), *checklist_table(p, report)]
    out += [heading(p, _("4. Defects")), defects_table(p, report["defects"], p.options.as_of)]

    titles = {i["key"]: i["title"] for i in report["items"]}
    if report["photos"]:
        out += [CondPageBreak(80 * mm), heading(p, _("5. Photos ({n})").format(n=len(report["photos"])))]

        band = stamp_fields(asset.get("code"), asset["name"], inspection["inspector_name"])
        out.append(photo_grid(p, report["photos"], lambda photo: band, titles))
    else:
        out += [heading(p, _("5. Photos ({n})").format(n=0)), para(_("No photos."), s.body)]

    out.append(heading(p, _("6. Checks of position and photo time")))
    notes = list(report["flags"]) + [f"{titles.get(photo.get('item'), _('General photo'))}: {text}"
                                     for photo, text in report["photo_flags"]]
    if notes:
        out += [para("• " + n, s.body) for n in notes]
    else:
        out.append(para(_("Position and photo times agree with the inspection."), s.body))

    signature = signature_image(p, inspection["signature"])
    sign_rows = [[para(_("Inspector's signature"), s.label), signature or para(_("not signed"), s.cell),
                  para(_("Reviewed by"), s.label), ""],
                 [para(_("Name"), s.label), para(inspection["inspector_name"], s.cell), para(_("Date"), s.label), ""]]
    sign = Table(sign_rows, colWidths=[28 * mm, 59 * mm, 28 * mm, 59 * mm], rowHeights=[18 * mm, 8 * mm])
    sign.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, RULE), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    out += [KeepTogether([heading(p, _("7. Signatures")), sign])]
    return out


def inspection_section(p: Printer, inspection_id: str, bookmark: bool = False) -> tuple[Section, Callable]:
    row = p.conn.execute("SELECT a.name, a.code FROM inspections i JOIN assets a ON a.id = i.asset "
                         "WHERE i.id = ?", (inspection_id,)).fetchone()
    title = _("Inspection report {name}").format(name=row["name"] if row else inspection_id)
    mark = f"{row['code'] or ''} {row['name']}".strip() if (bookmark and row) else None
    section = Section(title=title, bookmark=mark)
    return section, lambda: inspection_flowables(p, inspection_id, section)


def write_inspection_report(registry, inspection_id: str, out, options: ReportOptions | None = None,
                            printer: Printer | None = None) -> int:
    """Write the report of one inspection to ``out`` (path or binary file); returns the page count. A batch
    passes its ``printer`` (shared photo cache)."""
    options = options or ReportOptions()
    p = printer or Printer(registry.read(), registry.path, options)
    report = data.inspection_report(p.conn, inspection_id)  # NotFound before any file is made
    asset = report["asset"]
    section, make = inspection_section(p, inspection_id)
    return write(out, options, _("{type} inspection report").format(type=asset["type_title"]) + f" {asset['name']}",
                 section_parts([(section, make)]), subject=_("Inspection report"),
                 keywords=f"{asset.get('code') or ''} {inspection_id}")


__all__ = ["Printer", "write_inspection_report", "inspection_flowables", "inspection_section", "asset_card",
           "title_block", "heading", "photo_grid", "photo_caption", "stamp_fields", "signature_image",
           "map_snapshot", "ACCENT"]
