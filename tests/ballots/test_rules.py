"""Result rules at their edges: every preset, exactly half, exactly 2/3, exactly on a band,
12 vs 13 of 25, weights; the rule's own outcome labels; bad rules refused."""

from fractions import Fraction as F
from pathlib import Path

import pytest

from ballots.presets import preset_spec, presets
from ballots.rules import (
    RuleError,
    RuleSpec,
    Tally,
    apply_spec,
    describe,
    parse_share,
    spec_problems,
)

SCALE = ["满意", "基本满意", "不满意"]
FAV = ["满意", "基本满意"]


def tally(sat=0, basic=0, unsat=0, *, composition=25, issued=None, cast=None, committee=None):
    counts = {"满意": F(sat), "基本满意": F(basic), "不满意": F(unsat)}
    total = F(sat + basic + unsat)
    issued = F(issued if issued is not None else total)
    cast = F(cast if cast is not None else total)
    return Tally(
        weighted=counts,
        committee=committee or counts,
        scale=SCALE,
        composition=composition,
        present=None,
        issued={"committee": issued, "weighted": issued},
        cast={"committee": cast, "weighted": cast},
    )


def outcome(key, t, *, options=SCALE, outcomes=SCALE, favourable=FAV):
    spec = preset_spec(key, options=options, outcomes=outcomes, favourable=favourable)
    return apply_spec(spec, outcomes, t)


@pytest.mark.parametrize(
    ("unsat", "composition", "expected"),
    [(12, 25, "满意"), (13, 25, "不满意"), (12, 24, "满意"), (13, 24, "不满意")],
)
def test_default_unsatisfied_when_more_than_half_of_the_composition(unsat, composition, expected):
    # Everyone else satisfied: below the threshold the rate decides (here 满意).
    result = outcome(
        "default", tally(sat=composition - unsat, unsat=unsat, composition=composition)
    )
    if expected == "不满意":
        assert result.label == "不满意" and "超过，结果为不满意" in result.explanation
    else:
        assert "未超过" in result.explanation
    assert f"组成人员总数 {composition} 的一半为" in result.explanation


def test_default_counts_against_the_composition_not_those_present():
    # 15 of 20 who voted are unsatisfied, but 15 is not more than half of 40: only the
    # threshold makes 不满意 (DOMAIN.md, seed 002), so the rate (25 %) gives 基本满意.
    result = outcome("default", tally(sat=5, unsat=15, composition=40))
    assert (
        result.label == "基本满意"
        and "未超过" in result.explanation
        and "25.00%" in result.explanation
    )


@pytest.mark.parametrize(("unsat", "expected"), [(12, "基本满意"), (13, "不满意")])
def test_seed_002_edge_12_of_25_is_not_unsatisfied_13_is(unsat, expected):
    # 39 % favourable used to fall through the bands to 不满意 with only 12 of 25 against.
    result = outcome("default", tally(sat=5, basic=2, unsat=unsat, composition=25))
    assert result.label == expected
    assert "组成人员总数 25 的一半为 12.5" in result.explanation


@pytest.mark.parametrize(
    ("sat", "basic", "unsat", "expected"),
    [
        (8, 0, 2, "满意"),  # exactly 80 %
        (799, 0, 201, "基本满意"),  # 79.9 %
        (5, 0, 5, "基本满意"),  # exactly 50 %
        (499, 0, 501, "基本满意"),  # below 50 %: still not 不满意, the threshold was not met
        (39, 0, 61, "基本满意"),  # 61 of 10 000 is far from half the composition
        (3, 5, 2, "满意"),  # 满意 + 基本满意 count together
    ],
)
def test_default_bands_on_the_satisfaction_rate(sat, basic, unsat, expected):
    result = outcome("default", tally(sat=sat, basic=basic, unsat=unsat, composition=10_000))
    assert result.label == expected
    assert result.rate == F((sat + basic) * 100, sat + basic + unsat)


@pytest.mark.parametrize(
    ("fav", "composition", "expected"),
    [(12, 25, "不满意"), (13, 25, "满意"), (12, 24, "不满意"), (13, 24, "满意")],
)
def test_zhenhai_unsatisfied_when_favourable_at_most_half(fav, composition, expected):
    assert outcome("zhenhai", tally(sat=fav, unsat=3, composition=composition)).label == expected


@pytest.mark.parametrize(
    ("fav", "cast", "expected"),
    [(16, 24, "不满意"), (17, 24, "满意"), (16, 25, "不满意"), (17, 25, "满意"), (2, 3, "不满意")],
)
def test_jinshi_satisfied_only_when_strictly_more_than_two_thirds_of_ballots_cast(
    fav, cast, expected
):
    # Ballots cast include invalid and abstaining sheets: the base is not the valid count.
    result = outcome("jinshi", tally(sat=fav, unsat=cast - fav - 1, cast=cast))
    assert result.label == expected
    assert "收回票" in result.explanation and "超过三分之二" in result.explanation


@pytest.mark.parametrize(
    ("sat", "issued", "expected", "rate"),
    [(12, 22, "基本满意", "54.55%"), (16, 20, "满意", "80.00%"), (10, 20, "基本满意", "50.00%")],
)
def test_zhanyi_rate_is_satisfied_over_ballots_issued(sat, issued, expected, rate):
    result = outcome("zhanyi", tally(sat=sat, basic=2, unsat=1, issued=issued))
    assert result.label == expected and rate in result.explanation
    assert "满意 " + str(sat) + " ÷ 发出票 " + str(issued) in result.explanation


def test_competence_scale_has_its_own_outcome_labels():
    options, outcomes = ["优秀", "称职", "基本称职", "不称职"], ["称职", "基本称职", "不称职"]

    def counts(a, b, c, d):
        values = dict(zip(options, map(F, (a, b, c, d)), strict=True))
        total = F(a + b + c + d)
        return Tally(
            values,
            values,
            options,
            30,
            None,
            {"committee": total, "weighted": total},
            {"committee": total, "weighted": total},
        )

    def label(*args):
        return outcome(
            "competence", counts(*args), options=options, outcomes=outcomes, favourable=options[:2]
        ).label

    assert label(4, 4, 1, 1) == "称职"  # exactly 80 %
    assert label(2, 3, 4, 1) == "基本称职"  # exactly 50 %
    assert label(1, 3, 3, 3) == "不称职"
    assert "满意" not in describe(
        preset_spec("competence", options=options, outcomes=outcomes, favourable=options[:2]),
        outcomes,
    )


def test_majority_unsatisfied_for_rectification_assessments():
    assert outcome("majority_unsatisfied", tally(sat=1, unsat=13)).label == "不满意"
    assert outcome("majority_unsatisfied", tally(sat=1, unsat=12)).label == "满意"


def test_threshold_counts_the_committee_rate_counts_everyone_weighted():
    weighted = {"满意": F(20), "基本满意": F(0), "不满意": F(30)}  # deputies at weight 0.5
    committee = {"满意": F(8), "基本满意": F(0), "不满意": F(2)}
    t = Tally(
        weighted,
        committee,
        SCALE,
        10,
        None,
        {"committee": F(10), "weighted": F(50)},
        {"committee": F(10), "weighted": F(50)},
    )
    result = outcome("default", t)
    assert "不满意 2 票（常委会组成人员）" in result.explanation  # not more than 5
    assert result.rate == 40 and result.label == "基本满意"  # 20 / 50 weighted


def test_plurality_takes_the_lower_option_on_a_tie():
    spec = RuleSpec.from_json({"threshold": None, "method": "plurality", "bands": []})
    assert apply_spec(spec, SCALE, tally(sat=4, basic=4, unsat=1)).label == "基本满意"
    assert apply_spec(spec, SCALE, tally(sat=5, basic=4, unsat=1)).label == "满意"


def test_bad_rules_are_named_in_chinese():
    spec = RuleSpec.from_json(
        {
            "threshold": {"options": ["很差"], "compare": "gt", "share": "1/2", "base": "x"},
            "method": "bands",
            "rate_options": FAV,
            "bands": [{"share": "50%", "outcome": "良"}, {"share": "80%", "outcome": "满意"}],
        }
    )
    problems = "".join(spec_problems(spec, options=SCALE, outcomes=SCALE))
    assert "门槛条件所计的选项" in problems and "门槛条件的基数" in problems
    assert "从高到低" in problems and "“良”不是本次测评的结果档次" in problems
    plurality = RuleSpec.from_json({"threshold": None, "method": "plurality"})
    assert "每个选项都须是结果档次" in "".join(
        spec_problems(plurality, options=SCALE, outcomes=["合格", "不合格"])
    )
    for raw in ("abc", "150%", "-1/2", "1/0"):
        with pytest.raises(RuleError):
            parse_share(raw)
    with pytest.raises(RuleError):
        RuleSpec.from_json({"threshold": {"options": []}})


def test_every_preset_is_sound_and_listed_in_the_readme():
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    for p in presets():
        spec = preset_spec(
            p["key"], options=p["scale"], outcomes=p["outcomes"], favourable=p["favourable"]
        )
        assert not spec_problems(spec, options=p["scale"], outcomes=p["outcomes"])
        assert RuleSpec.from_json(spec.to_json()) == spec
        assert p["name"] in readme and describe(spec, p["outcomes"]) in readme
        assert p["source"] in readme


@pytest.mark.django_db
def test_seed_002_edge_through_the_ballot_and_its_published_results(client, office):
    # Two subjects, 19 of 25 voting: 12 不满意 is not more than half of 25 (39 % favourable
    # gives 基本满意), 13 is.
    from ballots.models import BallotResult, BallotStatus
    from tests.factories import BallotFactory, CampaignFactory, SubjectFactory

    campaign = CampaignFactory(actor=office, composition_size=25)
    twelve = SubjectFactory(campaign=campaign, person_name="金立新", position=1)
    thirteen = SubjectFactory(campaign=campaign, person_name="唐晓云", position=2)
    sheets = (
        [{twelve: "满意", thirteen: "满意"}] * 5
        + [{twelve: "基本满意", thirteen: "基本满意"}]
        + [{twelve: "基本满意", thirteen: "不满意"}]
        + [{twelve: "不满意", thirteen: "不满意"}] * 12
    )
    ballot = BallotFactory(
        campaign=campaign, actor=office, status=BallotStatus.PUBLISHED, votes=sheets
    )
    results = {r.subject_id: r for r in BallotResult.objects.filter(ballot=ballot)}
    assert results[twelve.pk].outcome == "基本满意" and results[thirteen.pk].outcome == "不满意"
    assert results[twelve.pk].rule_snapshot["preset"] == "default"
    client.force_login(office)
    page = client.get(f"/ballots/{ballot.pk}/results/").content.decode()
    assert "组成人员总数 25 的一半为 12.5，未超过" in page
    assert "组成人员总数 25 的一半为 12.5，超过，结果为不满意" in page


def test_score_rules_refuse_what_does_not_fit_the_ballot():
    from ballots.rules import rank_with_ties

    spec = RuleSpec.from_json(
        {
            "threshold": None,
            "method": "score",
            "points": [["满意", 100], ["基本满意", 70]],
            "drop": 99,
            "combine": "median",
            "not_counted": ["满意", "弃权"],
            "bands": [{"score": "70", "outcome": "基本满意"}, {"score": "90", "outcome": "良"}],
        }
    )
    problems = "".join(spec_problems(spec, options=SCALE, outcomes=SCALE))
    for words in (
        "每个有效选项都须有且只有一个分值",
        "去掉最高分、最低分的个数",
        "平均分的合计方式无效",
        "各档分数须从高到低",
        "“良”不是本次测评的结果档次",
        "不能与测评选项或“弃权”相同",
    ):
        assert words in problems
    for raw in ("abc", "-5", "20000", True):
        with pytest.raises(RuleError):
            RuleSpec.from_json({"method": "score", "points": [["满意", raw]], "bands": []})
    assert rank_with_ties([F(90), F(100), F(90), None, F(181, 2)]) == [3, 1, 3, 5, 2]
