import datetime

import pytest

from core.xlsx import parse_date, parse_yes_no


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime.datetime(2014, 3, 1, 0, 0), datetime.date(2014, 3, 1)),
        ("2014-03-01", datetime.date(2014, 3, 1)),
        ("2014年3月1日", datetime.date(2014, 3, 1)),
        ("2014.3", datetime.date(2014, 3, 1)),
        ("2014/3/9", datetime.date(2014, 3, 9)),
    ],
)
def test_dates_as_offices_write_them(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["去年", "2014-02-30", "20140301x"])
def test_bad_dates_named(value):
    with pytest.raises(ValueError, match="日期"):
        parse_date(value)


def test_yes_no():
    assert parse_yes_no("是") is True
    assert parse_yes_no("否") is False
    with pytest.raises(ValueError, match="是"):
        parse_yes_no("也许")
