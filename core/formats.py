"""One way to write dates for people: 2026年11月8日, with the time where it matters
(settings.DATE_FORMAT / DATETIME_FORMAT) — on pages, in notifications, e-mails and Excel."""

import datetime

from django.utils import timezone
from django.utils.formats import date_format


def cn_date(day: datetime.date | datetime.datetime | None) -> str:
    """2017年8月15日, as documents print dates."""
    if isinstance(day, datetime.datetime):
        day = timezone.localtime(day) if timezone.is_aware(day) else day
    return date_format(day, "DATE_FORMAT") if day else ""


def cn_datetime(moment: datetime.datetime | None) -> str:
    """2017年8月15日 09:30, in the local time zone."""
    if moment is None:
        return ""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return date_format(moment, "DATETIME_FORMAT")
