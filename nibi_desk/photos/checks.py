"""Plausibility checks of a photo against its inspection: taken at another time, or somewhere else than the asset.

Pure functions: each returns a :class:`Finding` (a code for programs, a template + params for people, the measured
value) or None when there is nothing to say. The inspection stores findings as JSON (``Finding.to_dict()``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from nibi_desk.domain import coords
from nibi_desk.i18n import N_
from nibi_desk.photos.exif import PhotoInfo
from nibi_desk.photos.reasons import Reason

DEFAULT_MAX_TIME_DIFFERENCE = timedelta(hours=2)
DEFAULT_MAX_DISTANCE_M = 100.0

TIME_FAR = "photo_time_far"
TIME_UNKNOWN = "photo_time_unknown"
POSITION_FAR = "photo_position_far"
POSITION_UNKNOWN = "photo_position_unknown"

F_BEFORE = N_("The photo was taken {hours} h before the inspection (more than {limit_hours} h)")
F_AFTER = N_("The photo was taken {hours} h after the inspection (more than {limit_hours} h)")
F_TIME_UNKNOWN = N_("The photo has no usable time, so it cannot be matched to the inspection time")
F_FAR = N_("The photo was taken {distance_m} m from the asset (more than {limit_m} m)")
F_POSITION_UNKNOWN = N_("The photo has no usable position, so it cannot be matched to the asset's location")


@dataclass
class Finding(Reason):
    """A reason with a machine-readable ``code`` and the measured ``value`` (a timedelta, metres or None)."""

    code: str = ""
    value: Any = None

    def to_dict(self) -> dict[str, Any]:
        data = super().to_dict()
        data["code"] = self.code
        data["value"] = self.value.total_seconds() if isinstance(self.value, timedelta) else self.value
        return data


def _hours(delta: timedelta) -> str:
    return f"{abs(delta.total_seconds()) / 3600:.1f}"


def time_difference(photo_time: datetime, inspection_time: datetime) -> tuple[timedelta, bool]:
    """(photo − inspection, whether a zone was assumed). A naive EXIF time is camera-local time: it is read in the
    inspection's zone (and a naive inspection time in the photo's), which is right when the camera's clock was set
    to local time, the common case."""
    aware_photo, aware_inspection = photo_time.utcoffset() is not None, inspection_time.utcoffset() is not None
    if aware_photo == aware_inspection:
        return photo_time - inspection_time, False
    if aware_inspection:
        return photo_time.replace(tzinfo=inspection_time.tzinfo) - inspection_time, True
    return photo_time - inspection_time.replace(tzinfo=photo_time.tzinfo), True


def check_time(photo_time: datetime | None, inspection_time: datetime,
               limit: timedelta = DEFAULT_MAX_TIME_DIFFERENCE) -> Finding | None:
    """A finding when the photo's time is more than ``limit`` away from the inspection's (``value`` is the signed
    difference photo − inspection), or when the photo has no time at all."""
    if photo_time is None:
        return Finding(F_TIME_UNKNOWN, {}, code=TIME_UNKNOWN)
    difference, assumed = time_difference(photo_time, inspection_time)
    if abs(difference) <= limit:
        return None
    params = {"hours": _hours(difference), "limit_hours": f"{limit.total_seconds() / 3600:g}",
              "difference_s": difference.total_seconds(), "zone_assumed": assumed}
    return Finding(F_BEFORE if difference < timedelta(0) else F_AFTER, params, code=TIME_FAR, value=difference)


def check_position(photo_lon: float | None, photo_lat: float | None, asset_lon: float | None,
                   asset_lat: float | None, limit_m: float = DEFAULT_MAX_DISTANCE_M) -> Finding | None:
    """A finding when the photo was taken more than ``limit_m`` metres (haversine) from the asset (``value`` is
    the distance), or when the photo has no position. An asset without a position is nothing to check against."""
    if asset_lon is None or asset_lat is None:
        return None
    if photo_lon is None or photo_lat is None:
        return Finding(F_POSITION_UNKNOWN, {}, code=POSITION_UNKNOWN)
    distance = coords.haversine_m(photo_lon, photo_lat, asset_lon, asset_lat)
    if distance <= limit_m:
        return None
    params = {"distance_m": f"{distance:.0f}", "limit_m": f"{limit_m:g}"}
    return Finding(F_FAR, params, code=POSITION_FAR, value=distance)


def check_photo(info: PhotoInfo, inspection_time: datetime | None, asset_lon: float | None,
                asset_lat: float | None, max_time: timedelta = DEFAULT_MAX_TIME_DIFFERENCE,
                max_distance_m: float = DEFAULT_MAX_DISTANCE_M) -> list[Finding]:
    """Both checks for one photo read with :func:`nibi_desk.photos.exif.read_info`."""
    findings = []
    if inspection_time is not None:
        findings.append(check_time(info.taken_at, inspection_time, max_time))
    findings.append(check_position(info.lon, info.lat, asset_lon, asset_lat, max_distance_m))
    return [f for f in findings if f is not None]
