import datetime

from django import template

from core.formats import cn_date as _cn_date

register = template.Library()


@register.filter
def cn_date(value) -> str:
    """{{ value|cn_date }}: 2026年11月8日, for a date or an ISO date string (as stored in
    JSON snapshots such as rectification versions)."""
    if isinstance(value, str):
        try:
            value = datetime.date.fromisoformat(value)
        except ValueError:
            return value
    return _cn_date(value)
