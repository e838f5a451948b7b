"""A standalone copy of ballots/rules/ for tools/verify_ballot.py, which imports nothing of
the app: the verifier must recompute rates and outcomes even if the app's code changed.
tests/ballots/test_verify_ballot.py checks both copies agree on every preset.

Result rules (测评结果规则): data, not code. Pure functions, no database.

A rule is a RuleSpec stored as JSON on the ballot:
- an optional threshold test that assigns the scale's lowest outcome, e.g. 不满意 votes
  > 1/2 of the composition, or 满意 + 基本满意 <= 1/2 of the composition;
- then either bands on a rate (chosen options ÷ a base, each band strict or not, each
  naming one of the scale's own outcome labels; below every band, the lowest outcome), a
  plurality (the option with most votes, ties going to the lower one), or a score
  (按分值计分): points per option, the mean over valid votes per voter group, combined
  with the groups' weights, after dropping the N highest and N lowest votes of each group
  (computed from the counts: no sheet is opened), with bands on the score and a ranking
  with ties (并列: 1, 2, 2, 4).

Options on the sheet that count as returned but not valid (不了解) are named by the rule
(`not_counted`): they are sheet slots after the ballot's own options, counted in the
ballots cast and never in the valid base.

Bases: the composition (组成人员总数), members present, ballots issued, ballots cast
(returned) and valid ballots, each either of the committee's own votes or weighted over
every voter group. Comparisons use exact fractions, so "exactly 2/3" is exactly 2/3.

Named presets (rule_presets.json) are the same specs written with role tokens
(@favourable, @unfavourable, @top, @0/@1/@-1 for outcomes), so each can be applied to any
ballot's own scale. Every Outcome carries the numbers it used and a Chinese sentence that
lets anyone redo the decision by hand.

A package of two files, spec.py and apply.py, the same as ballots/rules/'s; it imports
only the standard library, with relative imports, so it loads both as tools.ballot_rules
and as a top-level ballot_rules (tools/verify_ballot.py puts tools/ on sys.path).
"""

from .apply import (
    GroupCounts,
    Outcome,
    Tally,
    apply_spec,
    rank_with_ties,
    rate_of,
    score_of,
)
from .spec import (
    BASES,
    COMBINES,
    COMPARES,
    COUNTINGS,
    MAX_DROP,
    METHODS,
    Band,
    RuleError,
    RuleSpec,
    Threshold,
    describe,
    parse_points,
    parse_share,
    points_json,
    share_json,
    share_text,
    spec_problems,
)

__all__ = [
    "BASES",
    "Band",
    "COMBINES",
    "COMPARES",
    "COUNTINGS",
    "GroupCounts",
    "MAX_DROP",
    "METHODS",
    "Outcome",
    "RuleError",
    "RuleSpec",
    "Tally",
    "Threshold",
    "apply_spec",
    "describe",
    "parse_points",
    "parse_share",
    "points_json",
    "rank_with_ties",
    "rate_of",
    "score_of",
    "share_json",
    "share_text",
    "spec_problems",
]
