"""Administrative divisions: statistical 12-digit codes (GB/T 2260 county + township + village) and their CSV files."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from nibi_desk.errors import ImportFailed, ValidationError, Where

COUNTY_COLUMNS = ["level", "code_gb2260", "code_12", "name", "parent_code", "province", "city", "county",
                  "township_type"]
VILLAGE_COLUMNS = ["code_12", "name", "township_code_9", "township_name", "county_code", "county_name"]
LEVELS = ("county", "township", "village")


@dataclass(frozen=True)
class Division:
    code: str            # always the 12-digit form
    level: str
    name: str
    parent: str | None   # 12-digit code of the parent division inside the registry (None for a county)
    county: str          # 6-digit county code
    township_type: str | None = None


def level_of(code12: str) -> str:
    if code12.endswith("000000"):
        return "county"
    if code12.endswith("000"):
        return "township"
    return "village"


def normalize_code(text: str, where: Where | None = None) -> str:
    """Accept a 6-, 9- or 12-digit division code and return the 12-digit form."""
    code = (text or "").strip()
    if not code.isdigit() or not code.isascii():
        raise ValidationError("Division code {code} must consist of digits", where=where, code=text)
    if len(code) == 6:
        return code + "000000"
    if len(code) == 9:
        return code + "000"
    if len(code) == 12:
        return code
    raise ValidationError("Division code {code} must have 6, 9 or 12 digits", where=where, code=text)


def parent_of(code12: str) -> str | None:
    level = level_of(code12)
    if level == "village":
        return code12[:9] + "000"
    if level == "township":
        return code12[:6] + "000000"
    return None


def township_type(code12: str) -> str:
    """The kind of township from its 3-digit number (statistical code rules)."""
    n = int(code12[6:9])
    return ("街道" if n < 100 else "镇" if n < 200 else "乡" if n < 400 else "开发区" if n < 500 else "农场/林场")


def _read_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFailed("{file} is neither UTF-8 nor GB18030 text", where=Where(file=path.name), file=path.name)
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise ImportFailed("The file is empty", where=Where(file=path.name))
    return [h.strip() for h in rows[0]], rows[1:]


def parse_file(path: Path | str) -> list[Division]:
    """Parse a division CSV in either official layout (county+township rows, or village rows).

    Every row is checked; the first bad row raises ImportFailed naming the file, row and field.
    """
    path = Path(path)
    header, rows = _read_rows(path)
    if header[: len(COUNTY_COLUMNS)] == COUNTY_COLUMNS:
        layout = "county"
    elif header[: len(VILLAGE_COLUMNS)] == VILLAGE_COLUMNS:
        layout = "village"
    else:
        raise ImportFailed(
            "Unrecognised columns {found}; expected {a} or {b}", where=Where(file=path.name, row=1),
            found=",".join(header), a=",".join(COUNTY_COLUMNS), b=",".join(VILLAGE_COLUMNS))
    divisions, seen = [], set()
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        width = len(COUNTY_COLUMNS if layout == "county" else VILLAGE_COLUMNS)
        if len(row) < width:
            raise ImportFailed("Row has {n} columns, expected {m}", where=Where(file=path.name, row=number),
                               n=len(row), m=width)
        try:
            division = _county_row(row) if layout == "county" else _village_row(row)
        except ValidationError as e:
            raise ImportFailed(e.template, where=Where(file=path.name, row=number, field=e.where.field),
                               **e.params) from e
        if division.code in seen:
            raise ImportFailed("Code {code} appears twice", where=Where(file=path.name, row=number, field="code_12"),
                               code=division.code)
        seen.add(division.code)
        divisions.append(division)
    return divisions


def _county_row(row: list[str]) -> Division:
    level, code_6, code_12, name, parent_code = (c.strip() for c in row[:5])
    township_kind = row[8].strip() or None
    if level not in ("county", "township"):
        raise ValidationError("Level {level} is not county or township", where=Where(field="level"), level=level)
    code = normalize_code(code_12, Where(field="code_12"))
    if level_of(code) != level:
        raise ValidationError("Code {code} is not a {level} code", where=Where(field="code_12"), code=code,
                              level=level)
    if not name:
        raise ValidationError("Name is empty", where=Where(field="name"))
    if level == "county":
        if code_6 and code_6 != code[:6]:
            raise ValidationError("code_gb2260 {a} does not match code_12 {b}", where=Where(field="code_gb2260"),
                                  a=code_6, b=code)
        return Division(code, "county", name, None, code[:6])
    if parent_code and normalize_code(parent_code, Where(field="parent_code")) != parent_of(code):
        raise ValidationError("Parent {parent} does not contain {code}", where=Where(field="parent_code"),
                              parent=parent_code, code=code)
    return Division(code, "township", name, parent_of(code), code[:6], township_kind or township_type(code))


def _village_row(row: list[str]) -> Division:
    code_12, name, township_9, _township_name, county_code = (c.strip() for c in row[:5])
    code = normalize_code(code_12, Where(field="code_12"))
    if level_of(code) != "village":
        raise ValidationError("Code {code} is not a village code", where=Where(field="code_12"), code=code)
    if not name:
        raise ValidationError("Name is empty", where=Where(field="name"))
    if township_9 and township_9 != code[:9]:
        raise ValidationError("Township {township} does not contain {code}", where=Where(field="township_code_9"),
                              township=township_9, code=code)
    if county_code and county_code != code[:6]:
        raise ValidationError("County {county} does not contain {code}", where=Where(field="county_code"),
                              county=county_code, code=code)
    return Division(code, "village", name, parent_of(code), code[:6])
