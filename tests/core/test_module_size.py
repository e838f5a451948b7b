"""No module of the application is over 400 lines: a module that long holds more than one
concern and is split by stage, entity or concern (issue: one table per entity).

Counted: every Python module of the project's apps, the independent verifier and tools,
migrations excepted (Django writes them). Tests are not counted."""

from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LIMIT = 400
PACKAGES = [
    "config",
    "core",
    "reviews",
    "subjects",
    "surveys",
    "ballots",
    "rectification",
    "workbench",
    "verifier",
    "tools",
    "benchmarks",
]


def long_modules(root: Path, packages, limit: int = LIMIT) -> dict[str, int]:
    found = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > limit:
                found[str(path.relative_to(root))] = lines
    return found


def test_the_check_counts_lines(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "long.py").write_text("x = 1\n" * (LIMIT + 1), encoding="utf-8")
    (tmp_path / "app" / "short.py").write_text("x = 1\n" * LIMIT, encoding="utf-8")
    (tmp_path / "app" / "migrations").mkdir()
    (tmp_path / "app" / "migrations" / "0001_initial.py").write_text("x\n" * 999)
    assert long_modules(tmp_path, ["app"]) == {"app/long.py": LIMIT + 1}


def test_no_module_is_over_400_lines():
    assert long_modules(ROOT, PACKAGES) == {}, "split the module by stage, entity or concern"
