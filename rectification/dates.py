"""Calendar arithmetic for rectification deadlines."""

import calendar
import datetime


def add_period(start: datetime.date, value: int, unit: str) -> datetime.date:
    """`value` calendar months (clamped to the month's end) or days after `start`.

    31 Jan + 1 month = 28 Feb (29 in a leap year); 30 Nov + 3 months = 28/29 Feb.
    """
    if unit == "days":
        return start + datetime.timedelta(days=value)
    if unit != "months":
        raise ValueError(f"unknown unit {unit!r}")
    month_index = start.month - 1 + value
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return datetime.date(year, month, day)


def rectification_due_dates(
    campaign, delivered_on: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """The plan's and the first report's due dates for opinions delivered on `delivered_on`,
    by the campaign's limits as they stand now: computed once, at delivery, and stored."""
    return (
        add_period(
            delivered_on, campaign.rectification_plan_limit, campaign.rectification_plan_limit_unit
        ),
        add_period(
            delivered_on,
            campaign.rectification_report_limit,
            campaign.rectification_report_limit_unit,
        ),
    )
