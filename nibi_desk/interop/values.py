"""Cleaning ledger cells into asset values: full-width text, codes Excel made numbers, swapped coordinates, names."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from nibi_desk.domain import coords
from nibi_desk.domain.asset_types import AssetType, Attribute
from nibi_desk.domain.assets import Extent
from nibi_desk.errors import Problem, ValidationError
from nibi_desk.i18n import N_
from nibi_desk.interop.mapping import Mapping, normalise, vocabulary
from nibi_desk.interop.readers import EXACT_INTEGER_LIMIT
from nibi_desk.storage import divisions

E_ID_LOST = N_("Excel turned the 20-digit ID into a number and lost digits ({value}); format the column as text "
               "and enter the ID again")
E_CODE_LOST = N_("Excel turned the code into a number and lost digits ({value}); format the column as text and enter "
                 "the code again")
E_DIVISION = N_("Unknown township or village {name}")
E_LONLAT = N_("Cannot split {value} into longitude and latitude")
F_SWAPPED = N_("longitude and latitude were swapped in the file; corrected")

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
# Full-width ASCII letters and digits (Ａ-Ｚ, ａ-ｚ, ０-９) and the ideographic space; free text keeps its Chinese
# punctuation (，（）) and only these are folded.
_FULLWIDTH_ALNUM = {cp: cp - 0xFEE0 for cp in list(range(0xFF10, 0xFF1A)) + list(range(0xFF21, 0xFF3B))
                    + list(range(0xFF41, 0xFF5B))}
_FULLWIDTH_ALNUM[0x3000] = 0x20
_SCIENTIFIC = re.compile(r"[+-]?\d+(?:\.\d*)?[eE][+-]?\d+|[+-]?\d+\.\d*")
_SPLIT_LIST = re.compile(r"[,，、;；/|+\s]+")
_SPLIT_LONLAT = re.compile(r"[,，;；/|]|\s{2,}")
_NUMBER_WITH_UNIT = re.compile(r"([-+]?\d+(?:\.\d+)?)\s*(?:m|米|min|分钟|Ω|欧|欧姆|个)?")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
# Anywhere in China (prcoords' box): used to spot swapped coordinates when the registry has no county extent.
CHINA = Extent(72.0, 0.83, 137.84, 55.83)


def text(value: Any) -> str | None:
    """Free text (names, addresses): invisible characters and surrounding spaces go, full-width letters and digits
    become ASCII; Chinese punctuation stays. None for an empty cell."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < EXACT_INTEGER_LIMIT:
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        value = value.isoformat()
    out = " ".join(str(value).translate(_INVISIBLE).translate(_FULLWIDTH_ALNUM).split())
    return out or None


def token(value: Any) -> str | None:
    """A short value compared with known words (status, type, enum values): NFKC, spaces removed."""
    cleaned = text(value)
    return unicodedata.normalize("NFKC", cleaned).strip() if cleaned else None


def code(value: Any, gb28181: bool) -> tuple[str | None, Problem | None]:
    """A business code from a cell. Numbers are codes only when exact: Excel keeps 15 significant digits, so a
    20-digit GB/T 28181 ID that became a number (or scientific-notation text) has lost digits for good."""
    if value is None or value == "":
        return None, None
    if isinstance(value, bool):
        return str(value), None
    if isinstance(value, float):
        if value.is_integer() and abs(value) < EXACT_INTEGER_LIMIT and not gb28181:
            return str(int(value)), None
        return None, Problem("code", E_ID_LOST if gb28181 else E_CODE_LOST, {"value": _shown(value)})
    if isinstance(value, int):
        return str(value), None
    cleaned = unicodedata.normalize("NFKC", str(value)).translate(_INVISIBLE).strip()
    if cleaned.startswith("'"):
        cleaned = cleaned[1:]
    if gb28181:
        cleaned = "".join(cleaned.split())  # digits grouped with spaces for reading
    if _SCIENTIFIC.fullmatch(cleaned.replace(" ", "")):
        mantissa = Decimal(cleaned.replace(" ", ""))
        exact = mantissa == mantissa.to_integral_value() and abs(mantissa) < EXACT_INTEGER_LIMIT
        if not exact or gb28181 or "e" in cleaned.lower():
            return None, Problem("code", E_ID_LOST if gb28181 else E_CODE_LOST, {"value": cleaned})
        cleaned = str(int(mantissa))
    return (cleaned or None), None


def _shown(value: float) -> str:
    return f"{value:.15G}" if abs(value) >= 1e15 else repr(value)


@dataclass
class Cleaned:
    values: dict[str, Any]
    problems: list[Problem] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)


class Cleaner:
    """Turns one row of cells into the values ``check_asset`` takes, with the problems only a ledger has."""

    def __init__(self, conn: sqlite3.Connection, county: str, types: dict[str, AssetType], extent: Extent | None):
        self.conn, self.county, self.types = conn, county, types
        self.extent = extent or CHINA
        doc = vocabulary()["values"]
        self._type_words = _words(doc["type"])
        for type_code, t in types.items():
            for word in (type_code, t.name_zh, t.name_en):
                self._type_words.setdefault(normalise(word), type_code)
        self._status_words = _words(doc["status"])
        self._operator_words = _words(doc["operator"])
        self._attr_words = {key: _words(mapping) for key, mapping in doc["attrs"].items()}
        self._divisions: dict[tuple[str, str | None], str | None] = {}

    # -- whole row ------------------------------------------------------------------------------------------------
    def row(self, cells: list[Any], mapping: Mapping) -> Cleaned:
        def cell(name: str) -> Any:
            if name in mapping.columns:
                col = mapping.columns[name]
                value = cells[col] if col < len(cells) else None
                if value is not None and (not isinstance(value, str) or value.strip()):
                    return value
                return None
            return mapping.constants.get(name)

        out = Cleaned({})
        type_code = mapping.type_code or self.type_of(cell("type"))
        out.values["type"] = type_code
        asset_type = self.types.get(type_code) if type_code else None
        gb = bool(asset_type and asset_type.code_rule.get("format") == "gb28181")
        value, problem = code(cell("code"), gb)
        out.values["code"] = value
        if problem:
            out.problems.append(problem)
            out.values.pop("code")
        for name in ("name", "address", "owner", "notes"):
            if name in mapping.columns or name in mapping.constants:
                out.values[name] = text(cell(name))
        if "alt" in mapping.columns or "alt" in mapping.constants:
            out.values["alt"] = token(cell("alt"))
        if "status" in mapping.columns or "status" in mapping.constants:
            raw = token(cell("status"))
            out.values["status"] = self._status_words.get(normalise(raw), raw) if raw else None
        if "operator" in mapping.columns or "operator" in mapping.constants:
            out.values["operator"] = self.operator(cell("operator"))
        self._division(cell("division"), cell("village"), mapping, out)
        self._location(cell, mapping, out)
        if asset_type is not None:
            attrs = {}
            for attribute in asset_type.attributes:
                name = f"attrs.{attribute.key}"
                if name in mapping.columns or name in mapping.constants:
                    attrs[attribute.key] = self.attribute(attribute, cell(name))
            out.values["attrs"] = {k: v for k, v in attrs.items() if v is not None}
        return out

    # -- single fields -------------------------------------------------------------------------------------------
    def type_of(self, value: Any) -> str | None:
        raw = token(value)
        if not raw:
            return None
        return self._type_words.get(normalise(raw), raw)

    def operator(self, value: Any) -> str | None:
        raw = text(value)
        if not raw:
            return None
        key = normalise(raw)
        if key in self._operator_words:
            return self._operator_words[key]
        for word, operator in self._operator_words.items():
            if len(word) >= 2 and word in key:
                return operator
        return raw

    def attribute(self, attribute: Attribute, value: Any) -> Any:
        if value is None:
            return None
        if attribute.kind == "date":
            if isinstance(value, (dt.datetime, dt.date)):
                return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
            match = _DATE.fullmatch(token(value) or "")
            return dt.date(*map(int, match.groups())).isoformat() if match else token(value)
        if attribute.kind in ("int", "float"):
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return int(value) if attribute.kind == "int" and float(value).is_integer() else value
            raw = token(value) or ""
            match = _NUMBER_WITH_UNIT.fullmatch(raw)
            if not match:
                return raw
            number = float(match.group(1))
            return int(number) if attribute.kind == "int" and number.is_integer() else number
        if attribute.kind == "bool":
            if isinstance(value, bool):
                return value
            raw = token(value) or ""
            return {"√": True, "✓": True, "✔": True, "×": False, "✗": False, "✘": False}.get(raw, raw)
        if attribute.kind == "enum":
            return self._enum(attribute, token(value))
        if attribute.kind == "multi":
            items = [self._enum(attribute, part) for part in _SPLIT_LIST.split(token(value) or "") if part]
            return items or None
        return text(value)

    def _enum(self, attribute: Attribute, raw: str | None) -> str | None:
        if not raw:
            return None
        if raw in attribute.values:
            return raw
        key = normalise(raw)
        for choice in attribute.values:
            labels = attribute.value_labels.get(choice, {})
            words = labels.values() if isinstance(labels, dict) else [labels]
            if key in {normalise(choice), *map(normalise, words)}:
                return choice
        return self._attr_words.get(attribute.key, {}).get(key, raw)

    def _division(self, township: Any, village: Any, mapping: Mapping, out: Cleaned) -> None:
        if not ({"division", "village"} & set(mapping.columns)) and "division" not in mapping.constants:
            return
        town = self._resolve(township, None) if township is not None else None
        if township is not None and town is None:
            out.problems.append(Problem("division", E_DIVISION, {"name": text(township)}))
            return
        if village is not None:
            found = self._resolve(village, town)
            if found is None:
                out.problems.append(Problem("division", E_DIVISION, {"name": text(village)}))
                return
            town = found
        out.values["division"] = town

    def _resolve(self, value: Any, parent: str | None) -> str | None:
        """A division code from a code or a name (ledgers write 孟楼镇, 孟楼 or 光化街道办事处)."""
        raw = token(value)
        if not raw:
            return None
        if raw.isdigit():
            return raw
        key = (raw, parent)
        if key not in self._divisions:
            self._divisions[key] = self._lookup(raw, parent)
        return self._divisions[key]

    def _lookup(self, name: str, parent: str | None) -> str | None:
        if parent:
            row = self.conn.execute("SELECT code FROM divisions WHERE name = ? AND parent = ?",
                                    (name, divisions.normalize_code(parent))).fetchone()
            if row:
                return row[0]
        code12 = divisions.resolve_name(self.conn, name, self.county)
        if code12:
            return code12
        bare = re.sub(r"(办事处|人民政府|政府)$", "", name)
        for candidate in (bare, bare + "镇", bare + "乡", bare + "街道"):
            code12 = divisions.resolve_name(self.conn, candidate, self.county)
            if code12:
                return code12
        return None

    def _location(self, cell, mapping: Mapping, out: Cleaned) -> None:
        if "lonlat" in mapping.columns:
            raw = cell("lonlat")
            if raw is None:
                lon = lat = None
            else:
                parts = [p for p in _SPLIT_LONLAT.split(text(raw) or "") if p.strip()]
                if len(parts) != 2:
                    parts = (text(raw) or "").split()
                if len(parts) != 2:
                    out.problems.append(Problem("lon", E_LONLAT, {"value": text(raw)}))
                    return
                lon, lat = (p.strip() for p in parts)
        elif "lon" in mapping.columns or "lat" in mapping.columns:
            lon, lat = cell("lon"), cell("lat")
        else:
            return
        if lon is not None and lat is not None and self._swapped(lon, lat):
            lon, lat = lat, lon
            out.findings.append(F_SWAPPED)
        out.values["lon"], out.values["lat"] = _coordinate(lon), _coordinate(lat)

    def _swapped(self, lon: Any, lat: Any) -> bool:
        """Whether the two values only make sense the other way round (inside the county, or China)."""
        def place(x, y):
            try:
                return float(coords.parse_coordinate_exact(_coordinate(x), "lon")), float(
                    coords.parse_coordinate_exact(_coordinate(y), "lat"))
            except ValidationError:
                return None

        given = place(lon, lat)
        if given is not None and self.extent.contains(*given):
            return False
        other = place(lat, lon)
        return other is not None and self.extent.contains(*other)


def _coordinate(value: Any) -> Any:
    if value is None or isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return text(value)


def _words(mapping: dict[str, list[str]]) -> dict[str, str]:
    return {normalise(word): target for target, words in mapping.items() for word in (target, *words)}
