"""Control characters never reach the database.

PostgreSQL refuses a NUL in text outright (a DataError, i.e. a 500), and the other C0
characters and DEL are invisible junk that no keyboard types: they come from a paste or a
forged request. Forms refuse them field by field (core.forms.CleanTextMixin) so that the
page comes back with what was typed; this middleware is the last line for every other
input — the URL's parameters, the query string and, unless the view says that its forms
or service check what is posted, the POST body, names and values — and answers a Chinese
400 page before the view runs, so nothing is written. TAB, LF and CR are ordinary text.
"""

import re
from collections.abc import Callable

from django.shortcuts import render

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MESSAGE = "提交的内容含有无法识别的控制字符，请删除后重试。"


def has_control_characters(value: str) -> bool:
    return bool(CONTROL_CHARACTERS.search(value))


def control_characters_strip(value: str) -> str:
    """For showing refused input again: without the characters nobody can see to delete."""
    return CONTROL_CHARACTERS.sub("", value)


def checks_control_characters(view: Callable) -> Callable:
    """Mark a view that refuses control characters in what is posted itself (its forms
    use CleanTextMixin, or its service refuses them), so that the page can come back with
    what was typed; the middleware still checks its URL and query string."""
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
        suspects = [request.GET]
        if request.method == "POST" and not getattr(view_func, "checks_control_characters", False):
            suspects.append(request.POST)
        if any(_query_has_control_characters(q) for q in suspects) or any(
            has_control_characters(str(value)) for value in view_kwargs.values()
        ):
            return render(request, "400_control_characters.html", {"message": MESSAGE}, status=400)
        return None
