"""Every function that takes an `actor` says what it is (core.actors.Actor): a service's
signature tells its reader who acts without opening the caller. Signal receivers in an
app's apps.py are left out: they run before the user model may be imported."""

import ast
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
APPS = ["core", "reviews", "subjects", "surveys", "ballots", "rectification", "workbench"]


def untyped_actors(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            a = node.args
            for arg in (*a.posonlyargs, *a.args, *a.kwonlyargs):
                if arg.arg == "actor" and arg.annotation is None:
                    found.append(node.name)
    return found


def test_the_check_finds_an_untyped_actor():
    assert untyped_actors("def plan_submit(*, actor, subject): ...") == ["plan_submit"]
    assert untyped_actors("def plan_submit(*, actor: Actor, subject): ...") == []


def test_every_actor_is_typed():
    found = {
        str(path.relative_to(ROOT)): names
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if "migrations" not in path.parts
        and path.name != "apps.py"
        and (names := untyped_actors(path.read_text(encoding="utf-8")))
    }
    assert found == {}, "type the actor: from core.actors import Actor"
