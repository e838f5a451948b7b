"""One date format for people: 2026年11月8日 on pages, in notifications, e-mails and Excel."""

import datetime
import io

from openpyxl import load_workbook

from core.formats import cn_date, cn_datetime
from core.xlsx_writer import CN_DATE_FORMAT, Sheet, write_workbook
from workbench.reminders import Deadline, _text


def test_dates_and_times_read_in_chinese():
    assert cn_date(datetime.date(2026, 11, 8)) == "2026年11月8日"
    moment = datetime.datetime(2026, 11, 8, 1, 30, tzinfo=datetime.UTC)
    assert cn_datetime(moment) == "2026年11月8日 09:30"  # Asia/Shanghai
    assert cn_date(None) == ""


def test_reminders_say_the_date_the_same_way():
    deadline = Deadline("k", "整改方案", datetime.date(2026, 11, 8), "胡培林的", "/x/")
    assert _text(deadline, "before_7", datetime.date(2026, 11, 1)) == (
        "胡培林的整改方案还有 7 天截止（2026年11月8日）"
    )
    assert "期限 2026年11月8日" in _text(deadline, "overdue", datetime.date(2026, 11, 26))


def test_excel_dates_stay_dates_shown_in_chinese():
    out = io.BytesIO()
    write_workbook([Sheet("表", ["日期", "名称"], [[datetime.date(2026, 11, 8), "x"]])], out)
    cell = load_workbook(io.BytesIO(out.getvalue())).active["A2"]
    assert cell.is_date and cell.number_format == CN_DATE_FORMAT
