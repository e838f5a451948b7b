"""tools/verify_ballot.py stands alone: it imports nothing of the app, and its copy of the
rule code (tools/ballot_rules/) decides exactly as ballots/rules/ on every preset."""

import itertools
import random
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from ballots import rules
from ballots.presets import preset_spec, presets
from tools import ballot_rules

ROOT = Path(__file__).resolve().parents[2]
SCALES = [
    (["满意", "基本满意", "不满意"], ["满意", "基本满意", "不满意"], ["满意", "基本满意"]),
    (["满意", "较满意", "基本满意", "不满意"], ["称职", "基本称职", "不称职"], ["满意", "较满意"]),
]


def test_the_verifier_imports_nothing_of_the_app_nor_django():
    code = (
        "import sys, runpy; sys.argv = ['verify_ballot.py']; "
        "import importlib.util as u; "
        f"spec = u.spec_from_file_location('vb', {str(ROOT / 'tools/verify_ballot.py')!r}); "
        "m = u.module_from_spec(spec); spec.loader.exec_module(m); "
        "bad = [n for n in sys.modules if n.split('.')[0] in "
        "('django', 'ballots', 'core', 'reviews', 'subjects', 'surveys', 'rectification', "
        "'workbench', 'config')]; print(bad)"
    )
    done = subprocess.run(
        [sys.executable, "-I", "-c", code], capture_output=True, text=True, cwd="/", check=True
    )
    assert done.stdout.strip() == "[]", done.stdout + done.stderr


def _tally(module, counts, scale, composition, present, deputies=None):
    """The committee's counts, and for score rules a second voter group (deputies, weight
    2/5 against the committee's 3/5) whose own counts score rules read group by group."""
    issued = {"committee": Fraction(composition), "weighted": Fraction(composition)}
    cast = {"committee": Fraction(sum(counts.values())), "weighted": Fraction(sum(counts.values()))}
    groups = ()
    if deputies is not None:
        groups = (
            module.GroupCounts("常委会组成人员", Fraction(3, 5), counts),
            module.GroupCounts("人大代表", Fraction(2, 5), deputies),
        )
    return module.Tally(
        weighted=counts, committee=counts, scale=scale, composition=composition,
        present=present, issued=issued, cast=cast, groups=groups,
    )  # fmt: skip


@pytest.mark.parametrize("key", [p["key"] for p in presets()])
def test_the_standalone_rules_agree_with_the_app_on_every_preset(key):
    rng = random.Random(key)
    checked, scores = 0, []
    for (options, outcomes, favourable), _ in itertools.product(SCALES, range(60)):
        try:
            spec = preset_spec(key, options=options, outcomes=outcomes, favourable=favourable)
        except rules.RuleError:
            continue
        composition = rng.randint(5, 40)
        votes = rng.randint(0, composition)
        cuts = sorted(rng.randint(0, votes) for _ in range(len(options) - 1))
        parts = [b - a for a, b in zip([0, *cuts], [*cuts, votes], strict=True)]
        counts = {o: Fraction(n) for o, n in zip(options, parts, strict=True)}
        present = rng.randint(votes, composition) if votes else composition
        deputies = {o: Fraction(rng.randint(0, 6)) for o in options} if spec.scored else None
        mine = rules.apply_spec(
            spec, outcomes, _tally(rules, counts, options, composition, present, deputies)
        )
        theirs = ballot_rules.apply_spec(
            ballot_rules.RuleSpec.from_json(spec.to_json()),
            outcomes,
            _tally(ballot_rules, counts, options, composition, present, deputies),
        )
        assert (mine.label, mine.rate, mine.score, mine.explanation) == (
            theirs.label,
            theirs.rate,
            theirs.score,
            theirs.explanation,
        )
        scores.append(mine.score)
        checked += 1
    assert rules.rank_with_ties(scores) == ballot_rules.rank_with_ties(scores)
    assert checked


@pytest.mark.parametrize("module", ["spec.py", "apply.py"])
def test_the_standalone_rules_are_the_same_files_as_the_apps(module):
    """Split the same way, so a change to one copy shows as a difference here first."""
    assert (ROOT / "tools/ballot_rules" / module).read_text() == (
        ROOT / "ballots/rules" / module
    ).read_text()
