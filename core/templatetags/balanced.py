"""Titles that wrap in balance on paper. WeasyPrint does not balance lines (CSS
``text-wrap: balance``), so a printed title longer than a line is cut here into lines of
nearly equal length, preferring a break after punctuation, instead of leaving one
character (“会”) alone on the last line."""

import math

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

_BREAK_AFTER = "，、：；。！？）》” "


def balanced_lines(text: str, per_line: int) -> list[str]:
    text = " ".join(str(text).split())
    if len(text) <= per_line:
        return [text] if text else []
    count = math.ceil(len(text) / per_line)
    lines, start = [], 0
    for left in range(count, 1, -1):
        target = start + math.ceil((len(text) - start) / left)
        # A break after punctuation up to two characters either side, if any.
        near = [i for i in range(target - 2, target + 3) if 0 < i - start <= per_line]
        cut = next((i for i in near if text[i - 1] in _BREAK_AFTER), min(target, start + per_line))
        lines.append(text[start:cut].strip())
        start = cut
    lines.append(text[start:].strip())
    return lines


@register.filter
def balanced(value, per_line: int = 25) -> str:
    """``{{ title|balanced:25 }}``: the title's lines joined by <br>, each escaped."""
    return mark_safe(
        "<br>".join(conditional_escape(line) for line in balanced_lines(value, per_line))
    )
