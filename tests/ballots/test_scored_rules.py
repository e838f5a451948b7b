"""Scored rules (按分值计分) through the services, the record's verifier and the pages:
two scored presets at their band edges, dropping the highest and lowest votes of each
voter group, 不了解 on the sheet outside the valid base, and a ranking with ties."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from ballots.models import BallotResult, BallotStatus
from ballots.services.record import ballot_check_lines, ballot_record
from tests.factories import BallotFactory, CampaignFactory, PaperTallyFactory, SubjectFactory
from tests.factories.ballots import ballot_advance
from tools.verify_ballot import check as record_check

pytestmark = pytest.mark.django_db

SATISFACTION = ["满意", "基本满意", "不满意"]
COMPETENCE = ["称职", "基本称职", "不称职"]


def _subjects(campaign, *names):
    return [
        SubjectFactory(campaign=campaign, person_name=n, position=i) for i, n in enumerate(names, 1)
    ]


def _results(ballot) -> dict:
    return {
        r.subject.person_name: r
        for r in BallotResult.objects.filter(ballot=ballot).select_related("subject")
    }


def _published(office, preset, options, names, sheets, **kwargs):
    campaign = CampaignFactory(actor=office, composition_size=25)
    subjects = _subjects(campaign, *names)
    votes = [dict(zip(subjects, sheet, strict=True)) for sheet in sheets]
    return BallotFactory(
        campaign=campaign,
        actor=office,
        status=BallotStatus.PUBLISHED,
        options=options,
        outcomes=options,
        favourable=options[:1],
        rule_preset=preset,
        votes=votes,
        **kwargs,
    )


def test_satisfaction_points_at_their_band_edges_with_unknown_outside_the_base(office):
    # Five voters. 甲: 满意 满意 基本满意 不了解 不了解 → (200 + 70) ÷ 3 = 90 exactly: 满意
    # (达到 90); were 不了解 valid votes the mean would be 54. 乙: 满意 基本满意 ×3 不了解
    # → 77.5: 基本满意. 丙: 基本满意 ×4 不了解 → 70 exactly: 基本满意. 丁: 基本满意 ×3
    # 不满意 不了解 → 60: 不满意.
    ballot = _published(
        office,
        "score_satisfaction",
        SATISFACTION,
        ["甲", "乙", "丙", "丁"],
        [
            ["满意", "满意", "基本满意", "基本满意"],
            ["满意", "基本满意", "基本满意", "基本满意"],
            ["基本满意", "基本满意", "基本满意", "基本满意"],
            ["不了解", "基本满意", "基本满意", "不满意"],
            ["不了解", "不了解", "不了解", "不了解"],
        ],
    )
    assert ballot.sheet_options == ["满意", "基本满意", "不满意", "不了解"]
    results = _results(ballot)
    assert {n: (r.score, r.outcome) for n, r in results.items()} == {
        "甲": (Decimal("90.00"), "满意"),
        "乙": (Decimal("77.50"), "基本满意"),
        "丙": (Decimal("70.00"), "基本满意"),
        "丁": (Decimal("60.00"), "不满意"),
    }
    first = results["甲"]
    assert first.counts["不了解"] == 2 and first.valid == 3 and first.rate is None
    assert first.bases["weighted"]["cast"] == 5  # 不了解 is returned, not valid
    assert "合计 270 分 ÷ 3 = 90 分" in first.explanation
    assert [results[n].rank for n in "甲乙丙丁"] == [1, 2, 3, 4]
    assert [ok for ok, _ in ballot_check_lines(ballot=ballot)] == [True] * len(
        ballot_check_lines(ballot=ballot)
    )


def test_competence_points_strict_edge_and_ranks_with_ties(office):
    # 称职 100 / 基本称职 60 / 不称职 0; 称职 only when the mean is more than 80.
    # A and E: 称职 ×4 不称职 → 80 exactly: 基本称职, tied second; B 92: 称职, first;
    # C: 基本称职 ×5 → 60 exactly: 基本称职, fourth (not third: 1, 2, 2, 4); D 48: 不称职.
    ballot = _published(
        office,
        "score_competence",
        COMPETENCE,
        ["A", "B", "C", "D", "E"],
        [
            ["称职", "称职", "基本称职", "基本称职", "称职"],
            ["称职", "称职", "基本称职", "基本称职", "称职"],
            ["称职", "称职", "基本称职", "基本称职", "称职"],
            ["称职", "称职", "基本称职", "基本称职", "称职"],
            ["不称职", "基本称职", "基本称职", "不称职", "不称职"],
        ],
    )
    results = _results(ballot)
    assert {n: (r.score, r.outcome, r.rank) for n, r in results.items()} == {
        "A": (Decimal("80.00"), "基本称职", 2),
        "B": (Decimal("92.00"), "称职", 1),
        "C": (Decimal("60.00"), "基本称职", 4),
        "D": (Decimal("48.00"), "不称职", 5),
        "E": (Decimal("80.00"), "基本称职", 2),
    }
    assert all(ok for ok, _ in ballot_check_lines(ballot=ballot))


def _trimmed_ballot(office):
    """score_trimmed, the committee (weight 0.6) on the web and deputies (0.4) on paper.

    Committee: 满意 ×3 基本满意 不满意 → without one 100 and one 30: 270 ÷ 3 = 90 (80 with
    them). Deputies: 满意 ×2 基本满意 ×3 不满意 → 310 ÷ 4 = 77.5. 0.6 × 90 + 0.4 × 77.5
    = 85 exactly: 满意 (达到 85). The second subject has the same committee votes and
    the deputies' 基本满意 ×6 → 70, so 0.6 × 90 + 0.4 × 70 = 82: 基本满意."""
    campaign = CampaignFactory(actor=office, composition_size=25)
    first, second = _subjects(campaign, "周敏", "吴刚")
    ballot = BallotFactory(
        campaign=campaign,
        actor=office,
        options=SATISFACTION,
        rule_preset="score_trimmed",
        committee_weight=Decimal("0.6"),
        extra_groups=[("人大代表", Decimal("0.4"))],
    )
    PaperTallyFactory(
        ballot=ballot,
        voter_group=ballot.voter_groups.get(name="人大代表"),
        issued=6,
        returned=6,
        counts={
            first.pk: {"满意": 2, "基本满意": 3, "不满意": 1},
            second.pk: {"基本满意": 6},
        },
    )
    votes = ["满意", "满意", "满意", "基本满意", "不满意"]
    return ballot_advance(ballot, to=BallotStatus.PUBLISHED, votes=votes, actor=office)


def test_dropping_the_highest_and_lowest_of_each_group_weighted_by_group(office):
    ballot = _trimmed_ballot(office)
    results = _results(ballot)
    assert (results["周敏"].score, results["周敏"].outcome) == (Decimal("85.00"), "满意")
    assert (results["吴刚"].score, results["吴刚"].outcome) == (Decimal("82.00"), "基本满意")
    assert results["周敏"].group_counts["人大代表"] == {
        "满意": 2, "基本满意": 3, "不满意": 1, "不了解": 0,
    }  # fmt: skip
    text = results["周敏"].explanation
    assert "去掉 1 个最高分和 1 个最低分，合计 270 分 ÷ 3 = 90 分" in text
    assert "合计 310 分 ÷ 4 = 77.5 分" in text and "平均分 85 分" in text
    assert all(ok for ok, _ in ballot_check_lines(ballot=ballot))


def test_the_verifier_recomputes_scores_and_ranks_and_names_a_tampered_one(office):
    ballot = _trimmed_ballot(office)
    record = ballot_record(ballot)
    assert [r["score"] for r in record["results"]] == ["85.00", "82.00"]
    assert all(ok for ok, _ in record_check(record))
    record["results"][1]["score"] = "86.00"
    assert "published score 86.00 but the rule gives 82.0" in record_check(record)[-1][1]
    record = ballot_record(ballot)
    record["results"][0]["rank"] = 2
    assert "published rank 2 but the scores give 1" in record_check(record)[-1][1]

    out = io.StringIO()
    call_command("ballot_verify", str(ballot.pk), stdout=out)
    assert "PASS" in out.getvalue() and "scores, ranks with ties" in out.getvalue()
    BallotResult.objects.filter(ballot=ballot, subject__person_name="吴刚").update(rank=1)
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("ballot_verify", str(ballot.pk), stdout=out)
    assert "published rank 1 but the scores give 2" in out.getvalue()
    BallotResult.objects.filter(ballot=ballot, subject__person_name="吴刚").update(
        rank=2, score=Decimal("90.00")
    )
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("ballot_verify", str(ballot.pk), stdout=out)
    assert "(吴刚): published score 90.00 but the rule gives 82.0" in out.getvalue()


def test_pages_excel_big_screen_public_page_and_briefing_show_score_and_rank(client, office):
    from openpyxl import load_workbook

    ballot = _published(
        office,
        "score_competence",
        COMPETENCE,
        ["A", "B", "C"],
        [["称职", "称职", "基本称职"], ["称职", "称职", "不称职"], ["不了解", "不了解", "不了解"]],
    )  # A 100, B 100 (tied first), C (60 + 0) ÷ 2 = 30
    client.force_login(office)
    page = client.get(reverse("ballot_results", args=[ballot.pk])).content.decode()
    assert "<th>得分</th>" in page and "满意率" not in page.split('data-testid="results"')[1]
    assert page.count("1（并列）") == 2 and ">3</td>" in page and ">30.00</td>" in page
    assert "<th>不了解</th>" in page

    detail = client.get(reverse("ballot_detail", args=[ballot.pk])).content.decode()
    assert "<th>得分</th>" in detail and "100.00" in detail and "1（并列）" in detail

    screen = client.get(reverse("ballot_screen_data", args=[ballot.pk])).json()
    assert [(r["score"], r["rank"], r["outcome"]) for r in screen["results"]] == [
        (100.0, "1（并列）", "称职"),
        (100.0, "1（并列）", "称职"),
        (30.0, "3", "不称职"),
    ]

    response = client.get(reverse("ballot_results_xlsx", args=[ballot.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    header = next(r for r in rows if r and r[0] == "排名")
    assert "得分" in header and "满意率（%）" not in header
    body = [r for r in rows if r and r[1] == "C"]
    assert body[0][0] == 3 and body[0][header.index("得分")] == 30
    assert [r[0] for r in rows if r and r[1] in ("A", "B")] == ["1（并列）", "1（并列）"]

    client.logout()
    public = client.get(reverse("public_campaign", args=[ballot.campaign.pk])).content.decode()
    assert "<th>得分</th>" in public and "1（并列）" in public and "30.00" in public


def test_the_briefing_table_carries_score_and_rank(office):
    from django.template.loader import render_to_string

    from tests.factories import BriefingFactory
    from workbench.documents import briefing_context
    from workbench.models import BriefingBlock

    ballot = _published(
        office,
        "score_satisfaction",
        SATISFACTION,
        ["甲", "乙"],
        [["满意", "满意"], ["基本满意", "基本满意"], ["不了解", "不满意"]],
    )  # 甲 85, 乙 (100 + 70 + 30) ÷ 3 = 66.67
    briefing = BriefingFactory(
        campaign=ballot.campaign, actor=office, blocks=[BriefingBlock.RESULTS]
    )
    html = render_to_string("workbench/briefing_pdf.html", briefing_context(briefing))
    assert "<th>得分</th>" in html and "<th>不了解</th>" in html
    assert "<td>85.00</td><td>基本满意</td>" in html and "<td>66.67</td><td>不满意</td>" in html


def test_the_rule_builder_creates_a_scored_ballot_and_the_simulator_scores(client, office):
    campaign = CampaignFactory(actor=office, composition_size=25)
    _subjects(campaign, "甲")
    client.force_login(office)
    fields = {
        "name": "计分测评",
        "purpose": "review",
        "preset": "",
        "options": ["满意", "基本满意", "不满意"],  # list editors: one box per label
        "outcomes": ["满意", "基本满意", "不满意"],
        "favourable": ["满意", "基本满意"],
        "committee_weight": "1",
        "quorum_base": "composition",
        "threshold_counting": "committee",
        "threshold_compare": "gt",
        "threshold_share": "1/2",
        "threshold_base": "composition",
        "method": "score",
        "rate_base": "valid",
        "counting": "weighted",
        "bands": ">90 满意\n>=70 基本满意",
        "points": "满意 100\n基本满意 70\n不满意 30",
        "drop": "1",
        "combine": "pooled",
        "not_counted": "不了解",
        # The rest of the form, blank.
        "meeting": "",
        "teller_threshold": "",
        "extra_groups": "",
        "present_count": "",
        "quorum": "",
        "rate_options": "",
        "threshold_options": "",
    }
    preview = client.post(reverse("ballot_rule_preview", args=[campaign.pk]), fields).json()
    assert preview["problems"] == [] and "超过 90 分为满意" in preview["text"]
    assert "去掉 1 个最高分和 1 个最低分" in preview["text"]
    bad = client.post(
        reverse("ballot_rule_preview", args=[campaign.pk]), {**fields, "points": "满意 100"}
    ).json()
    assert "每个有效选项都须有且只有一个分值" in bad["problems"][0]
    response = client.post(reverse("ballot_list", args=[campaign.pk]), fields)
    assert response.status_code == 302
    ballot = campaign.ballots.get()
    assert ballot.scored and ballot.sheet_options == ["满意", "基本满意", "不满意", "不了解"]
    assert ballot.rule_spec["points"] == [["满意", 100], ["基本满意", 70], ["不满意", 30]]
    assert ballot.rule_preset == "custom" and ballot.spec.drop == 1

    # A published satisfaction ballot under the simulator: the score preset scores it.
    published = _published(
        office,
        "default",
        SATISFACTION,
        ["乙"],
        [["满意"], ["满意"], ["基本满意"]],
    )
    page = client.get(reverse("ballot_simulate", args=[published.pk])).content.decode()
    assert "90 分" in page  # (100 + 100 + 70) ÷ 3 under the 计分测评 preset
    custom = client.get(
        reverse("ballot_simulate", args=[published.pk]),
        {**{k: v for k, v in fields.items() if k not in ("name", "purpose")}, "bands": ">=95 满意"},
    ).content.decode()
    assert "100 分" in custom  # one 100 and the 70 dropped: 100 ÷ 1


def _result_rows(client, ballot, names) -> dict[str, list[str]]:
    """The published results page's table as text cells, per subject: rank, name, the
    count of each sheet option, valid ballots, score, outcome."""
    import re
    from html import unescape

    page = client.get(reverse("ballot_results", args=[ballot.pk])).content.decode()
    table = page.split('data-testid="results"')[1].split("</table>")[0]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S):
        cells = [
            unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        ]
        name = next((n for n in names if cells and cells[1].startswith(n)), None)
        if name:
            rows[name] = cells[:-1]
    return rows


def test_band_edges_unknown_and_dropping_read_the_same_over_http(client, office):
    """What the services stored at each edge is what the published results page shows."""
    satisfaction = _published(
        office,
        "score_satisfaction",
        SATISFACTION,
        ["甲", "丙", "丁"],
        [
            ["满意", "基本满意", "基本满意"],
            ["满意", "基本满意", "基本满意"],
            ["基本满意", "基本满意", "不满意"],
            ["不了解", "基本满意", "不了解"],
        ],
    )  # 甲 (200 + 70) ÷ 3 = 90: 满意; 丙 70: 基本满意; 丁 (140 + 30) ÷ 3 ≈ 56.67: 不满意
    trimmed = _trimmed_ballot(office)
    client.force_login(office)
    header = client.get(reverse("ballot_results", args=[satisfaction.pk])).content.decode()
    assert "<th>不了解</th>" in header and "<th>得分</th>" in header
    rows = _result_rows(client, satisfaction, ["甲", "丙", "丁"])
    assert [rows[n][0] for n in ("甲", "丙", "丁")] == ["1", "2", "3"]
    assert [rows[n][-2:] for n in ("甲", "丙", "丁")] == [
        ["90.00", "满意"],
        ["70.00", "基本满意"],
        ["56.67", "不满意"],
    ]
    # 不了解 is shown as returned, and left out of the valid ballots the mean divides by.
    assert rows["甲"][2:7] == ["2", "1", "0", "1", "3"]
    rows = _result_rows(client, trimmed, ["周敏", "吴刚"])
    assert rows["周敏"][-2:] == ["85.00", "满意"] and rows["吴刚"][-2:] == ["82.00", "基本满意"]
