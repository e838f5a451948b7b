import datetime
import io
import tempfile
import tracemalloc

from openpyxl import load_workbook

from core.xlsx_writer import Marked, Sheet, SheetColumn, write_workbook, xlsx_file_response
from tests.factories import questionnaire_with_comments


def _written(*sheets: Sheet):
    buffer = io.BytesIO()
    write_workbook(sheets, buffer)
    return load_workbook(io.BytesIO(buffer.getvalue()))


def test_a_sheet_spec_becomes_a_styled_workbook():
    rows = (
        [i, Marked(f"不同{i}") if i == 2 else f"相同{i}", datetime.date(2018, 3, i)] for i in (1, 2)
    )
    workbook = _written(
        Sheet(
            "一个超过三十一个字符的工作表标题会被截断以符合 Excel 的规定而不报错",
            [
                SheetColumn("序号", width=6),
                SheetColumn("说明", width=40, wrap=True),
                SheetColumn("完成时限", number_format="yyyy-mm-dd", header_color="C00000"),
            ],
            rows,
            heading="整改台账",
            notes=["组成人员总数 25 人"],
            freeze_header=True,
        ),
        Sheet("第二张", ["甲"], [["乙"]], header=False),
    )
    sheet, second = workbook.worksheets
    assert len(sheet.title) == 31
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["整改台账", None, None],
        ["组成人员总数 25 人", None, None],
        ["序号", "说明", "完成时限"],
        [1, "相同1", datetime.datetime(2018, 3, 1)],
        [2, "不同2", datetime.datetime(2018, 3, 2)],
    ]
    assert {str(r) for r in sheet.merged_cells.ranges} == {"A1:C1", "A2:C2"}
    assert sheet["A1"].font.b and sheet["A1"].font.sz == 14
    assert sheet["A3"].font.b and sheet["A3"].fill.fgColor.rgb.endswith("DDE7F3")
    assert sheet["C3"].font.color.rgb.endswith("C00000")
    assert sheet.freeze_panes == "A4"
    assert sheet.column_dimensions["A"].width == 6 and sheet.column_dimensions["B"].width == 40
    assert sheet["B4"].alignment.wrap_text and not sheet["B4"].fill.fill_type
    assert sheet["B5"].fill.fgColor.rgb.endswith("FFF2CC")  # marked
    assert sheet["C4"].number_format == "yyyy-mm-dd"
    assert [[c.value for c in row] for row in second.iter_rows()] == [["乙"]]


def test_the_download_is_streamed_from_a_temporary_file():
    response = xlsx_file_response(
        [Sheet("表", ["姓名"], ([f"对象{i}"] for i in range(3)))], "2017年度 台账.xlsx"
    )
    assert response.streaming
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    assert response["Content-Disposition"] == (
        "attachment; filename*=UTF-8''2017%E5%B9%B4%E5%BA%A6%20%E5%8F%B0%E8%B4%A6.xlsx"
    )
    body = b"".join(response.streaming_content)
    assert int(response["Content-Length"]) == len(body)
    response.file_to_stream.close()  # (what closing the response does, without its signal)
    sheet = load_workbook(io.BytesIO(body)).worksheets[0]
    assert [c.value for c in sheet["A"]] == ["姓名", "对象0", "对象1", "对象2"]


def test_a_10k_row_export_stays_under_5_mb(client, office):
    """The survey export's comments sheet, 10 000 rows, through the real view: the writer
    holds about one row at a time (a workbook built in memory needs about 10x this)."""
    questionnaire = questionnaire_with_comments(office=office, comments=10_000)
    client.force_login(office)
    with tempfile.TemporaryFile() as received:  # on disk: only the server side is measured
        tracemalloc.start()
        try:
            before, _ = tracemalloc.get_traced_memory()
            response = client.get(f"/questionnaires/{questionnaire.pk}/results.xlsx")
            for chunk in response.streaming_content:
                received.write(chunk)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak - before < 5 * 1024 * 1024, f"peak growth {(peak - before) / 1e6:.1f} MB"
        received.seek(0)
        texts = load_workbook(received, read_only=True).worksheets[1]
        rows = list(texts.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 10_000 and all(text.startswith("第") for _, text in rows)
