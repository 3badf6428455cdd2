"""Reading ledger files as rows of cells: .xlsx (openpyxl), .xls (xlrd), .csv in UTF-8 or GB18030, OpenCelliD cells."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nibi_desk.errors import ImportFailed, Where

EXCEL = (".xlsx", ".xlsm")
LEGACY_EXCEL = (".xls",)
TEXT = (".csv", ".txt", ".tsv")
SUPPORTED = EXCEL + LEGACY_EXCEL + TEXT
ENCODINGS = ("utf-8-sig", "gb18030")  # utf-8-sig reads plain UTF-8 too; GB18030 is a superset of GBK and GB2312

# Excel keeps 15 significant digits: an integral number below this is exact, a larger one may have lost digits.
EXACT_INTEGER_LIMIT = 10 ** 15

# The OpenCelliD / Mozilla Location Service cell export (../shared/data/standards/opencellid_format_and_samples.csv).
OPENCELLID_COLUMNS = ["radio", "mcc", "net", "area", "cell", "unit", "lon", "lat", "range", "samples", "changeable",
                      "created", "updated", "averageSignal"]
RADIOS = {"GSM", "UMTS", "LTE", "NR", "CDMA"}
# Chinese mobile network codes (MCC 460) and their operators.
CHINA_MNC = {"0": "中国移动", "2": "中国移动", "4": "中国移动", "7": "中国移动", "8": "中国移动",
             "1": "中国联通", "6": "中国联通", "9": "中国联通", "3": "中国电信", "5": "中国电信", "11": "中国电信",
             "15": "中国广电"}
# Columns derived from an OpenCelliD row, appended after its own columns; their headers are ledger headers that
# the mapping recognises, so a cell export goes through the same mapping and validation as any ledger.
OPENCELLID_DERIVED = ["站址编码", "名称", "运营商", "类型", "备注"]


@dataclass
class Table:
    """One sheet of a ledger: every row as read (row 1 of the sheet is ``rows[0]``), cells as Python values."""

    file: str
    sheet: str
    rows: list[list[Any]]
    layout: str = "ledger"          # "ledger" or "opencellid"
    source_width: int | None = None  # columns of the file itself when derived columns were appended
    encoding: str | None = None
    sheets: list[str] = field(default_factory=list)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def original(self, index: int) -> list[Any]:
        """Row ``index`` (0-based) as it is in the file (without derived columns)."""
        row = self.rows[index]
        return row[: self.source_width] if self.source_width is not None else row


def kind_of(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in EXCEL:
        return "xlsx"
    if suffix in LEGACY_EXCEL:
        return "xls"
    if suffix in TEXT:
        return "csv"
    raise ImportFailed("{file}: unsupported file type {suffix}; use .xlsx, .xls or .csv", where=Where(file=path.name),
                       file=path.name, suffix=suffix or "—")


def sheet_names(path: Path | str) -> list[str]:
    path = Path(path)
    kind = kind_of(path)
    _exists(path)
    if kind == "xlsx":
        wb = _open_xlsx(path)
        try:
            return list(wb.sheetnames)
        finally:
            wb.close()
    if kind == "xls":
        return list(_open_xls(path).sheet_names())
    return [path.stem]


def read_table(path: Path | str, sheet: str | None = None, limit: int | None = None) -> Table:
    """The rows of one sheet (the first when ``sheet`` is None); at most ``limit`` rows (a preview)."""
    path = Path(path)
    kind = kind_of(path)
    _exists(path)
    if kind == "xlsx":
        table = _read_xlsx(path, sheet, limit)
    elif kind == "xls":
        table = _read_xls(path, sheet, limit)
    else:
        table = _read_csv(path, limit)
    _detect_opencellid(table)
    return table


def _exists(path: Path) -> None:
    if not path.is_file():
        raise ImportFailed("No file at {path}", where=Where(file=path.name), path=str(path))


def _open_xlsx(path: Path):
    import openpyxl

    try:
        # Read-only mode streams the sheet (a 100k-row ledger never sits in memory as cell objects); data_only
        # gives the values Excel last computed instead of formulas.
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as e:  # zipfile.BadZipFile, KeyError, InvalidFileException...: all mean "not a workbook"
        raise ImportFailed("{file} cannot be read as an Excel workbook: {reason}", where=Where(file=path.name),
                           file=path.name, reason=str(e) or type(e).__name__) from e


def _pick_sheet(names: list[str], sheet: str | None, path: Path) -> str:
    if sheet is None:
        return names[0]
    if sheet in names:
        return sheet
    raise ImportFailed("{file} has no sheet {sheet}; its sheets are {sheets}", where=Where(file=path.name),
                       file=path.name, sheet=sheet, sheets=", ".join(names))


def _read_xlsx(path: Path, sheet: str | None, limit: int | None) -> Table:
    wb = _open_xlsx(path)
    try:
        names = list(wb.sheetnames)
        name = _pick_sheet(names, sheet, path)
        rows = []
        for values in wb[name].iter_rows(values_only=True):
            rows.append(list(values))
            if limit is not None and len(rows) >= limit:
                break
    finally:
        wb.close()
    return Table(path.name, name, rows, sheets=names)


def _open_xls(path: Path):
    import xlrd

    try:
        return xlrd.open_workbook(str(path), on_demand=True)
    except Exception as e:
        raise ImportFailed("{file} cannot be read as an Excel 97-2003 workbook: {reason}", where=Where(file=path.name),
                           file=path.name, reason=str(e) or type(e).__name__) from e


def _read_xls(path: Path, sheet: str | None, limit: int | None) -> Table:
    import xlrd

    book = _open_xls(path)
    try:
        names = list(book.sheet_names())
        name = _pick_sheet(names, sheet, path)
        ws = book.sheet_by_name(name)
        rows = []
        for r in range(ws.nrows if limit is None else min(ws.nrows, limit)):
            row = []
            for cell in ws.row(r):
                if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                    row.append(None)
                elif cell.ctype == xlrd.XL_CELL_DATE:
                    row.append(xlrd.xldate_as_datetime(cell.value, book.datemode))
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    row.append(bool(cell.value))
                elif cell.ctype == xlrd.XL_CELL_NUMBER:
                    # .xls stores every number as a double; whole numbers come back as int, like openpyxl's.
                    value = cell.value
                    row.append(int(value) if value.is_integer() and abs(value) < EXACT_INTEGER_LIMIT else value)
                else:
                    row.append(cell.value)
            rows.append(row)
    finally:
        book.release_resources()
    return Table(path.name, name, rows, sheets=names)


def decode(raw: bytes, file: str) -> tuple[str, str]:
    """Text and encoding of a CSV file: UTF-8 (with or without BOM), else GB18030."""
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise ImportFailed("{file} is neither UTF-8 nor GB18030 text", where=Where(file=file), file=file)


def _read_csv(path: Path, limit: int | None) -> Table:
    text, encoding = decode(path.read_bytes(), path.name)
    sample = text[:65536]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = "\t" if path.suffix.lower() == ".tsv" else ","
    rows = []
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        rows.append([cell if cell != "" else None for cell in row])
        if limit is not None and len(rows) >= limit:
            break
    return Table(path.name, path.stem, rows, encoding=encoding, sheets=[path.stem])


# -- OpenCelliD / MLS ---------------------------------------------------------------------------------------------
def _is_opencellid_row(row: list[Any]) -> bool:
    cells = [str(c).strip() if c is not None else "" for c in row]
    return (len(cells) >= 10 and cells[0].upper() in RADIOS and cells[1].isdigit() and len(cells[1]) == 3
            and cells[2].isdigit())


def _detect_opencellid(table: Table) -> None:
    if not table.rows:
        return
    first = [str(c).strip().lower() if c is not None else "" for c in table.rows[0]]
    with_header = first[:10] == [c.lower() for c in OPENCELLID_COLUMNS[:10]]
    if not with_header and not _is_opencellid_row(table.rows[0]):
        return
    if not with_header:  # the full exports have no header line
        table.rows.insert(0, list(OPENCELLID_COLUMNS[: table.width]))
    width = max(len(OPENCELLID_COLUMNS), table.width)
    table.layout, table.source_width = "opencellid", width
    table.rows[0] = _pad(table.rows[0], width) + OPENCELLID_DERIVED
    for i in range(1, len(table.rows)):
        row = _pad(table.rows[i], width)
        table.rows[i] = row + _derived(row) if any(c not in (None, "") for c in row) else row
    return


def _pad(row: list[Any], width: int) -> list[Any]:
    return list(row) + [None] * (width - len(row))


def _derived(row: list[Any]) -> list[Any]:
    radio, mcc, net, area, cell = (str(c).strip() if c is not None else "" for c in row[:5])
    code = "-".join((mcc, net, area, cell))
    operator = CHINA_MNC.get(net.lstrip("0") or "0") if mcc == "460" else None
    notes = f"OpenCelliD {radio} range={row[8] or ''} samples={row[9] or ''}"
    updated = row[12]
    if updated not in (None, ""):
        try:
            notes += " updated=" + dt.datetime.fromtimestamp(int(updated), dt.timezone.utc).date().isoformat()
        except (TypeError, ValueError, OverflowError, OSError):
            pass
    return [code, f"{radio} {code}", operator, "base_station", notes]
