"""`nibi map snapshot|page`: a static map image of an asset or an area, and the interactive map page."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from nibi_desk.cli.main import CliError, add_common, open_registry
from nibi_desk.errors import NibiError, ValidationError, Where
from nibi_desk.i18n import _

MAX_MARKERS = 5000   # more would be a smear of symbols, and slow: a snapshot is for a street, not a county
MAX_LABELS = 15      # name the nearby assets only when there are few enough to read


def register(sub) -> None:
    p = sub.add_parser("map", help=_("map images and the interactive map page"),
                       description=_("Static map images of assets (no browser needed) and the offline map page."))
    msub = p.add_subparsers(dest="map_command", metavar=_("action"))
    msub.required = True

    q = msub.add_parser("snapshot", help=_("write a PNG map of an asset or an area"),
                        description=_("Draw an asset and the assets around it (--asset), or an area (--bbox), on an "
                                      "MBTiles basemap or a plain offline canvas, and write a PNG."))
    where = q.add_mutually_exclusive_group(required=True)
    where.add_argument("--asset", metavar="CODE_OR_ID", help=_("centre on this asset (id or business code)"))
    where.add_argument("--bbox", metavar="W,S,E,N", help=_("show this area (degrees west,south,east,north)"))
    q.add_argument("--radius", type=float, default=300.0,
                   help=_("metres shown around --asset on each side (default 300)"))
    q.add_argument("--inspector", metavar="LON,LAT",
                   help=_("inspector position: drawn with a dashed line and the distance to --asset"))
    q.add_argument("--basemap", type=Path, metavar="FILE.mbtiles", help=_("raster MBTiles basemap (optional)"))
    q.add_argument("--size", default="800x600", metavar="WxH", help=_("image size in pixels (default 800x600)"))
    q.add_argument("--out", type=Path, required=True, metavar="PNG", help=_("PNG file to write"))
    add_common(q)
    q.set_defaults(handler=cmd_snapshot)

    q = msub.add_parser("page", help=_("write the interactive offline map page"),
                        description=_("Write the interactive map page (HTML with its scripts) of the registry into "
                                      "a folder, to open in a browser without a network."))
    q.add_argument("--out", type=Path, required=True, metavar="DIR", help=_("folder to write the page into"))
    q.add_argument("--basemap", type=Path, metavar="FILE.mbtiles", help=_("raster MBTiles basemap (optional)"))
    add_common(q)
    q.set_defaults(handler=cmd_page)


def parse_size(text: str) -> tuple[int, int]:
    width, sep, height = text.lower().replace("×", "x").partition("x")
    try:
        size = (int(width), int(height)) if sep else None
    except ValueError:
        size = None
    if size is None or not (16 <= size[0] <= 10000 and 16 <= size[1] <= 10000):
        raise ValidationError("Image size {value} must be WIDTHxHEIGHT, 16 to 10000 pixels each",
                              where=Where(field="size"), value=text)
    return size


def parse_point(text: str) -> tuple[float, float]:
    from nibi_desk.domain import coords

    lon, sep, lat = text.replace("，", ",").partition(",")
    if not sep:
        raise ValidationError("Position {value} must be LON,LAT", where=Where(field="inspector"), value=text)
    return float(coords.parse_coordinate_exact(lon.strip(), "lon")), float(coords.parse_coordinate_exact(
        lat.strip(), "lat"))


def _marker(row: dict, label: bool):
    from nibi_desk.maps.overlay import Marker

    return Marker(row["lon"], row["lat"], row["type"], row.get("status"),
                  (row.get("name") or row.get("code")) if label else None, row.get("id"))


def save_png(image, out: Path) -> None:
    """Write next to the target, then rename: a reader never sees half a file, a failure leaves none behind."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            image.save(f, format="PNG", optimize=False)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def cmd_snapshot(args, out) -> int:
    from nibi_desk.maps import static
    from nibi_desk.maps.mbtiles import MBTiles
    from nibi_desk.maps.webmercator import BBox
    from nibi_desk.storage import assets

    size = parse_size(args.size)
    inspector = parse_point(args.inspector) if args.inspector else None
    if inspector is not None and not args.asset:
        raise CliError("--inspector needs --asset (the distance is measured to that asset)")
    if args.radius <= 0:
        raise ValidationError("Radius {value} must be a positive number of metres", where=Where(field="radius"),
                              value=args.radius)
    basemap = MBTiles(args.basemap) if args.basemap else None
    try:
        with open_registry(args) as registry:
            conn = registry.read()
            focus = None
            if args.asset:
                focus = assets.find(conn, args.asset)
                if focus.get("lon") is None or focus.get("lat") is None:
                    raise NibiError("Asset {key} has no position to draw", key=args.asset)
                view = static.make_view(center=(focus["lon"], focus["lat"]), radius_m=args.radius, size=size)
            else:
                view = static.make_view(BBox.parse(args.bbox), size=size)
            area = view.bbox
            rows = [r for r in assets.in_bbox(conn, area.west, area.south, area.east, area.north,
                                              limit=MAX_MARKERS + 1) if not focus or r["id"] != focus["id"]]
            label = len(rows) <= MAX_LABELS
            markers = [_marker(r, label) for r in rows[:MAX_MARKERS]]
            highlight = _marker(focus, True) if focus else None
            image = static.render(view=view, basemap=basemap, markers=markers, highlight=highlight,
                                  inspector=inspector)
    finally:
        if basemap is not None:
            basemap.close()
    save_png(image, args.out)
    result = {"path": str(args.out), "bbox": [round(v, 7) for v in area.as_tuple()],
              "zoom": round(view.zoom, 2), "tile_zoom": image.info.get("tile_zoom"),
              "size": list(size), "markers": len(markers) + (1 if highlight else 0),
              "asset": focus["id"] if focus else None, "basemap": str(args.basemap) if args.basemap else None}
    if len(rows) > MAX_MARKERS:
        result["markers_omitted"] = len(rows) - MAX_MARKERS
    out.emit(result, lambda r: _("Wrote {path} ({markers} assets, zoom {zoom})").format(**r))
    return 0


def cmd_page(args, out) -> int:
    try:
        from nibi_desk.maps.page import write_page
    except ModuleNotFoundError as e:
        if e.name not in ("nibi_desk.maps.page", "nibi_desk.maps"):
            raise
        raise NibiError("The interactive map page is not available in this build") from e
    from nibi_desk.maps.mbtiles import MBTiles

    basemap = MBTiles(args.basemap) if args.basemap else None
    try:
        with open_registry(args) as registry:
            result = write_page(registry, args.out, basemap=basemap)
    finally:
        if basemap is not None:
            basemap.close()
    path = str(result) if result is not None else str(args.out)
    out.emit({"path": path}, lambda r: _("Wrote the map page to {path}").format(**r))
    return 0
