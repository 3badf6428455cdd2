"""Which ledger column holds which field: header-row detection and suggestions from Chinese and English headers."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from nibi_desk import paths
from nibi_desk.domain.asset_types import AssetType
from nibi_desk.errors import ImportFailed, Where

# Fields a column can be mapped to, besides "attrs.<key>" of the asset types. "village" refines "division" (the
# township); "lonlat" is one column holding both coordinates ("111.675, 32.385").
COMMON = ("type", "code", "name", "division", "village", "address", "lon", "lat", "lonlat", "alt", "status", "owner",
          "operator", "notes")
HEADER_SCAN = 30  # rows searched for the header (ledgers put titles, dates and merged group headers above it)
_STRIP = re.compile(r"[\s*:：#]+|[(（\[【][^)）\]】]*[)）\]】]")


@lru_cache(maxsize=1)
def vocabulary() -> dict:
    """db/reference/ledger_headers.json: header synonyms per field and value synonyms (data, not code)."""
    with open(paths.db_dir() / "reference" / "ledger_headers.json", encoding="utf-8") as f:
        return json.load(f)


def normalise(text: Any) -> str:
    """A header or value as compared: NFKC (full-width to half-width), lower case, no spaces, marks or brackets."""
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKC", str(text)).strip().lower()
    stripped = _STRIP.sub("", folded)
    return stripped or re.sub(r"\s+", "", folded)


@dataclass(frozen=True)
class Synonyms:
    exact: dict[str, str]                  # normalised header -> field
    preferred: frozenset[str]              # normalised headers that win over other exact ones
    contains: tuple[tuple[str, str], ...]  # (normalised fragment, field), longest first
    ignore: frozenset[str]


def synonyms(types: dict[str, AssetType]) -> Synonyms:
    """Header synonyms of the shipped table plus the labels of every attribute of ``types`` (zh, en and key)."""
    doc = vocabulary()
    exact: dict[str, str] = {}
    contains: list[tuple[str, str]] = []
    preferred = set()
    for name, entry in doc["fields"].items():
        for word in (*entry.get("preferred", ()), *entry.get("exact", ())):
            exact.setdefault(normalise(word), name)
        preferred.update(normalise(w) for w in entry.get("preferred", ()))
        contains.extend((normalise(w), name) for w in entry.get("contains", ()))
    for asset_type in types.values():
        for attribute in asset_type.attributes:
            name = f"attrs.{attribute.key}"
            labels = attribute.label.values() if isinstance(attribute.label, dict) else [attribute.label]
            for word in (*labels, attribute.key):
                exact.setdefault(normalise(word), name)
    contains.sort(key=lambda item: -len(item[0]))
    return Synonyms(exact, frozenset(preferred), tuple(contains),
                    frozenset(normalise(w) for w in doc.get("ignore", ())))


def match_header(text: Any, words: Synonyms) -> tuple[str, float] | None:
    """(field, score) for one header: 2 for a known header (2.5 for a preferred one), 1–1.5 for a header containing
    a known fragment."""
    key = normalise(text)
    if not key or key in words.ignore:
        return None
    if key in words.exact:
        return words.exact[key], 2.5 if key in words.preferred else 2.0
    for fragment, name in words.contains:
        if fragment and fragment in key:
            return name, 1.0 + 0.5 * len(fragment) / len(key)
    return None


def detect_header_row(rows: list[list[Any]], words: Synonyms) -> int:
    """0-based index of the row that looks most like the header (the most distinct fields recognised)."""
    best, best_score = 0, 0
    width = max((len(r) for r in rows[:HEADER_SCAN]), default=0)
    for index, row in enumerate(rows[:HEADER_SCAN]):
        if not any(match_header(c, words) for c in row if isinstance(c, str)):
            continue
        # Blank cells take the header above them, so the lower row of a two-row header (坐标 over 经度 | 纬度, the
        # other headers merged down) names every column and wins over the upper one.
        names = header_names(rows, index, width)
        fields = {m[0] for m in (match_header(n, words) for n in names) if m}
        if len(fields) > best_score:
            best, best_score = index, len(fields)
    return best


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def header_names(rows: list[list[Any]], header_index: int, width: int) -> list[str]:
    """The name of every column. A blank header cell takes the text above it (a header merged over two rows);
    a column without any header is named by its letter."""
    names = []
    for col in range(width):
        name = None
        for r in range(header_index, max(-1, header_index - 3), -1):
            row = rows[r] if r < len(rows) else []
            cell = row[col] if col < len(row) else None
            if cell not in (None, "") and str(cell).strip():
                name = " ".join(str(cell).split())
                break
        names.append(name or column_letter(col))
    return names


@dataclass
class Mapping:
    """How the rows of a table become asset fields."""

    header_row: int                                        # 1-based, as Excel shows it; data starts below
    headers: list[str]
    columns: dict[str, int] = field(default_factory=dict)  # field -> 0-based column
    constants: dict[str, Any] = field(default_factory=dict)  # field -> value for every row
    type_code: str | None = None                           # every row is of this type (else the "type" column)

    def column_of(self, name: str) -> int | None:
        return self.columns.get(name)

    def describe(self) -> dict[str, str]:
        return {name: self.headers[col] for name, col in sorted(self.columns.items(), key=lambda kv: kv[1])}


def suggest(rows: list[list[Any]], types: dict[str, AssetType], header_row: int | None = None,
            layout: str = "ledger") -> Mapping:
    """The suggested mapping: the header row (detected unless given, 1-based) and a field for each column."""
    words = synonyms(types)
    index = detect_header_row(rows, words) if header_row is None else header_row - 1
    if index < 0 or (rows and index >= len(rows)):
        raise ImportFailed("Header row {row} is outside the sheet (1–{rows})", where=Where(row=header_row),
                           row=header_row, rows=len(rows))
    width = max((len(r) for r in rows[: index + 1 + 50]), default=0)
    headers = header_names(rows, index, width)
    candidates = []
    for col in range(width):
        cell = rows[index][col] if index < len(rows) and col < len(rows[index]) else None
        found = match_header(cell if cell not in (None, "") else headers[col], words)
        if found:
            candidates.append((found[1], -col, found[0], col))
    columns: dict[str, int] = {}
    for _score, _neg, name, col in sorted(candidates, reverse=True):
        if name not in columns and col not in columns.values():
            columns[name] = col
    if "lon" in columns and "lat" in columns:
        columns.pop("lonlat", None)
    constants = {"attrs.site_type": "macro_tower"} if layout == "opencellid" else {}
    return Mapping(index + 1, headers, columns, constants)


def field_name(name: str, types: dict[str, AssetType]) -> str:
    """A field as given on the command line: a common field, "attrs.KEY" or a bare attribute KEY."""
    name = name.strip()
    if name in COMMON:
        return name
    key = name[6:] if name.startswith("attrs.") else name
    if any(t.attribute(key) for t in types.values()):
        return f"attrs.{key}"
    known = ", ".join(COMMON + tuple(sorted({a.key for t in types.values() for a in t.attributes})))
    raise ImportFailed("Unknown field {field}; fields: {known}", where=Where(field=name), field=name, known=known)


def column_index(spec: str, headers: list[str]) -> int:
    """A column given as its header text, its letter (A, B, ... AA) or its 1-based number."""
    text = spec.strip()
    for i, header in enumerate(headers):
        if header == text:
            return i
    wanted = normalise(text)
    matches = [i for i, header in enumerate(headers) if normalise(header) == wanted]
    if len(matches) == 1:
        return matches[0]
    if re.fullmatch(r"[A-Za-z]{1,3}", text):
        index = 0
        for ch in text.upper():
            index = index * 26 + ord(ch) - 64
        if index - 1 < len(headers):
            return index - 1
    if text.isdigit() and 1 <= int(text) <= len(headers):
        return int(text) - 1
    raise ImportFailed("No column {column}; the columns are {headers}", where=Where(field=spec), column=spec,
                       headers=", ".join(headers))


def override(mapping: Mapping, assignments: dict[str, str], types: dict[str, AssetType]) -> Mapping:
    """Apply FIELD=COLUMN choices (an empty COLUMN unmaps the field); a column is mapped to one field at most."""
    for name, spec in assignments.items():
        target = field_name(name, types)
        mapping.columns.pop(target, None)
        if spec.strip():
            col = column_index(spec, mapping.headers)
            for other, c in list(mapping.columns.items()):
                if c == col:
                    del mapping.columns[other]
            mapping.columns[target] = col
    if "lonlat" in assignments and assignments["lonlat"].strip():
        mapping.columns.pop("lon", None)
        mapping.columns.pop("lat", None)
    return mapping
