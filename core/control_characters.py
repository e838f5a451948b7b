"""Control characters never reach the database.

PostgreSQL refuses a NUL in text outright (a DataError, i.e. a 500), and the other C0
characters and DEL are invisible junk that no keyboard types: they come from a paste or a
forged request. Forms refuse them field by field (core.forms.CleanTextMixin) so that the
page comes back with what was typed; this middleware is the last line for every other
input — any GET or POST parameter, name or value, outside a view that says its forms
check them — and answers a Chinese 400 page before the view runs, so nothing is written.
TAB, LF and CR are ordinary text and pass.
"""

import re
from collections.abc import Callable

from django.shortcuts import render

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MESSAGE = "提交的内容含有无法识别的控制字符，请删除后重试。"


def has_control_characters(value: str) -> bool:
    return bool(CONTROL_CHARACTERS.search(value))


def checks_control_characters(view: Callable) -> Callable:
    """Mark a view whose forms refuse control characters themselves (with CleanTextMixin),
    so that the middleware leaves the refusal to the form."""
    view.checks_control_characters = True
    return view


def _query_has_control_characters(query) -> bool:
    return any(
        has_control_characters(key) or any(has_control_characters(v) for v in values)
        for key, values in query.lists()
    )


class ControlCharactersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "checks_control_characters", False):
            return None
        suspects = [request.GET]
        if request.method == "POST":
            suspects.append(request.POST)
        if any(_query_has_control_characters(q) for q in suspects) or any(
            has_control_characters(str(value)) for value in view_kwargs.values()
        ):
            return render(request, "400_control_characters.html", {"message": MESSAGE}, status=400)
        return None
