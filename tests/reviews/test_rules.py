from fractions import Fraction as F

import pytest

from reviews.rules import ResultRule, TallyInput, apply_rule, validate_params

FAV = ["满意", "基本满意"]


def tally(sat=0, basic=0, unsat=0, composition=28, issued=None, committee=None):
    counts = {"满意": F(sat), "基本满意": F(basic), "不满意": F(unsat)}
    valid = F(sat + basic + unsat)
    return TallyInput(
        counts,
        FAV,
        "不满意",
        composition,
        valid,
        F(issued if issued is not None else valid),
        committee,
    )


@pytest.mark.parametrize(
    ("unsat", "composition", "expected"),
    [(14, 28, "满意"), (15, 28, "不满意"), (13, 27, "满意"), (14, 27, "不满意")],
)
def test_rule_a_unfavourable_over_half_of_composition(unsat, composition, expected):
    outcome = apply_rule(
        ResultRule.UNFAVOURABLE_OVER_HALF, {}, tally(sat=5, unsat=unsat, composition=composition)
    )
    assert outcome.label == expected
    assert f"组成人员总数 {composition} 人" in outcome.explanation


def test_rule_a_counts_against_composition_not_those_present():
    # 15 of 20 present say unsatisfied, but 15 is not more than half of 40.
    assert apply_rule("a", {}, tally(sat=5, unsat=15, composition=40)).label == "满意"


@pytest.mark.parametrize(
    ("sat", "basic", "expected"), [(10, 4, "不满意"), (10, 5, "满意"), (0, 0, "不满意")]
)
def test_rule_b_favourable_at_most_half(sat, basic, expected):
    assert (
        apply_rule(
            ResultRule.FAVOURABLE_AT_MOST_HALF,
            {},
            tally(sat=sat, basic=basic, unsat=3, composition=28),
        ).label
        == expected
    )


def test_rules_a_and_b_use_the_committee_counts_when_given():
    weighted = tally(
        sat=2, unsat=40, composition=10, committee={"满意": F(8), "基本满意": F(0), "不满意": F(2)}
    )
    assert apply_rule("a", {}, weighted).label == "满意"
    assert apply_rule("b", {}, weighted).label == "满意"


@pytest.mark.parametrize(
    ("fav", "unsat", "expected"),
    [(20, 10, "满意"), (19, 11, "不满意"), (2, 1, "满意"), (0, 0, "不满意")],
)
def test_rule_c_two_thirds_of_valid(fav, unsat, expected):
    assert (
        apply_rule(ResultRule.FAVOURABLE_TWO_THIRDS, {}, tally(sat=fav, unsat=unsat)).label
        == expected
    )


@pytest.mark.parametrize(
    ("sat", "unsat", "expected"),
    [
        (80, 20, "满意"),
        (7999, 2001, "基本满意"),
        (50, 50, "基本满意"),
        (4999, 5001, "不满意"),
        (0, 10, "不满意"),
    ],
)
def test_rule_d_bands_on_valid(sat, unsat, expected):
    outcome = apply_rule(ResultRule.RATE_BANDS, {}, tally(sat=sat, unsat=unsat))
    assert outcome.label == expected
    assert outcome.rate == F(sat * 100, sat + unsat)


def test_rule_d_on_ballots_issued_and_custom_bands():
    t = tally(sat=8, unsat=2, issued=20)
    on_valid, on_issued = apply_rule("d", {}, t), apply_rule("d", {"rate_base": "issued"}, t)
    assert (on_valid.rate, on_valid.label) == (80, "满意")
    assert (on_issued.rate, on_issued.label) == (40, "不满意")
    assert "发出票" in on_issued.explanation
    bands = [[90, "优秀"], [60, "合格"], [0, "不合格"]]
    assert apply_rule("d", {"bands": bands}, t).label == "合格"


def test_rule_params_checked():
    assert validate_params("d", {"bands": [[80, "满意"], [50, "基本满意"]]})  # no band from 0
    assert validate_params("d", {"bands": "x"})
    assert validate_params("a", {"rate_base": "present"})
    assert not validate_params("d", {"bands": [[80, "满意"], [0, "不满意"]], "rate_base": "issued"})
