"""Reading the office's Excel tables (writing them is core.xlsx_writer).

An import reads every row, collects every problem with its row and column, and either
returns clean rows or raises ImportRejected naming them all: a bad file changes nothing.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from openpyxl import load_workbook

from .errors import ApplicationError
from .files import XLSX, check_upload

MAX_ROWS = 2000


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    required: bool = True
    parse: Callable[[Any], Any] | None = None
    example: Any = ""
    width: int = 16
    note: str = ""


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"第 {self.row} 行" if self.row else "表头"
        return f"{where}{f'“{self.column}”列' if self.column else ''}：{self.message}"


class ImportRejected(ApplicationError):
    def __init__(self, errors: list[RowError]):
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


def read_table(upload, columns: list[Column]) -> tuple[list[Row], list[RowError]]:
    """Check the file and its header, then parse every cell.

    A file or header problem raises ImportRejected at once. Cell problems are returned with
    the rows (the bad cell's value is None), so the importer can add its own checks and
    name every problem of the file in one answer.
    """
    try:
        check_upload(upload, allowed=(XLSX,), max_bytes=5 * 1024 * 1024)
    except ApplicationError as exc:
        raise ImportRejected([RowError(0, "", exc.message)]) from exc
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise ImportRejected(
            [RowError(0, "", "文件无法作为 Excel 表格读取，请用模板重新填写。")]
        ) from exc
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [parse_text(h) if h is not None else "" for h in next(rows, ())]
    errors: list[RowError] = []
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
        workbook.close()
        raise ImportRejected(errors)

    result: list[Row] = []
    for number, cells in enumerate(rows, start=2):
        if all(_is_blank(c) for c in cells):
            continue
        if len(result) >= MAX_ROWS:
            errors.append(RowError(number, "", f"一次最多导入 {MAX_ROWS} 行"))
            break
        row = Row(number=number)
        for column in columns:
            index = positions.get(column.key)
            value = cells[index] if index is not None and index < len(cells) else None
            if _is_blank(value):
                if column.required:
                    errors.append(RowError(number, column.header, "必填，不能为空"))
                row.values[column.key] = None
                continue
            try:
                row.values[column.key] = (column.parse or parse_text)(value)
            except ValueError as exc:
                errors.append(RowError(number, column.header, str(exc)))
                row.values[column.key] = None
        result.append(row)
    workbook.close()
    if not result and not errors:
        raise ImportRejected([RowError(0, "", "表格中没有数据行")])
    return result, errors


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
