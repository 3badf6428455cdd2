"""`nibi grid encode|decode`: BeiDou grid location codes (GB/T 39409) for one point or many from stdin."""

from __future__ import annotations

import sys

from nibi_desk.cli.main import add_common
from nibi_desk.i18n import _


def register(sub) -> None:
    p = sub.add_parser("grid", help=_("BeiDou grid location codes (GB/T 39409)"),
                       description=_("Encode points to BeiDou grid location codes, or decode codes to cells."))
    gsub = p.add_subparsers(dest="grid_command", metavar=_("action"))
    gsub.required = True

    q = gsub.add_parser("encode", help=_("encode a point, or 'lon lat' lines from stdin"),
                        description=_("Encode LON LAT (decimal or degrees-minutes-seconds), or read 'lon lat' "
                                      "lines from standard input and print one code per line."))
    q.add_argument("lon", nargs="?", help=_("longitude (WGS-84/CGCS2000)"))
    q.add_argument("lat", nargs="?", help=_("latitude (WGS-84/CGCS2000)"))
    q.add_argument("--level", type=int, default=10, help=_("level 1-10 (default 10, about 1.5 cm)"))
    add_common(q, db=False)
    q.set_defaults(handler=cmd_encode)

    q = gsub.add_parser("decode", help=_("decode a grid code to its cell"),
                        description=_("Print the cell (south-west and north-east corners, centre) of a code."))
    q.add_argument("code", nargs="?", help=_("grid code, or read codes line by line from stdin"))
    add_common(q, db=False)
    q.set_defaults(handler=cmd_decode)


def cmd_encode(args, out) -> int:
    from nibi_desk.domain import coords, grid

    if args.lon is not None:
        if args.lat is None:
            from nibi_desk.cli.main import CliError

            raise CliError("Give both LON and LAT, or neither to read lines from stdin")
        lon = coords.parse_coordinate_exact(args.lon, "lon")
        lat = coords.parse_coordinate_exact(args.lat, "lat")
        code = grid.encode(lon, lat, args.level)
        out.emit({"lon": args.lon, "lat": args.lat, "level": args.level, "code": code}, lambda r: r["code"])
        return 0
    codes = []
    for code in grid.encode_lines(sys.stdin, args.level):
        if out.as_json:
            codes.append(code)
        else:
            print(code)
    if out.as_json:
        out.emit(codes)
    return 0


def cmd_decode(args, out) -> int:
    from nibi_desk.domain import grid

    items = [args.code] if args.code else [line.strip() for line in sys.stdin if line.strip()]
    cells = []
    for code in items:
        cell = grid.decode(code)
        lon, lat = cell.center
        cells.append({"code": code, "level": cell.level, "west": str(cell.west), "south": str(cell.south),
                      "east": str(cell.east), "north": str(cell.north), "center_lon": lon, "center_lat": lat})
    out.emit(cells if len(cells) != 1 else cells[0], lambda r: "\n".join(
        f"{c['code']}  L{c['level']}  {c['west']},{c['south']} – {c['east']},{c['north']}  "
        f"({c['center_lon']:.8f}, {c['center_lat']:.8f})" for c in (r if isinstance(r, list) else [r])))
    return 0
