"""`nibi photos info`: what each photo file says (position, time, orientation, camera) and why anything is missing."""

from __future__ import annotations

from pathlib import Path

from nibi_desk.cli.main import add_common
from nibi_desk.i18n import N_, _

# Printed in this order, under these titles (translated when shown).
TITLES = {"lat": N_("latitude"), "lon": N_("longitude"), "alt": N_("altitude"), "taken_at": N_("time taken"),
          "orientation": N_("orientation"), "make": N_("camera make"), "model": N_("camera model"),
          "width": N_("width"), "height": N_("height")}


def register(sub) -> None:
    p = sub.add_parser("photos", help=_("inspection photos: EXIF position, time and orientation"),
                       description=_("Work with inspection photos."))
    psub = p.add_subparsers(dest="photos_command", metavar=_("action"))
    psub.required = True

    q = psub.add_parser("info", help=_("show what photo files say about themselves"),
                        description=_("Print each photo's GPS position, altitude, time (with its time-zone offset "
                                      "when recorded), orientation, camera make and model, and the reason for "
                                      "every field that is missing."))
    q.add_argument("files", nargs="+", type=Path, metavar="FILE", help=_("photo files (JPEG)"))
    add_common(q, db=False)
    q.set_defaults(handler=cmd_info)


def cmd_info(args, out) -> int:
    from nibi_desk.photos.exif import read_info

    reports = []
    for path in args.files:
        info = read_info(path)
        data = info.to_dict()
        data["file"] = str(path)
        data["taken"] = info.taken_text
        reports.append((path, info, data))
    if out.as_json:
        out.emit([data for _path, _info, data in reports])
    else:
        out.emit(reports, lambda rs: "\n\n".join(_describe(p, i) for p, i, _d in rs))
    return 0


def _value(info, name: str) -> str | None:
    from nibi_desk.domain.coords import format_dms

    value = getattr(info, name)
    if value is None:
        return None
    if name in ("lat", "lon"):
        return f"{value:.7f}  ({format_dms(value, name)})"
    if name == "alt":
        return _("{metres} m").format(metres=f"{value:.1f}")
    if name == "taken_at":
        source = info.taken_source or ""
        return f"{info.taken_text}  [{source}]" if source else info.taken_text
    return str(value)


def _describe(path: Path, info) -> str:
    """Values first, then one line per distinct reason naming every field it explains (a photo without EXIF
    would otherwise repeat "no EXIF block" seven times)."""
    lines = [str(path)]
    missing: dict[str, list[str]] = {}
    for name, title in TITLES.items():
        value = _value(info, name)
        if value is not None:
            lines.append("  " + _("{field}: {value}").format(field=_(title), value=value))
        elif name in info.missing:
            missing.setdefault(info.missing[name].message(), []).append(_(title))
    for reason, titles in missing.items():
        lines.append("  " + _("{field}: missing — {reason}").format(field=_(", ").join(titles), reason=reason))
    for problem in info.problems:
        if problem.message() not in missing:
            lines.append("  " + _("problem: {reason}").format(reason=problem.message()))
    return "\n".join(lines)
