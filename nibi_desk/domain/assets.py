"""Asset records: the common fields, their validation (every problem at once) and derived values (grid code)."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable

from nibi_desk.domain import coords, gb28181, grid
from nibi_desk.domain.asset_types import AssetType
from nibi_desk.errors import Problem, RecordInvalid, ValidationError
from nibi_desk.i18n import N_

COMMON_FIELDS = ("type", "code", "name", "division", "address", "lon", "lat", "alt", "status", "owner", "operator",
                 "notes", "attrs")
STATUSES = {
    "planned": N_("Planned"),
    "under_construction": N_("Under construction"),
    "in_service": N_("In service"),
    "faulty": N_("Faulty"),
    "decommissioned": N_("Decommissioned"),
}
OPERATORS = ("中国移动", "中国电信", "中国联通", "中国广电", "中国铁塔")
MAX_TEXT = 500


@dataclass
class Extent:
    west: float
    south: float
    east: float
    north: float

    def contains(self, lon: float, lat: float) -> bool:
        return self.west <= lon <= self.east and self.south <= lat <= self.north


@dataclass
class Checked:
    """A validated record ready to write, and non-fatal findings worth showing (e.g. a camera of another county)."""

    values: dict[str, Any]
    findings: list[str] = field(default_factory=list)


def check_asset(values: dict[str, Any], *, types: dict[str, AssetType], county: str, extent: Extent | None,
                division_check: Callable[[str], str], crs: str = "WGS84", partial: bool = False) -> Checked:
    """Validate and normalise asset fields. With ``partial`` only the given fields are checked (an edit).

    Coordinates may be numbers or text (decimal or degrees-minutes-seconds) in WGS-84/CGCS2000, GCJ-02 or BD-09;
    they are stored as WGS-84 and the BeiDou grid code is derived from them with exact arithmetic (a DMS value
    such as 32°23′ is a Fraction, so a point on a cell boundary lands in the right cell).
    """
    problems: list[Problem] = []
    out: dict[str, Any] = {}
    findings: list[str] = []
    unknown = set(values) - set(COMMON_FIELDS)
    for key in sorted(unknown):
        problems.append(Problem(key, "Unknown field {field}", {"field": key}))

    type_code = values.get("type")
    asset_type = types.get(type_code) if type_code else None
    if not partial or "type" in values:
        if asset_type is None:
            problems.append(Problem("type", "Unknown asset type {type}; known types: {known}",
                                    {"type": type_code, "known": ", ".join(types)}))
        else:
            out["type"] = type_code

    if not partial or "name" in values:
        name = (values.get("name") or "").strip()
        if not name:
            problems.append(Problem("name", "Name is required", {}))
        elif len(name) > 200:
            problems.append(Problem("name", "Name is longer than {n} characters", {"n": 200}))
        else:
            out["name"] = name

    if "code" in values or not partial:
        code = values.get("code")
        code = str(code).strip() if code not in (None, "") else None
        if code and asset_type is not None:
            if asset_type.code_rule.get("format") == "gb28181":
                try:
                    device = gb28181.parse(code, county=county)
                    code = device.id  # the normalised 20 digits, whatever was typed
                    findings.extend(device.findings)
                except ValidationError as e:
                    problems.append(Problem("code", e.template, e.params))
            else:
                problem = asset_type.check_code(code)
                if problem:
                    problems.append(problem)
        out["code"] = code

    if "division" in values or not partial:
        division = values.get("division")
        if division:
            try:
                out["division"] = division_check(str(division))
            except ValidationError as e:
                problems.append(Problem("division", e.template, e.params))
        else:
            out["division"] = None

    for key in ("address", "owner", "operator", "notes"):
        if key in values or not partial:
            text = values.get(key)
            text = str(text).strip() if text not in (None, "") else None
            if text and len(text) > MAX_TEXT:
                problems.append(Problem(key, "Text is longer than {n} characters", {"n": MAX_TEXT}))
            out[key] = text

    if "status" in values or not partial:
        status = values.get("status") or "in_service"
        if status not in STATUSES:
            problems.append(Problem("status", "Unknown status {status}; choose one of {choices}",
                                    {"status": status, "choices": ", ".join(STATUSES)}))
        out["status"] = status

    if "lon" in values or "lat" in values or not partial:
        _check_location(values, out, problems, extent, crs)

    if "alt" in values:
        alt = values.get("alt")
        try:
            out["alt"] = None if alt in (None, "") else float(alt)
            if out["alt"] is not None and not -500 <= out["alt"] <= 9000:
                problems.append(Problem("alt", "Altitude {alt} m is not plausible", {"alt": alt}))
        except (TypeError, ValueError):
            problems.append(Problem("alt", "Altitude {alt} is not a number", {"alt": alt}))

    if "attrs" in values or not partial:
        attrs = values.get("attrs") or {}
        if asset_type is not None:
            if not isinstance(attrs, dict):
                problems.append(Problem("attrs", "Attributes must be an object", {}))
            else:
                normalised, attr_problems = asset_type.check_attrs(attrs)
                problems.extend(attr_problems)
                out["attrs"] = normalised

    if problems:
        raise RecordInvalid(problems)
    return Checked(out, findings)


def _check_location(values, out, problems, extent, crs) -> None:
    lon_in, lat_in = values.get("lon"), values.get("lat")
    if lon_in in (None, "") and lat_in in (None, ""):
        out.update(lon=None, lat=None, grid_code=None)
        return
    parsed: dict[str, Fraction] = {}
    for axis, raw in (("lon", lon_in), ("lat", lat_in)):
        if raw in (None, ""):
            problems.append(Problem(axis, "Both longitude and latitude are needed", {}))
            continue
        try:
            parsed[axis] = coords.parse_coordinate_exact(raw if isinstance(raw, (int, float)) else str(raw), axis)
        except ValidationError as e:
            problems.append(Problem(axis, e.template, e.params))
    if len(parsed) != 2:
        return
    lon, lat = parsed["lon"], parsed["lat"]
    try:
        if crs.upper() not in ("WGS84", "CGCS2000"):
            lon_f, lat_f = coords.to_wgs84(float(lon), float(lat), crs)
            lon, lat = Fraction(repr(round(lon_f, 9))), Fraction(repr(round(lat_f, 9)))
    except ValidationError as e:
        problems.append(Problem("lon", e.template, e.params))
        return
    if extent is not None and not extent.contains(float(lon), float(lat)):
        problems.append(Problem("lon", "Location {lon}, {lat} is outside the county (extent {w}–{e} E, {s}–{n} N)",
                                {"lon": float(lon), "lat": float(lat), "w": extent.west, "e": extent.east,
                                 "s": extent.south, "n": extent.north}))
        return
    try:
        out["grid_code"] = grid.encode(lon, lat, 10)
    except ValidationError as e:
        problems.append(Problem("lat", e.template, e.params))
        return
    out["lon"], out["lat"] = float(lon), float(lat)
