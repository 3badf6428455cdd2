"""The per-inspection report (巡检报告): header, asset card with QR code, map of where the inspector stood, the
checklist with score and result, defects, evidence photos with captions, plausibility flags and the signature."""

from __future__ import annotations

import hashlib
import io
import logging
import sqlite3
from pathlib import Path
from typing import Callable

from PIL import Image as PILImage
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Image, KeepTogether, Spacer, Table, TableStyle

from nibi_desk.domain import coords
from nibi_desk.i18n import N_, _
from nibi_desk.inspection.form import FAIL, NA, PASS
from nibi_desk.photos.stamp import StampFields
from nibi_desk.photos.store import PhotoStore
from nibi_desk.photos.thumbs import write_atomic
from nibi_desk.reports import data, qr
from nibi_desk.reports.document import Section, section_parts, write
from nibi_desk.reports.furniture import (ACCENT, GREEN, HEADER_RED, MUTED, RED, RULE, ReportOptions, grid_table,
                                         kv_table, para, styles)
from nibi_desk.reports.photos import JpegFlowable, PhotoCache, prepare_or_none
from nibi_desk.storage import assets as asset_rows

log = logging.getLogger(__name__)

WIDTH = 174 * mm  # A4 portrait text width
MAP_SIZE = (960, 500)
SOURCE_TITLES = {"exif": N_("photo GPS"), "typed": N_("typed in"), "map": N_("picked on the map")}


class Printer:
    """Shared state of a run that prints many documents: the registry connection, options, photo cache."""

    def __init__(self, conn: sqlite3.Connection, registry_path: str | Path, options: ReportOptions):
        self.conn = conn
        self.options = options
        self.store = PhotoStore.for_registry(registry_path)
        self.photos = PhotoCache(self.store, options.photo_max_px, options.cache_dir)
        self.s = styles()


# -- blocks shared with the other documents ------------------------------------------------------------------------
def title_block(p: Printer, title: str, doc_number: str, subtitle: str = "") -> list[Flowable]:
    s = p.s
    out: list[Flowable] = []
    banner = p.options.header or p.options.issuing_unit
    if banner:
        out.append(para(banner, s.banner))
        out.append(_Rule(HEADER_RED, 1.4, 4))
    out.append(para(title, s.title))
    line = "    ".join(x for x in (_("No. {number}").format(number=doc_number) if doc_number else "", subtitle) if x)
    if line:
        out.append(para(line, s.subtitle))
    return out


class _Rule(Flowable):
    def __init__(self, colour, width: float, space: float = 3):
        super().__init__()
        self.colour, self.line_width, self.space = colour, width, space

    def wrap(self, aw, ah):
        self.width = aw
        return aw, self.line_width + 2 * self.space

    def draw(self):
        self.canv.setStrokeColor(self.colour)
        self.canv.setLineWidth(self.line_width)
        self.canv.line(0, self.space, self.width, self.space)


def heading(p: Printer, text: str) -> Flowable:
    return para(text, p.s.h2)


def coordinate_text(lon, lat) -> str:
    if lon is None or lat is None:
        return _("not located")
    return f"{coords.format_dms(lat, 'lat')}  {coords.format_dms(lon, 'lon')}  ({lat:.6f}, {lon:.6f})"


def asset_card(p: Printer, asset: dict, width: float = WIDTH, qr_size: float = 34 * mm) -> Flowable:
    """The asset card: key facts in two columns and the QR code of its code (or UUID) at the right."""
    s = p.s
    pairs = [(_("Asset type"), asset["type_title"]), (asset["code_title"], asset.get("code") or "—"),
             (_("Name"), asset["name"]), (_("Status"), asset["status_title"]),
             (_("Township"), asset.get("township")), (_("Division"), asset.get("division_name")),
             (_("Owner unit"), asset.get("owner")), (_("Operator"), asset.get("operator"))]
    pairs += asset["attr_lines"][:6]
    left_w = width - qr_size - 4 * mm
    label_w = 19 * mm
    value_w = left_w / 2 - label_w
    card = kv_table(pairs, [label_w, value_w, label_w, value_w])
    wide = [(_("Address"), asset.get("address")), (_("Coordinates"), coordinate_text(asset.get("lon"), asset.get("lat"))),
            (_("BeiDou grid code"), (asset.get("grid_code") or _("not coded"))
             + ("" if asset["grid_ok"] or not asset.get("grid_code") else "  " + _("(does not decode)")))]
    if asset.get("gb28181"):
        wide.append((_("GB/T 28181 decoding"), "\n".join(asset["gb28181"])))
    rows = [[card], [kv_table(wide, [label_w, left_w - label_w], columns=1)]]
    left = Table(rows, colWidths=[left_w])
    left.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                              ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
    payload = qr.payload(asset)
    code = qr.QRFlowable(payload, qr_size, p.photos.root / "qr", p.store.root / "tmp")  # kept between runs
    right = [code, para(payload, s.caption), para(_("Scan: asset code"), s.caption)]
    outer = Table([[left, right]], colWidths=[left_w + 4 * mm, qr_size])
    outer.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 0), ("ALIGN", (1, 0), (1, 0), "CENTER")]))
    return outer


def map_snapshot(p: Printer, asset: dict, stood: tuple[float, float] | None) -> Path | None:
    """A cached JPEG of the static map around the asset (nearby assets, the inspector's position and distance)."""
    if asset.get("lon") is None or asset.get("lat") is None:
        return None
    from nibi_desk.maps import static
    from nibi_desk.maps.overlay import Marker

    basemap = p.options.basemap
    radius = p.options.map_radius_m
    if stood is not None:
        from nibi_desk.domain.coords import haversine_m

        radius = max(radius, haversine_m(stood[0], stood[1], asset["lon"], asset["lat"]) * 1.25)
    key = hashlib.sha256(repr((asset["id"], asset["lon"], asset["lat"], stood, round(radius, 1), MAP_SIZE,
                               getattr(basemap, "path", None), asset["name"])).encode("utf-8")).hexdigest()[:24]
    target = p.photos.root / "maps" / f"{key}.jpg"
    if target.is_file() and target.stat().st_size:
        return target
    view = static.make_view(center=(asset["lon"], asset["lat"]), radius_m=radius, size=MAP_SIZE)
    west, south, east, north = view.bbox.as_tuple()
    nearby = asset_rows.in_bbox(p.conn, west, south, east, north, limit=300)
    markers = [Marker(r["lon"], r["lat"], r["type"], r.get("status")) for r in nearby if r["id"] != asset["id"]]
    focus = Marker(asset["lon"], asset["lat"], asset["type"], asset.get("status"), asset["name"], asset["id"])
    image = static.render(view=view, basemap=basemap, markers=markers, highlight=focus, inspector=stood)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    write_atomic(target, out.getvalue(), p.store.root / "tmp")
    return target


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


def stamp_fields(asset_code: str | None, asset_name: str, inspector: str) -> StampFields:
    """The evidence band of an inspection's photos (the batch prefetcher makes the same copies ahead)."""
    return StampFields(asset_code=asset_code or "", asset_name=asset_name, inspector=inspector)


def photo_caption(photo: dict, item_title: str | None) -> str:
    taken = (photo.get("taken_at") or "").replace("T", " ")[:19] or _("time unknown")
    where = (f"{photo['lat']:.6f}, {photo['lon']:.6f}" if photo.get("lon") is not None and photo.get("lat")
             is not None else _("position unknown"))
    head = item_title or _("General photo")
    return f"{head}\n{taken}  {where}\nSHA-256 {photo['sha256'][:12]}…"


def photo_grid(p: Printer, photos: list[dict], fields: Callable[[dict], StampFields], titles: dict,
               width: float = WIDTH, columns: int = 2, box_h: float = 62 * mm) -> Flowable:
    s = p.s
    cell_w = width / columns
    cells = []
    for photo in photos:
        prepared = prepare_or_none(p.photos.evidence, photo, fields(photo))
        image = JpegFlowable(prepared, cell_w - 4 * mm, box_h,
                             _("Photo {sha} is not in the photo store").format(sha=photo["sha256"][:12]))
        cells.append([image, para(photo_caption(photo, titles.get(photo.get("item"))), s.caption)])
    rows = [cells[i:i + columns] for i in range(0, len(cells), columns)]
    if rows and len(rows[-1]) < columns:
        rows[-1] += [""] * (columns - len(rows[-1]))
    table = Table(rows, colWidths=[cell_w] * columns)
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                               ("LEFTPADDING", (0, 0), (-1, -1), 2 * mm), ("RIGHTPADDING", (0, 0), (-1, -1), 2 * mm),
                               ("TOPPADDING", (0, 0), (-1, -1), 1.5 * mm),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5 * mm)]))
    return table


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

        out.append(JpegFlowable(Prepared(snapshot, *jpeg_header(snapshot), True), WIDTH, WIDTH * MAP_SIZE[1] / MAP_SIZE[0]))
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
