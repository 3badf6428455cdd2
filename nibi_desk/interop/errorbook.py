"""The error workbook: refused rows of a ledger exactly as they were, plus the reason, ready to fix and re-import."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, Iterable

from nibi_desk.i18n import _
from nibi_desk.interop.progress import replace, temp_name

# Both headers are in the "ignore" list of db/reference/ledger_headers.json, so re-importing the fixed workbook
# maps the ledger's own columns only.
REASON = "Reason"
SOURCE_ROW = "Source row"


def write(path: Path | str, headers: list[str], rows: Iterable[tuple[int, list[Any], str]],
          text_columns: Iterable[int] = (), final: bool = True) -> Path:
    """Write (source row number, original cells, reason) rows under the ledger's headers to ``path`` (.xlsx or .csv).

    ``text_columns`` (0-based) are formatted as text so that an ID typed again stays 20 digits. The file is written
    under a temporary name; with ``final`` it is then renamed to ``path``, otherwise the temporary path is returned
    and the caller renames it once the import has committed.
    """
    path = Path(path)
    tmp = temp_name(path)
    width = len(headers)
    header = list(headers) + [_(REASON), _(SOURCE_ROW)]
    try:
        if path.suffix.lower() == ".csv":
            with open(tmp, "w", encoding="utf-8-sig", newline="") as f:
                out = csv.writer(f)
                out.writerow(header)
                for number, cells, reason in rows:
                    out.writerow([_csv(c) for c in _fit(cells, width)] + [reason, number])
        else:
            _write_xlsx(tmp, header, width, rows, set(text_columns))
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if final:
        replace(tmp, path)
        return path
    return tmp


def _fit(cells: list[Any], width: int) -> list[Any]:
    return (list(cells) + [None] * width)[:width]


def _csv(value: Any) -> Any:
    return "" if value is None else value


def _write_xlsx(tmp: Path, header: list[str], width: int, rows, text_columns: set[int]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Rows not imported"))
    ws.freeze_panes = "A2"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    reason_fill = PatternFill("solid", fgColor="FCE4D6")
    cells = []
    for i, title in enumerate(header):
        cell = WriteOnlyCell(ws, value=title)
        cell.font = bold
        cell.fill = reason_fill if i >= width else fill
        cells.append(cell)
    for i in range(len(header)):
        ws.column_dimensions[_letter(i)].width = 40 if i == width else 16
    ws.append(cells)
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, values, reason in rows:
        line = []
        for i, value in enumerate(_fit(values, width)):
            cell = WriteOnlyCell(ws, value=value)
            if i in text_columns:
                cell.number_format = "@"
            line.append(cell)
        reason_cell = WriteOnlyCell(ws, value=reason)
        reason_cell.alignment = wrap
        line += [reason_cell, WriteOnlyCell(ws, value=number)]
        ws.append(line)
    wb.save(tmp)


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)
