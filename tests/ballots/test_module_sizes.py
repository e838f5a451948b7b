"""Every module of the ballot, its independent verifier and the tools stays under 400 lines:
past that, a file is split by concern into a package (as ballots/models/, ballots/rules/)."""

from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LIMIT = 400


def test_no_module_of_the_ballot_is_over_400_lines():
    found = {
        str(path.relative_to(ROOT)): n
        for folder in ("ballots", "verifier", "tools")
        for path in sorted((ROOT / folder).rglob("*.py"))
        if "migrations" not in path.parts
        and (n := len(path.read_text(encoding="utf-8").splitlines())) >= LIMIT
    }
    assert found == {}
