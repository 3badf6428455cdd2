"""Blocks shared by the printed documents: a run's Printer, title, headings, asset card, map snapshot, photo grid."""

from __future__ import annotations

import hashlib
import io
import sqlite3
from pathlib import Path
from typing import Callable

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table, TableStyle

from nibi_desk.domain import coords
from nibi_desk.i18n import _
from nibi_desk.photos.stamp import StampFields
from nibi_desk.photos.store import PhotoStore
from nibi_desk.photos.thumbs import write_atomic
from nibi_desk.reports import qr
from nibi_desk.reports.furniture import HEADER_RED, ReportOptions, kv_table, para, styles
from nibi_desk.reports.photos import JpegFlowable, PhotoCache, prepare_or_none
from nibi_desk.storage import assets as asset_rows

WIDTH = 174 * mm  # A4 portrait text width
MAP_SIZE = (960, 500)


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
    wide = [(_("Address"), asset.get("address")),
            (_("Coordinates"), coordinate_text(asset.get("lon"), asset.get("lat"))),
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
