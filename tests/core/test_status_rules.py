"""The workflow rules the tables in `<app>/workflows.py` rely on, checked on the source:

- templates compare no status strings: a page asks `capabilities(obj, user)` (`caps.…`)
  what may be done now, and shows a status by its label (`get_status_display`);
- no status is assigned outside `core.workflow`: every status change is a move made by
  `transition()`, which locks the row, checks the move, its access rule and guard, and
  writes the audit entry.

Both hold for every template of the project and every app's Python (core.workflow itself
excepted, the one place a status is set; migrations are Django's).
"""

import ast
import re
from pathlib import Path

from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)

TEMPLATE_DIRS = ["templates"]
APPS = ["core", "reviews", "subjects", "surveys", "ballots", "rectification", "workbench"]

_TAG = re.compile(r"{%-?\s*(?:if|elif|with)\b(.*?)-?%}", re.S)
_LITERAL = re.compile(r"""(['"])([^'"]*)\1""")
_COMPARED = re.compile(r"==|!=|\bin\b")


def status_values() -> set[str]:
    """Every value of every status field of the project's models (draft, submitted, …)."""
    values = set()
    for model in apps.get_models():
        if not str(Path(apps.get_app_config(model._meta.app_label).path)).startswith(str(ROOT)):
            continue
        for field in model._meta.get_fields():
            if field.name.endswith("status") and getattr(field, "choices", None):
                values |= {str(value) for value, _ in field.flatchoices}
    return values


def template_status_literals(text: str, statuses: set[str]) -> list[str]:
    """The tags of a template that compare something with a status string."""
    found = []
    for match in _TAG.finditer(text):
        tag = match.group(1)
        if not _COMPARED.search(tag):
            continue
        if (
            ".status" in tag
            and _LITERAL.search(tag)
            or any(m.group(2) in statuses for m in _LITERAL.finditer(tag))
        ):
            found.append(match.group(0))
    return found


_WRITERS = {"update", "create", "get_or_create", "update_or_create", "bulk_create"}


def status_assignments(source: str) -> list[int]:
    """Lines of Python source that set a status: `x.status = …`, `setattr(x, "status", …)`,
    or `status=` given to a queryset's update/create."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            elements = target.elts if isinstance(target, ast.Tuple | ast.List) else [target]
            if any(isinstance(e, ast.Attribute) and e.attr == "status" for e in elements):
                lines.append(node.lineno)
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name == "setattr" and len(node.args) >= 2:
                arg = node.args[1]
                if isinstance(arg, ast.Constant) and arg.value == "status":
                    lines.append(node.lineno)
            if name in _WRITERS and any(k.arg == "status" for k in node.keywords):
                lines.append(node.lineno)
    return lines


def test_the_checks_catch_what_they_are_for():
    statuses = status_values()
    assert {"draft", "submitted", "returned", "approved", "published"} <= statuses
    assert template_status_literals("{% if plan.status == 'returned' %}", statuses)
    assert template_status_literals('{% elif m.target != "delivered" %}', statuses)
    assert template_status_literals("{% if r.status in 'satisfied continued' %}", statuses)
    assert not template_status_literals("{% if caps.return_plan %}", statuses)
    assert not template_status_literals("{% if version.kind == 'plan' %}", statuses)
    assert status_assignments("plan.status = 'approved'") == [1]
    assert status_assignments("v.status, v.reason = s, r") == [1]
    assert status_assignments("setattr(obj, 'status', to)") == [1]
    assert status_assignments("Plan.objects.filter(pk=1).update(status='x')") == [1]
    assert status_assignments("Plan.objects.create(subject=s, status='x')") == [1]
    assert status_assignments("transition(obj=p, to='approved')\nplan.due_on = d") == []


def test_templates_compare_no_status_strings():
    statuses = status_values()
    found = {
        str(path.relative_to(ROOT)): hits
        for directory in TEMPLATE_DIRS
        for path in sorted((ROOT / directory).rglob("*.html"))
        if (hits := template_status_literals(path.read_text(encoding="utf-8"), statuses))
    }
    assert found == {}, "ask capabilities(obj, user) (caps.…) instead of comparing statuses"


def test_no_status_is_assigned_outside_core_workflow():
    found = {
        str(path.relative_to(ROOT)): lines
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
        and (lines := status_assignments(path.read_text(encoding="utf-8")))
    }
    assert found == {}, "move a status only by core.workflow.transition()"
