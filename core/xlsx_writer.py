"""Every Excel file the system hands out, written by one writer.

A sheet is described, not built: a title, its columns and an iterable of rows (a
queryset's `.iterator()`, a generator). openpyxl's write-only mode sends each row to a
temporary file as soon as it is appended, and the finished workbook is spooled to a
temporary file that the response streams out; so an export holds about one row in memory
at a time, whether the table has ten rows or ten thousand.

Reading the office's tables (imports) is core.xlsx.
"""

import datetime
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any
from urllib.parse import quote

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from .files import CONTENT_TYPES, XLSX

# The finished file stays in memory up to this size and moves to disk beyond it.
SPOOL_BYTES = 1024 * 1024

TITLE_FONT = Font(bold=True, size=14)
HEADER_FILL = PatternFill("solid", fgColor="DDE7F3")
# Dates read as on the pages, 2026年11月8日, and stay dates to Excel.
CN_DATE_FORMAT = 'yyyy"年"m"月"d"日"'
MARK_FILL = PatternFill("solid", fgColor="FFF2CC")
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


@dataclass(frozen=True)
class SheetColumn:
    header: str
    width: float | None = None
    number_format: str | None = None  # e.g. "0.00"; dates get CN_DATE_FORMAT by default
    wrap: bool = False  # long text: wrapped and top-aligned
    header_color: str = "000000"  # the import templates mark required columns red
    # A dropdown for the column's cells (an import template's units, review forms …):
    # the values go to a hidden sheet, which the cells' list validation refers to.
    choices: Sequence[str] | None = None


@dataclass(frozen=True)
class Marked:
    """A value shown on a highlighted background (e.g. a result a rule would change)."""

    value: Any


@dataclass(frozen=True)
class Sheet:
    title: str
    columns: Sequence[SheetColumn | str]
    rows: Iterable[Sequence[Any]] = ()
    heading: str = ""  # a bold title row above everything, merged across the columns
    notes: Sequence[str] = ()  # lines between the heading and the header row
    header: bool = True
    freeze_header: bool = False  # the header row stays in view while scrolling


CHOICES_SHEET = "下拉选项"
VALIDATED_ROWS = 2000  # data rows of a template that get the dropdowns


def write_workbook(sheets: Iterable[Sheet], out: IO[bytes]) -> None:
    """Write the sheets, one row at a time, as an .xlsx file into `out`."""
    workbook = Workbook(write_only=True)
    lists: list[Sequence[str]] = []
    for spec in sheets:
        _write_sheet(workbook, spec, lists)
    if lists:
        _write_choices(workbook, lists)
    workbook.save(out)


def _write_choices(workbook: Workbook, lists: list[Sequence[str]]) -> None:
    """The hidden sheet holding every dropdown's values, one column per list."""
    sheet = workbook.create_sheet(CHOICES_SHEET)
    sheet.sheet_state = "hidden"
    for i in range(max(len(values) for values in lists)):
        sheet.append([values[i] if i < len(values) else None for values in lists])


def _add_dropdowns(sheet, columns: list[SheetColumn], header_row: int, lists: list) -> None:
    for index, column in enumerate(columns, start=1):
        if not column.choices:
            continue
        lists.append(list(column.choices))
        source = get_column_letter(len(lists))
        validation = DataValidation(
            type="list",
            formula1=f"{quote_sheetname(CHOICES_SHEET)}!${source}$1:${source}${len(column.choices)}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="请从下拉列表中选择",
            error=f"“{column.header}”请从下拉列表中选择。",
        )
        letter = get_column_letter(index)
        validation.add(f"{letter}{header_row + 1}:{letter}{header_row + VALIDATED_ROWS}")
        sheet.data_validations.append(validation)


def xlsx_file_response(sheets: Iterable[Sheet], filename: str) -> FileResponse:
    """The workbook as a download. It is written completely before the response is
    returned, so a failing query is an error page, not a truncated file."""
    # Not a context manager: the response closes (and so deletes) the file once it is sent.
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    try:
        write_workbook(sheets, spool)
    except BaseException:
        spool.close()
        raise
    spool.seek(0)
    response = FileResponse(spool, content_type=CONTENT_TYPES[XLSX])  # closes the spool
    # RFC 5987 so that Chinese file names survive every browser.
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def _write_sheet(workbook: Workbook, spec: Sheet, lists: list | None = None) -> None:
    sheet = workbook.create_sheet(spec.title[:31])
    columns = [c if isinstance(c, SheetColumn) else SheetColumn(c) for c in spec.columns]
    last = get_column_letter(max(len(columns), 1))
    # A write-only sheet writes its layout before the first row: widths and panes first.
    for index, column in enumerate(columns, start=1):
        if column.width:
            sheet.column_dimensions[get_column_letter(index)].width = column.width
    above = int(bool(spec.heading)) + len(spec.notes)
    if spec.header and spec.freeze_header:
        sheet.freeze_panes = f"A{above + 2}"
    if spec.header and lists is not None:
        _add_dropdowns(sheet, columns, above + 1, lists)

    lines = [(spec.heading, TITLE_FONT)] if spec.heading else []
    lines += [(note, None) for note in spec.notes]
    for row_number, (text, font) in enumerate(lines, start=1):
        cell = WriteOnlyCell(sheet, value=text)
        if font is not None:
            cell.font = font
        sheet.append([cell])
        if len(columns) > 1:
            sheet.merged_cells.add(f"A{row_number}:{last}{row_number}")
    if spec.header:
        sheet.append([_header_cell(sheet, column) for column in columns])

    # Per column: None for plain values (appended as they are, the cheapest), else its look.
    looks = [(c.wrap, c.number_format) if c.wrap or c.number_format else None for c in columns]
    for values in spec.rows:
        sheet.append(
            [
                _cell(sheet, value, looks[i] if i < len(looks) else None)
                for i, value in enumerate(values)
            ]
        )


def _header_cell(sheet, column: SheetColumn) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=column.header)
    cell.font = Font(bold=True, color=column.header_color)
    cell.fill = HEADER_FILL
    cell.alignment = CENTER
    return cell


def _cell(sheet, value: Any, look: tuple[bool, str | None] | None) -> Any:
    marked = isinstance(value, Marked)
    if marked:
        value = value.value
    if look is None and isinstance(value, datetime.date):
        look = (False, CN_DATE_FORMAT)
    if value is None or (look is None and not marked):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    if marked:
        cell.fill = MARK_FILL
    if look is not None:
        wrap, number_format = look
        if wrap:
            cell.alignment = WRAP
        if number_format:
            cell.number_format = number_format
    return cell
