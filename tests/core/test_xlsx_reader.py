"""Hostile workbooks are refused (or cut at their real end) with memory staying flat.

Each file is built here as raw parts inside a workbook openpyxl wrote. Peak memory is
measured with tracemalloc around the read; timings are never asserted."""

import io
import struct
import tracemalloc
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl.utils import get_column_letter

from core.xlsx import MAX_COLUMNS, MAX_SHEET_ROWS, Column, ImportRejected, read_table
from tests.factories import xlsx_upload

COLUMNS = [Column("姓名", "name"), Column("职务", "title")]
MEMORY_BOUND = 50 * 1024 * 1024
SHEET = "xl/worksheets/sheet1.xml"
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _base() -> bytes:
    return xlsx_upload([["姓名", "职务"], ["王", "委员"]]).read()


def _rebuild(parts: dict[str, bytes], base: bytes | None = None) -> bytes:
    """The base workbook with `parts` replaced (or added)."""
    source = zipfile.ZipFile(io.BytesIO(base or _base()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            if entry.filename not in parts:
                target.writestr(entry.filename, source.read(entry.filename))
        for name, data in parts.items():
            target.writestr(name, data)
    return buffer.getvalue()


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _sheet(rows: str, dimension: str = "A1:B2") -> bytes:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet {NS}><dimension ref="{dimension}"/>'
        f"<sheetData>{rows}</sheetData></worksheet>"
    ).encode()


def _data_row(number: int, name: str = "王", title: str = "委员") -> str:
    return f'<row r="{number}">{_cell(f"A{number}", name)}{_cell(f"B{number}", title)}</row>'


def _blank_styled_rows(first: int, count: int) -> str:
    return "".join(
        f'<row r="{n}" s="1" customFormat="1" ht="20" customHeight="1"><c r="C{n}" s="1"/></row>'
        for n in range(first, first + count)
    )


def _read(content: bytes, **kwargs):
    upload = SimpleUploadedFile("名单.xlsx", content)
    tracemalloc.start()
    try:
        result = read_table(upload, COLUMNS, **kwargs)
        error = None
    except ImportRejected as exc:
        result, error = None, exc
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < MEMORY_BOUND, f"peak {peak / 1024 / 1024:.0f} MB"
    return result, error


def _refused(content: bytes, message: str, **kwargs) -> None:
    result, error = _read(content, **kwargs)
    assert error is not None, "the file was read"
    assert "未导入任何数据" in error.message
    assert any(message in str(e) for e in error.errors), [str(e) for e in error.errors]


def test_a_normal_file_is_read():
    (rows, errors), _ = _read(_base())
    assert errors == [] and [r.values for r in rows] == [{"name": "王", "title": "委员"}]


def test_a_claimed_million_rows_and_styled_blank_rows_end_at_the_real_table():
    """The attacker's 308 KB file: a dimension claiming A1:XFD1048576, a few rows, then
    styled blank rows. openpyxl would pad each row to 16,384 columns and yield a million."""
    rows = (
        "".join(_data_row(n) for n in range(1, 5)).replace(
            _cell("A1", "王") + _cell("B1", "委员"), _cell("A1", "姓名") + _cell("B1", "职务")
        )
        + _blank_styled_rows(5, 150_000)
        + _data_row(1_048_576, "末行")
    )
    content = _rebuild({SHEET: _sheet(rows, "A1:XFD1048576")})
    assert len(content) < 1024 * 1024
    (result, errors), _ = _read(content)
    assert errors == [] and [r.number for r in result] == [2, 3, 4]


def test_data_spread_through_styled_blank_rows_is_refused_by_its_row_count():
    rows = _data_row(1, "姓名", "职务")
    number = 2
    while number < MAX_SHEET_ROWS + 100:
        rows += _data_row(number) + _blank_styled_rows(number + 1, 40)
        number += 41
    _refused(_rebuild({SHEET: _sheet(rows)}), "表格行数过多")


def test_too_many_data_rows_named():
    rows = _data_row(1, "姓名", "职务") + "".join(_data_row(n, f"委员{n}") for n in range(2, 14))
    (result, errors), _ = _read(_rebuild({SHEET: _sheet(rows)}), max_rows=10)
    assert "第 12 行：一次最多导入 10 行" in [str(e) for e in errors]


def test_too_many_columns_refused():
    # Blank styled cells out to column 16,000 pass: only values count.
    wide = "".join(f'<c r="{get_column_letter(n)}2" s="1"/>' for n in range(3, 16_000))
    header = _data_row(1, "姓名", "职务")
    far = _cell("BZ2", "多出来的列")  # column 78
    rows = header + f'<row r="2">{_cell("A2", "王")}{_cell("B2", "委员")}{far}</row>'
    _refused(_rebuild({SHEET: _sheet(rows)}), f"第 2 行超过 {MAX_COLUMNS} 列")
    rows = header + f'<row r="2">{_cell("A2", "王")}{_cell("B2", "委员")}{wide}</row>'
    (result, errors), _ = _read(_rebuild({SHEET: _sheet(rows)}))
    assert len(result) == 1


def test_a_huge_shared_strings_table_is_refused_unread():
    items = "".join(f"<si><t>文字{n}</t></si>" for n in range(500_000))
    strings = f'<sst {NS} count="500000" uniqueCount="500000">{items}</sst>'.encode()
    assert len(strings) > 8 * 1024 * 1024
    _refused(_rebuild({"xl/sharedStrings.xml": strings}), "解压后超过 8 MB")


def test_too_many_shared_strings_are_counted_before_openpyxl_loads_them():
    items = "".join(f"<x:si><x:t>{n}</x:t></x:si>" for n in range(150_000))
    strings = f'<x:sst xmlns:x="{NS[7:-1]}">{items}</x:sst>'.encode()
    _refused(_rebuild({"xl/sharedStrings.xml": strings}), "文字条目有 150000 个")


def test_a_worksheet_over_its_cap_is_refused_unread():
    rows = _data_row(1, "姓名", "职务") + _blank_styled_rows(2, 300_000)
    _refused(_rebuild({SHEET: _sheet(rows)}), "工作表解压后超过 16 MB")


def test_a_zip_bomb_sheet_is_refused_by_the_upload_limits():
    rows = _data_row(1, "姓名", "职务") + _blank_styled_rows(2, 1000) + " " * (60 * 1024 * 1024)
    _refused(_rebuild({SHEET: _sheet(rows)}), "可能是恶意构造的文件")


def test_a_sheet_inflating_past_its_declared_size_is_refused():
    """The directory may lie low: zipfile stops at the declared size and the read fails."""
    rows = _data_row(1, "姓名", "职务") + "".join(_data_row(n) for n in range(2, 2000))
    content = bytearray(_rebuild({SHEET: _sheet(rows)}))
    at = 0
    while True:
        at = content.index(b"PK\x01\x02", at)
        length = struct.unpack_from("<H", content, at + 28)[0]
        if bytes(content[at + 46 : at + 46 + length]) == SHEET.encode():
            struct.pack_into("<L", content, at + 24, 2000)
            break
        at += 4
    _refused(bytes(content), "无法作为 Excel 表格读取")


@pytest.mark.parametrize(
    "content",
    [b"PK\x03\x04 not really a zip", b"%PDF-1.4\n%%EOF\n"],
)
def test_not_a_workbook(content):
    _refused(content, "Excel")
