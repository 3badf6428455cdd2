"""GB/T 28181 20-digit device and user IDs: parse, check against the shipped code table, describe in either language."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from nibi_desk import i18n, paths
from nibi_desk.errors import Problem, ResourceMissing, ValidationError, Where
from nibi_desk.i18n import N_, _

FIELD = "gb28181_id"
LENGTH = 20
CAMERA_TYPES = frozenset({"131", "132"})  # 131 camera behind an encoder/DVR, 132 IP camera

# Fatal: the value cannot be a GB/T 28181 ID at all.
E_EMPTY = N_("GB/T 28181 ID is empty")
E_FLOAT = N_(
    "GB/T 28181 ID {value} arrived as a floating-point number (Excel scientific notation or a numeric cell): "
    "precision was lost, because 20 digits cannot survive a float. Format the column as text and enter the ID again"
)
E_CHARS = N_("GB/T 28181 ID {value} contains characters other than digits: {chars}")
E_LENGTH = N_("GB/T 28181 ID {value} has {length} digits; it must have exactly 20")
E_TYPE = N_("GB/T 28181 ID {value}: type code {code} (digits 11–13) is outside every range of the standard (111–999)")
E_COUNTY = N_("registry county code {county} must have 6 digits (GB/T 2260)")
E_TABLE = N_("GB/T 28181 code table not found: {path}")

# Findings: worth showing to the inspector, never a reason to refuse the record.
F_OTHER_COUNTY = N_("centre code {code} names another county than the registry's {county}")
F_ABOVE_COUNTY = N_("centre code {code} is a city- or province-level centre, not the registry's county {county}")
F_PROVINCE = N_("province code {code} (digits 1–2) is not a GB/T 2260 province")
F_INDUSTRY = N_("industry code {code} (digits 9–10) is not in the code table")
F_TYPE = N_("type code {code} is not listed in the code table (its range is {first}–{last})")
F_EXTENSION = N_("type code {code} is in the extension range 600–999, whose meaning each platform defines")

# Lines of the detail panel.
L_ID = N_("GB/T 28181 ID: {id}")
L_CENTRE = N_("Centre code: {centre} ({province}, county {county}, grassroots unit {unit})")
L_INDUSTRY = N_("Industry: {code} {label}")
L_TYPE = N_("Type: {code} {label} ({group})")
L_NETWORK = N_("Network: {code} {label}")
L_SERIAL = N_("Serial number: {serial}")
L_FINDING = N_("Note: {finding}")
NETWORK_BOTH = N_("{label_2016} (2016 edition) / {label_2022} (2022 edition)")
UNKNOWN = N_("unknown")
UNLISTED = N_("not in the code table")

# A spreadsheet that treated the ID as a number hands us "4.20682000013200E+19" or "42068200001320000000.0".
_FLOATISH = re.compile(r"[+-]?(?=\.?\d)\d*(?:\.\d*)?(?:[eE][+-]?\d+)?")
# Invisible characters that survive copying from web pages and Word, but are not whitespace to str.split().
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))


@lru_cache(maxsize=1)
def code_table() -> dict[str, Any]:
    """The code table shipped in db/reference/gb28181.json (loaded once)."""
    path = paths.db_dir() / "reference" / "gb28181.json"
    if not path.is_file():
        raise ResourceMissing(E_TABLE, path=str(path))
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def _group_of(type_code: str) -> dict[str, Any] | None:
    number = int(type_code)
    for group in code_table()["type_groups"]:
        if group["first"] <= number <= group["last"]:
            return group
    return None


def _pick(entry: dict[str, str] | None, default: str = UNKNOWN) -> str:
    """The label of a table entry in the current language (English for every language but Chinese)."""
    if not entry:
        return _(default)
    return entry["zh"] if i18n.language() == "zh_CN" else entry["en"]


@dataclass(frozen=True)
class DeviceId:
    """A parsed GB/T 28181 ID. Codes are fields; labels are properties so that they follow a language switch.

    ``province_code``, ``city_code`` and ``county_code`` are GB/T 2260 prefixes (2, 4 and 6 digits), ready to look
    up in the division tables; ``grassroots_unit`` is digits 7–8 ("00" when the centre has none).
    """

    raw: str
    id: str
    centre_code: str
    province_code: str
    city_code: str
    county_code: str
    grassroots_unit: str
    industry_code: str
    type_code: str
    type_group: str
    network_code: str
    serial: str
    registry_county: str | None = None
    # Kept as templates, rendered on access, so findings follow the language like errors do.
    problems: tuple[Problem, ...] = field(default=(), compare=False, repr=False)

    @property
    def is_camera(self) -> bool:
        return self.type_code in CAMERA_TYPES

    @property
    def findings(self) -> list[str]:
        return [p.message() for p in self.problems]

    @property
    def province_label(self) -> str:
        return _pick(code_table()["provinces"].get(self.province_code))

    @property
    def industry_label(self) -> str:
        return _pick(code_table()["industries"].get(self.industry_code))

    @property
    def type_label(self) -> str:
        return _pick(code_table()["types"].get(self.type_code), UNLISTED)

    @property
    def type_group_label(self) -> str:
        group = next(g for g in code_table()["type_groups"] if g["key"] == self.type_group)
        return _pick(group)

    @property
    def network_label_2016(self) -> str:
        return _pick(code_table()["networks"][self.network_code]["2016"])

    @property
    def network_label_2022(self) -> str | None:
        entry = code_table()["networks"][self.network_code]["2022"]
        return _pick(entry) if entry else None

    @property
    def network_label(self) -> str:
        # The ID does not say which edition of the standard its issuer followed, so show both when they differ.
        old, new = self.network_label_2016, self.network_label_2022
        if new is None or new == old:
            return old
        return _(NETWORK_BOTH).format(label_2016=old, label_2022=new)

    def labels(self) -> list[str]:
        """Human-readable lines for a detail panel, in the current language; findings last."""
        lines = [
            _(L_ID).format(id=self.id),
            _(L_CENTRE).format(centre=self.centre_code, province=self.province_label, county=self.county_code,
                               unit=self.grassroots_unit),
            _(L_INDUSTRY).format(code=self.industry_code, label=self.industry_label),
            _(L_TYPE).format(code=self.type_code, label=self.type_label, group=self.type_group_label),
            _(L_NETWORK).format(code=self.network_code, label=self.network_label),
            _(L_SERIAL).format(serial=self.serial),
        ]
        lines += [_(L_FINDING).format(finding=f) for f in self.findings]
        return lines


def _fail(template: str, **params: Any) -> ValidationError:
    return ValidationError(template, where=Where(field=FIELD), **params)


def normalise(device_id: str | int | float) -> str:
    """The 20 ASCII digits of an ID typed or pasted by a person; raises ValidationError when that is impossible."""
    if isinstance(device_id, bool):
        raise _fail(E_CHARS, value=repr(device_id), chars=repr(device_id))
    if isinstance(device_id, float):
        # openpyxl and pandas hand over numeric cells as floats: only 15-17 significant digits are left.
        raise _fail(E_FLOAT, value=repr(device_id))
    # NFKC turns full-width digits (０-９) and the ideographic space into ASCII; spaces typed to group digits go.
    text = unicodedata.normalize("NFKC", str(device_id)).translate(_INVISIBLE)
    text = "".join(text.split())
    if text.startswith("'"):
        text = text[1:]  # Excel's "store as text" apostrophe, when a cell is copied with it
    if not text:
        raise _fail(E_EMPTY)
    if _FLOATISH.fullmatch(text) and ("." in text or "e" in text.lower()):
        raise _fail(E_FLOAT, value=text)
    bad = "".join(dict.fromkeys(c for c in text if c not in "0123456789"))
    if bad:
        raise _fail(E_CHARS, value=text, chars=" ".join(bad))
    if len(text) != LENGTH:
        raise _fail(E_LENGTH, value=text, length=len(text))
    return text


def _normalise_county(county: str) -> str:
    code = "".join(unicodedata.normalize("NFKC", str(county)).split())
    if len(code) == 12 and code.isdigit():
        code = code[:6]  # a 12-digit statistical division code starts with the county's GB/T 2260 code
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        raise ValidationError(E_COUNTY, where=Where(field="county"), county=county)
    return code


def _findings(digits: str, county: str | None, group: dict[str, Any]) -> list[Problem]:
    table = code_table()
    found: list[Problem] = []
    if digits[:2] not in table["provinces"]:
        found.append(Problem(FIELD, F_PROVINCE, {"code": digits[:2]}))
    if county is not None and digits[:6] != county:
        # A city-level (420600xx) or province-level (420000xx) centre may legitimately register a county's
        # cameras: say so rather than calling it another county.
        above = (digits[4:6] == "00" and county.startswith(digits[:4])) or (
            digits[2:6] == "0000" and county.startswith(digits[:2]))
        template = F_ABOVE_COUNTY if above else F_OTHER_COUNTY
        found.append(Problem(FIELD, template, {"code": digits[:6], "county": county}))
    if digits[8:10] not in table["industries"]:
        found.append(Problem(FIELD, F_INDUSTRY, {"code": digits[8:10]}))
    type_code = digits[10:13]
    if group["key"] == "extension":
        found.append(Problem(FIELD, F_EXTENSION, {"code": type_code}))
    elif type_code not in table["types"]:
        found.append(Problem(FIELD, F_TYPE, {"code": type_code, "first": group["first"], "last": group["last"]}))
    return found


def parse(device_id: str | int | float, county: str | None = None) -> DeviceId:
    """Parse a GB/T 28181 ID; ``county`` (GB/T 2260, 6 digits) is the registry's county, compared as a finding.

    Raises ValidationError (field ``gb28181_id``) for a value that cannot be an ID: wrong length, non-digits,
    float/scientific notation, a type code below 111. Anything else odd is reported in ``findings``.
    """
    digits = normalise(device_id)
    county_code = _normalise_county(county) if county is not None else None
    group = _group_of(digits[10:13])
    if group is None:
        raise _fail(E_TYPE, value=digits, code=digits[10:13])
    return DeviceId(
        raw=str(device_id),
        id=digits,
        centre_code=digits[:8],
        province_code=digits[:2],
        city_code=digits[:4],
        county_code=digits[:6],
        grassroots_unit=digits[6:8],
        industry_code=digits[8:10],
        type_code=digits[10:13],
        type_group=group["key"],
        network_code=digits[13],
        serial=digits[14:],
        registry_county=county_code,
        problems=tuple(_findings(digits, county_code, group)),
    )


validate = parse


def describe(dev: DeviceId) -> str:
    """The detail-panel lines of ``dev`` as one text, in the current language."""
    return "\n".join(dev.labels())
