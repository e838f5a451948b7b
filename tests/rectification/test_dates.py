import datetime

import pytest

from rectification.dates import add_period

D = datetime.date


@pytest.mark.parametrize(
    ("start", "value", "unit", "expected"),
    [
        (D(2017, 1, 31), 1, "months", D(2017, 2, 28)),  # common year
        (D(2016, 1, 31), 1, "months", D(2016, 2, 29)),  # leap year
        (D(2017, 11, 30), 3, "months", D(2018, 2, 28)),
        (D(2019, 11, 30), 3, "months", D(2020, 2, 29)),
        (D(2017, 10, 8), 1, "months", D(2017, 11, 8)),
        (D(2017, 12, 15), 1, "months", D(2018, 1, 15)),  # across the year
        (D(2017, 8, 31), 4, "months", D(2017, 12, 31)),
        (D(2017, 3, 31), 1, "months", D(2017, 4, 30)),
        (D(2017, 10, 8), 15, "days", D(2017, 10, 23)),
        (D(2017, 12, 20), 15, "days", D(2018, 1, 4)),
        (D(2016, 2, 14), 15, "days", D(2016, 2, 29)),
    ],
)
def test_add_period(start, value, unit, expected):
    assert add_period(start, value, unit) == expected


def test_unknown_unit():
    with pytest.raises(ValueError):
        add_period(D(2017, 1, 1), 1, "weeks")
