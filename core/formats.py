import datetime

from django.utils.formats import date_format


def cn_date(day: datetime.date | None) -> str:
    """2017年8月15日, as documents print dates."""
    return date_format(day, "DATE_FORMAT") if day else ""
