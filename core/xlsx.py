"""Reading the office's Excel tables (writing them is core.xlsx_writer), with memory and
time bounded on hostile files.

An import reads every row, collects every problem with its row and column, and either
returns clean rows or raises ImportRejected naming them all: a bad file changes nothing.

openpyxl streams a worksheet in read-only mode, but loads some parts whole (the shared
strings, the styles) and trusts others (the sheet's claimed dimension pads every row to
it; a missing stretch of rows comes back as empty rows; every styled row's attributes are
kept). So before openpyxl sees a file, the archive passes the upload checks and inflate
limits of core.files, every part's declared size is capped and the shared strings are
counted; while reading, the claimed dimension is ignored, a value past MAX_COLUMNS is
refused, a run of MAX_BLANK_RUN blank rows ends the table, and the rows read, blank or
not, are capped.
"""

import datetime
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from openpyxl import load_workbook

from .errors import ApplicationError
from .files import XLSX, check_upload, zip_open_checked

MAX_ROWS = 5000  # data rows in one import
MAX_COLUMNS = 50
MAX_BLANK_RUN = 50  # this many blank rows in a row end the table
MAX_SHEET_ROWS = 2 * MAX_ROWS + MAX_BLANK_RUN  # rows read in all, blank ones included
IMPORT_MAX_BYTES = 5 * 1024 * 1024
SHEET_MAX_BYTES = 16 * 1024 * 1024  # a worksheet's XML, streamed
PART_MAX_BYTES = 8 * 1024 * 1024  # any other part, which openpyxl may load whole
MAX_SHARED_STRINGS = 100_000
_SHARED_STRINGS = "xl/sharedStrings.xml"
_STRING_ITEM = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,20}:)?si[\s/>]")
_MB = 1024 * 1024


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    required: bool = True
    parse: Callable[[Any], Any] | None = None
    example: Any = ""
    width: int = 16
    note: str = ""
    # The values a template offers as a dropdown (read when the template is made).
    choices: Callable[[], list[str]] | None = None


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"第 {self.row} 行" if self.row else "表头"
        return f"{where}{f'“{self.column}”列' if self.column else ''}：{self.message}"


def errors_in_order(errors: list[RowError], columns: list[Column] | None = None) -> list[RowError]:
    """Row by row, and in a row from left to right (a check made after the cells were
    parsed, e.g. an unknown unit, is put in its column's place)."""
    order = {c.header: i for i, c in enumerate(columns or [])}
    return sorted(errors, key=lambda e: (e.row, order.get(e.column, len(order))))


class ImportRejected(ApplicationError):
    def __init__(self, errors: list[RowError], columns: list[Column] | None = None):
        errors = errors_in_order(errors, columns)
        super().__init__(
            f"导入文件有 {len(errors)} 处错误，未导入任何数据。请改正后重新上传。",
            {"errors": errors},
        )
        self.errors = errors


@dataclass
class ImportResult:
    created: list = field(default_factory=list)
    # (name, username, initial password) of accounts the import created, shown once to print.
    new_accounts: list[tuple[str, str, str]] = field(default_factory=list)


@dataclass
class Row:
    number: int
    values: dict[str, Any] = field(default_factory=dict)


def parse_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"\s+", " ", str(value)).strip()


def parse_date(value: Any) -> datetime.date:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = parse_text(value)
    match = re.fullmatch(
        r"(\d{4})\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2})\s*日?|\s*月?)", text
    )
    if not match:
        raise ValueError(f"“{text}”不是日期，请写成 2014-03-01 或 2014年3月1日")
    year, month, day = int(match[1]), int(match[2]), int(match[3] or 1)
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise ValueError(f"“{text}”不是有效日期") from None


def parse_yes_no(value: Any) -> bool:
    text = parse_text(value)
    if text in ("是", "Y", "y", "1", "计入"):
        return True
    if text in ("否", "N", "n", "0", "不计入"):
        return False
    raise ValueError(f"“{text}”应填“是”或“否”")


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _reject(message: str) -> ImportRejected:
    return ImportRejected([RowError(0, "", message)])


def _count_shared_strings(archive: zipfile.ZipFile) -> int:
    """Count string items by streaming the part: openpyxl would keep every one in memory."""
    count, tail = 0, b""
    with archive.open(_SHARED_STRINGS) as part:
        while chunk := part.read(_MB):
            data = tail + chunk
            # A tag lying wholly in the tail was counted with the previous chunk.
            count += sum(1 for m in _STRING_ITEM.finditer(data) if m.end() > len(tail))
            tail = data[-32:]
    return count


def _check_parts(upload, name: str) -> None:
    """Every part's declared size within its cap, and not too many shared strings."""
    upload.seek(0)
    try:
        with zip_open_checked(upload, upload.size, name) as archive:
            for entry in archive.infolist():
                is_sheet = entry.filename.startswith("xl/worksheets/")
                cap = SHEET_MAX_BYTES if is_sheet else PART_MAX_BYTES
                if entry.file_size > cap:
                    what = "工作表" if is_sheet else f"“{entry.filename[:60]}”部分"
                    raise _reject(
                        f"文件中的{what}解压后超过 {cap / _MB:.0f} MB，超出导入的上限。"
                        "请只保留模板中的数据后重新上传。"
                    )
            if _SHARED_STRINGS in archive.namelist():
                strings = _count_shared_strings(archive)
                if strings > MAX_SHARED_STRINGS:
                    raise _reject(
                        f"文件中的文字条目有 {strings} 个，超过 {MAX_SHARED_STRINGS} 个的上限。"
                        "请只保留模板中的数据后重新上传。"
                    )
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise _reject("文件无法作为 Excel 表格读取，请用模板重新填写。") from exc
    finally:
        upload.seek(0)


def _header(cells) -> list[str]:
    return [parse_text(h) if h is not None else "" for h in cells]


def read_table(
    upload, columns: list[Column], *, max_rows: int = MAX_ROWS
) -> tuple[list[Row], list[RowError]]:
    """Check the file and its header, then parse every cell.

    A file or header problem raises ImportRejected at once. Cell problems are returned with
    the rows (the bad cell's value is None), so the importer can add its own checks and
    name every problem of the file in one answer.
    """
    try:
        checked = check_upload(upload, allowed=(XLSX,), max_bytes=IMPORT_MAX_BYTES)
    except ApplicationError as exc:
        raise _reject(exc.message) from exc
    _check_parts(upload, checked.original_name)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise _reject("文件无法作为 Excel 表格读取，请用模板重新填写。") from exc
    try:
        return _read_rows(workbook, columns, max_rows)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, SyntaxError) as exc:
        # A part inflating past its declared size fails its CRC; broken XML fails to parse.
        raise _reject("文件无法作为 Excel 表格读取，请用模板重新填写。") from exc
    finally:
        workbook.close()


def _read_rows(workbook, columns: list[Column], max_rows: int) -> tuple[list[Row], list[RowError]]:
    sheet = workbook.worksheets[0]
    sheet.reset_dimensions()  # a claimed A1:XFD1048576 would pad every row to it
    # Each row comes as wide as its own last cell; openpyxl has parsed every cell by then.
    rows = sheet.iter_rows(values_only=True)
    header = _header(next(rows, ()))
    errors: list[RowError] = []
    if any(header[MAX_COLUMNS:]):
        raise _reject(f"表头超过 {MAX_COLUMNS} 列，请使用导入模板。")
    positions: dict[str, int] = {}
    for column in columns:
        if column.header in header:
            positions[column.key] = header.index(column.header)
        elif column.required:
            errors.append(RowError(0, column.header, "缺少此列，请使用导入模板"))
    known = {c.header for c in columns}
    for name in header:
        if name and name not in known:
            errors.append(RowError(0, name, "不是模板中的列"))
    if errors:
        raise ImportRejected(errors, columns)

    result: list[Row] = []
    blank_run = 0
    for number, cells in enumerate(rows, start=2):
        if number > MAX_SHEET_ROWS + 1:
            raise _reject(
                f"表格行数过多（含空行超过 {MAX_SHEET_ROWS} 行），请删除多余的行后重新上传。"
            )
        if all(_is_blank(c) for c in cells):
            blank_run += 1
            if blank_run >= MAX_BLANK_RUN:
                break  # the end of the table, however many formatted rows follow
            continue
        blank_run = 0
        if not all(_is_blank(c) for c in cells[MAX_COLUMNS:]):
            raise _reject(f"第 {number} 行超过 {MAX_COLUMNS} 列，请使用导入模板。")
        if len(result) >= max_rows:
            errors.append(RowError(number, "", f"一次最多导入 {max_rows} 行"))
            break
        values = {}
        for column in columns:
            index = positions.get(column.key)
            values[column] = cells[index] if index is not None and index < len(cells) else None
        result.append(_row_parse(number, values, errors))
    if not result and not errors:
        raise _reject("表格中没有数据行")
    return result, errors


def _row_parse(number: int, values: dict, errors: list[RowError]) -> Row:
    """One row's cells ({column: raw value}) parsed by their columns; a blank required
    cell or a value its column refuses is reported against the row and left as None."""
    row = Row(number=number)
    for column, value in values.items():
        row.values[column.key] = None
        if _is_blank(value):
            if column.required:
                errors.append(RowError(number, column.header, "必填，不能为空"))
            continue
        try:
            row.values[column.key] = (column.parse or parse_text)(value)
        except ValueError as exc:
            errors.append(RowError(number, column.header, str(exc)))
    return row


def import_rows(rows: list[Row], create: Callable[[Row], tuple[Any, tuple | None]]) -> ImportResult:
    """Create one record per checked row, all in one transaction, or none.

    `create` returns the record and, when it opened a login, (name, username, initial
    password). A service refusing a row that the checks let through still rolls back the
    whole file, and the refusal is reported against that row.
    """
    result = ImportResult()
    with transaction.atomic():
        for row in rows:
            try:
                record, account = create(row)
            except ApplicationError as exc:
                raise ImportRejected([RowError(row.number, "", exc.message)]) from exc
            result.created.append(record)
            if account:
                result.new_accounts.append(account)
    return result


MAX_PASTE_CHARS = 500_000


def read_pasted(
    text: str, columns: list[Column], *, max_rows: int = 500
) -> tuple[list[Row], list[RowError]]:
    """Rows pasted from Excel (tab-separated) or typed with commas, in the columns' order.

    Row numbers are the pasted lines' numbers, so an error names the line the office sees.
    A first line that repeats the headers is skipped; blank lines are ignored. Like
    read_table, cell problems come back with the rows (the bad cell's value is None)."""
    if len(text) > MAX_PASTE_CHARS:
        raise _reject(f"粘贴的内容过长（超过 {MAX_PASTE_CHARS} 个字），请分批粘贴。")
    rows: list[Row] = []
    errors: list[RowError] = []
    headers = [c.header for c in columns]
    for number, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        if not line.strip():
            continue
        separator = "\t" if "\t" in line else ("，" if "，" in line and "," not in line else ",")
        cells = [cell.strip() for cell in line.split(separator)]
        if (
            not rows
            and not errors
            and [parse_text(c) for c in cells[: len(headers)]] == headers[: len(cells)]
        ):
            continue  # the header line copied with the table
        if len(rows) >= max_rows:
            errors.append(RowError(number, "", f"一次最多粘贴 {max_rows} 行"))
            break
        if len(cells) > len(columns) and any(cells[len(columns) :]):
            errors.append(
                RowError(
                    number,
                    "",
                    f"有 {len(cells)} 列，多于 {len(columns)} 列（{'、'.join(headers)}）",
                )
            )
        values = {c: cells[i] if i < len(cells) else None for i, c in enumerate(columns)}
        rows.append(_row_parse(number, values, errors))
    if not rows and not errors:
        raise _reject("没有粘贴任何数据行")
    return rows, errors
