"""Rectification notices (整改通知单) per defect or per responsible unit, with the before photos, the deadline and
a reply section; and the closure record (整改闭环记录) with before/after photo pairs."""

from __future__ import annotations

from datetime import date
from typing import Iterable

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from nibi_desk.errors import ValidationError, Where
from nibi_desk.i18n import _
from nibi_desk.inspection.defects import is_overdue
from nibi_desk.photos.stamp import StampFields
from nibi_desk.reports import data
from nibi_desk.reports.document import Section, section_parts, write
from nibi_desk.reports.furniture import FONT, RULE, ReportOptions, grid_table, kv_table, para
from nibi_desk.reports.inspection import WIDTH, Printer, coordinate_text, heading, photo_grid, stamp_fields, \
    title_block


def _fields(notice: dict):
    asset = notice["asset"]
    inspector = (notice["inspection"] or {}).get("inspector_name") or ""

    def fields(photo: dict) -> StampFields:  # the band of the inspection report (print_copies makes the same)
        return stamp_fields(asset.get("code"), asset["name"], inspector)

    return fields


def _asset_pairs(asset: dict) -> list[tuple[str, str]]:
    return [(asset["code_title"], asset.get("code") or "—"), (_("Name"), asset["name"]),
            (_("Township"), asset.get("township")), (_("Asset type"), asset["type_title"]),
            (_("Address"), asset.get("address")), (_("BeiDou grid code"), asset.get("grid_code")),
            (_("Coordinates"), coordinate_text(asset.get("lon"), asset.get("lat"))), (_("Owner unit"),
                                                                                     asset.get("owner"))]


def _defect_pairs(notice: dict) -> list[tuple[str, str]]:
    d, inspection = notice["defect"], notice["inspection"] or {}
    return [(_("Checklist item"), notice["item_title"]), (_("Category"), notice["category_title"]),
            (_("Severity"), notice["severity_title"]), (_("Deadline"), d["deadline"] or "—"),
            (_("Found on"), (inspection.get("submitted_at") or inspection.get("started_at") or "")[:10] or "—"),
            (_("Found by"), inspection.get("inspector_name"))]


def reply_section(p: Printer) -> list:
    """The part the responsible unit fills in and sends back."""
    s = p.s
    lines = [[para(_("Measures taken"), s.label), ""], ["", ""], ["", ""],
             [para(_("Completed on"), s.label), ""], [para(_("Person in charge / phone"), s.label), ""],
             [para(_("Replying unit (seal)"), s.label), ""]]
    table = Table(lines, colWidths=[40 * mm, WIDTH - 40 * mm], rowHeights=[9 * mm] * len(lines))
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 8.5), ("GRID", (0, 0), (-1, -1), 0.4, RULE),
                               ("SPAN", (0, 0), (0, 2)), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                               ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#F3F5F8"))]))
    cut = para("-" * 40 + "  " + _("reply: cut here and return") + "  " + "-" * 40, s.small)
    # The cut line and the form it cuts off stay on one page: a reply split over two sheets cannot be returned.
    return [Spacer(1, 4 * mm), KeepTogether([cut, heading(p, _("Rectification reply")), table])]


def _issuer_block(p: Printer, day: str) -> list:
    s = p.s
    unit = p.options.issuing_unit or "______________"
    table = Table([["", para(_("Issued by: {unit} (seal)").format(unit=unit), s.body)],
                   ["", para(_("Date: {date}").format(date=day), s.body)]], colWidths=[WIDTH * 0.4, WIDTH * 0.6])
    table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 9)]))
    return [Spacer(1, 4 * mm), KeepTogether([table])]


def notice_flowables(p: Printer, defect_ids: list[str], section: Section, unit: str | None = None) -> list:
    """One notice covering ``defect_ids`` (one defect, or all of a responsible unit's)."""
    s = p.s
    notices = [data.defect_notice(p.conn, d) for d in defect_ids]
    first = notices[0]["defect"]
    day = first["notice_date"] or p.options.as_of.isoformat()
    number = first["notice_no"] if len(notices) == 1 and first["notice_no"] else \
        p.options.doc_number("ZG", day, first["id"] if len(notices) == 1 else None)
    section.doc_number = number
    out = title_block(p, _("Rectification notice"), number, _("Issued {date}").format(date=day))
    addressee = unit or first["responsible_unit"] or first.get("owner") or "______________"
    deadline = min((n["defect"]["deadline"] for n in notices if n["defect"]["deadline"]), default=None)
    out.append(para(f"{addressee}：", s.body))
    out.append(para(_("The inspection of the assets below found the defects listed. Please rectify them by the "
                      "deadline given for each ({deadline} at the latest) and return the reply below with photos "
                      "taken after the rectification.").format(deadline=deadline or "—"), s.body))
    if len(notices) == 1:
        n = notices[0]
        out += [heading(p, _("Asset")), kv_table(_asset_pairs(n["asset"]), [22 * mm, 65 * mm, 22 * mm, 65 * mm])]
        out += [heading(p, _("Defect")), kv_table(_defect_pairs(n), [22 * mm, 65 * mm, 22 * mm, 65 * mm]),
                Spacer(1, 1.5 * mm), kv_table([(_("Description"), n["defect"]["description"])],
                                              [22 * mm, WIDTH - 22 * mm], columns=1)]
        if is_overdue(n["defect"], p.options.as_of):
            out.append(para(_("The deadline has passed."), s.body))
    else:
        rows = [[para(h, s.cell_h) for h in (_("No."), _("Asset code"), _("Asset"), _("Township"), _("Defect"),
                                              _("Severity"), _("Deadline"))]]
        for i, n in enumerate(notices, 1):
            rows.append([para(str(i), s.cell_c), para(n["asset"].get("code") or "—", s.cell),
                         para(n["asset"]["name"], s.cell), para(n["asset"].get("township") or "—", s.cell),
                         para(_defect_text(n), s.cell),
                         para(n["severity_title"], s.cell_c), para(n["defect"]["deadline"] or "—", s.cell_c)])
        # A 20-digit national code needs 36 mm at 8.5 pt: it must not break over two lines.
        out += [heading(p, _("Defects ({n})").format(n=len(notices))),
                grid_table(rows, [10 * mm, 36 * mm, 30 * mm, 21 * mm, 45 * mm, 12 * mm, 20 * mm])]
    # The issuer and seal end the notice itself; photos follow as its attachment, then the reply to cut off.
    out += _issuer_block(p, day)
    if len(notices) == 1:
        n = notices[0]
        if n["before"]:
            titles = {n["defect"]["item"]: n["item_title"]}
            out += [heading(p, _("Photos before rectification")),
                    photo_grid(p, n["before"][:4], _fields(n), titles, box_h=55 * mm)]
    else:
        out += _unit_photos(p, notices)
    out += reply_section(p)
    return out


def _defect_text(n: dict) -> str:
    """"item: description", without the item twice when the description already starts with it."""
    description = n["defect"]["description"] or ""
    if description.startswith(n["item_title"]):
        return description
    return f"{n['item_title']}：{description}"


def _unit_photos(p: Printer, notices: list[dict]) -> list:
    """The before photos of every defect of a unit notice in one grid, three across, each captioned with the
    defect's number in the table above (not one row per defect with two empty cells)."""
    photos, titles, by_key = [], {}, {}
    for i, n in enumerate(notices, 1):
        for j, photo in enumerate(n["before"][:3]):
            key = f"{i}/{j}"
            photos.append({**photo, "item": key})
            titles[key] = f"{i}. {n['asset']['name']} · {n['item_title']}"
            by_key[key] = _fields(n)
    if not photos:
        return []
    return [heading(p, _("Photos before rectification")),
            photo_grid(p, photos, lambda photo: by_key[photo["item"]](photo), titles, columns=3, box_h=40 * mm)]


def closure_flowables(p: Printer, defect_id: str, section: Section) -> list:
    """The closure record of a defect: what was found, what was done, who verified, photos before and after."""
    s = p.s
    n = data.defect_notice(p.conn, defect_id)
    d = n["defect"]
    day = (d["closed_at"] or d["rectified_at"] or p.options.as_of.isoformat())[:10]
    section.doc_number = p.options.doc_number("BH", day, defect_id)
    out = title_block(p, _("Rectification closure record"), section.doc_number,
                      _("Status: {status}").format(status=n["status_title"]))
    out += [heading(p, _("Asset")), kv_table(_asset_pairs(n["asset"]), [22 * mm, 65 * mm, 22 * mm, 65 * mm])]
    loop = _defect_pairs(n) + [(_("Notice no."), d["notice_no"]), (_("Responsible unit"), d["responsible_unit"]),
                               (_("Rectified at"), (d["rectified_at"] or "").replace("T", " ")[:16]),
                               (_("Closed at"), (d["closed_at"] or "").replace("T", " ")[:16]),
                               (_("Verified by"), n["verifier"]),
                               (_("On time"), (_("yes") if d["closed_at"] and d["deadline"] and
                                               d["closed_at"][:10] <= d["deadline"] else _("no"))
                                if d["closed_at"] else "—")]
    out += [heading(p, _("Defect and rectification")), kv_table(loop, [22 * mm, 65 * mm, 22 * mm, 65 * mm]),
            Spacer(1, 1.5 * mm),
            kv_table([(_("Description"), d["description"]), (_("What was done"), d["rectification_note"])],
                     [22 * mm, WIDTH - 22 * mm], columns=1)]
    out.append(heading(p, _("Photos before and after")))
    if not n["pairs"]:
        out.append(para(_("No photos."), s.body))
    fields = _fields(n)
    header = [para(_("Before"), s.cell_h), para(_("After"), s.cell_h)]
    for pair in n["pairs"]:
        cells = []
        for photo in (pair["before"], pair["after"]):
            if photo is None:
                cells.append(para(_("no photo"), s.cell_c))
            else:
                cells.append(photo_grid(p, [photo], fields, {d["item"]: n["item_title"]}, width=WIDTH / 2,
                                        columns=1, box_h=58 * mm))
        table = Table([header, cells], colWidths=[WIDTH / 2] * 2)
        table.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), FONT, 8), ("GRID", (0, 0), (-1, -1), 0.4, RULE),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#E8EEF5"))]))
        out += [KeepTogether([table]), Spacer(1, 3 * mm)]
    out += _issuer_block(p, day)
    return out


def _checked_ids(p: Printer, defect_ids: Iterable[str]) -> list[str]:
    ids = list(defect_ids)
    for defect_id in ids:
        data.defect_notice(p.conn, defect_id)  # NotFound before any file is made
    if not ids:
        raise ValidationError("No defects to put on a notice", where=Where(field="defect"))
    return ids


def write_notice(registry, defect_ids: Iterable[str] | str, out, options: ReportOptions | None = None,
                 unit: str | None = None) -> int:
    """Write one rectification notice for a defect (or several, e.g. all of a unit's) to ``out``."""
    options = options or ReportOptions()
    p = Printer(registry.read(), registry.path, options)
    ids = _checked_ids(p, [defect_ids] if isinstance(defect_ids, str) else defect_ids)
    section = Section(title=_("Rectification notice"))
    return write(out, options, _("Rectification notice") + (f" {unit}" if unit else ""),
                 section_parts([(section, lambda: notice_flowables(p, ids, section, unit))]),
                 subject=_("Rectification notice"), keywords=" ".join(ids))


def write_unit_notice(registry, unit: str, out, options: ReportOptions | None = None) -> int:
    """One notice listing every open defect a responsible unit must rectify."""
    ids = data.defects_of_unit(registry.read(), unit)
    if not ids:
        raise ValidationError("{unit} has no open defects", where=Where(field="responsible_unit"), unit=unit)
    return write_notice(registry, ids, out, options, unit=unit)


def write_closure(registry, defect_id: str, out, options: ReportOptions | None = None) -> int:
    options = options or ReportOptions()
    p = Printer(registry.read(), registry.path, options)
    _checked_ids(p, [defect_id])
    section = Section(title=_("Rectification closure record"))
    return write(out, options, _("Rectification closure record"),
                 section_parts([(section, lambda: closure_flowables(p, defect_id, section))]),
                 subject=_("Rectification closure record"), keywords=defect_id)


__all__ = ["write_notice", "write_unit_notice", "write_closure", "date"]
