"""One POST path: core.object_views.object_post and move_view.

A view-level POST wrapper written outside core — a decorator that wraps views with
require_POST or its own `request.method == "POST"` handling (`def _briefing_post(view)`),
or a wrapper made from core.actions.office_action (`_office_post = office_action(…)`) —
is a second way of reading a POST, refusing it and re-rendering the page, which then
drifts from the first. Views outside core use object_post (or move_view) instead; a
plain view decorated with @require_POST is a view, not a wrapper, and is fine.
"""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ["reviews", "subjects", "surveys", "ballots", "rectification", "workbench"]

# Still being replaced by object_post in other changes of the same issue (one table per
# entity). The integrator empties this set as they land; nothing may be added to it.
PENDING: set[str] = set()

_WRAPPERS = {"office_action"}  # core's older POST wrapper, replaced by object_post


def _name(node) -> str:
    if isinstance(node, ast.Call):
        node = node.func
    if isinstance(node, ast.Attribute):
        return node.attr
    return getattr(node, "id", "")


def _posts(node) -> bool:
    """Whether a function handles POST itself: decorated with require_POST (or
    require_http_methods), or comparing `request.method` with "POST"."""
    if any(_name(d) in ("require_POST", "require_http_methods") for d in node.decorator_list):
        return True
    for inner in ast.walk(node):
        if isinstance(inner, ast.Compare) and any(
            isinstance(c, ast.Constant) and c.value == "POST" for c in inner.comparators
        ):
            return True
    return False


def post_wrappers(source: str) -> list[str]:
    """The view-level POST wrappers a module defines or makes, by name."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            inner = [n for n in ast.walk(node) if n is not node and isinstance(n, ast.FunctionDef)]
            returns_wrapped = any(
                isinstance(n, ast.Return) and _name(n.value) == "require_POST"
                for n in ast.walk(node)
            )
            if any(_posts(n) for n in inner) or returns_wrapped:
                found.append(node.name)
        elif isinstance(node, ast.Call) and _name(node) in _WRAPPERS:
            found.append(_name(node))
    return sorted(set(found))


def test_the_check_catches_post_wrappers():
    sample = """
from django.views.decorators.http import require_POST
from core.actions import office_action

def _x_post(view):
    @require_POST
    def wrapper(request, pk):
        return view(request, pk)
    return wrapper

def _y_post(view):
    def wrapper(request, pk):
        if request.method != "POST":
            return None
        return view(request, pk)
    return wrapper

def _z_post(view):
    return require_POST(view)

_office_post = office_action(Thing.objects.all(), "thing_detail")

@office_action(Thing.objects.all(), "thing_detail")
def thing_close(request, thing):
    pass

@require_POST
def plain_view(request, pk):
    if request.method == "GET":
        return None
"""
    assert post_wrappers(sample) == ["_x_post", "_y_post", "_z_post", "office_action"]
    assert post_wrappers("@require_POST\ndef v(request):\n    return 1\n") == []
    ok = "@object_post(lookup=l, page=p, detail='d')\ndef v(request, obj, forms):\n    pass\n"
    assert post_wrappers(ok) == []


def test_no_post_wrapper_outside_core():
    found = {
        f"{path.relative_to(ROOT)}: {name}"
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
        for name in post_wrappers(path.read_text(encoding="utf-8"))
    }
    assert found - PENDING == set(), "use core.object_views.object_post (or move_view)"
