"""届内履职评议档案: one person's or one unit's reviews across the campaigns of a term (届).

Read-only, for the leadership roles. Results come only from published review ballots
(ballots.selectors.ballot_results, which applies ballot_results_visible); practice
(试运行) campaigns are never part of a term record.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from ballots.models import BallotPurpose
from ballots.selectors import ballot_results, ballot_results_visible, published_ballots
from core.roles import LEADERSHIP, user_has_role
from rectification.models import OpinionProblem, OpinionStatus
from rectification.selectors import rectification_rows
from reviews.models import TERM_YEARS, Campaign
from subjects.models import DutyReportVersion, Subject, Unit
from subjects.selectors import ReportState, subject_report_state


@dataclass(frozen=True)
class Term:
    name: str
    start_year: int

    @property
    def end_year(self) -> int:
        return self.start_year + TERM_YEARS - 1

    @property
    def label(self) -> str:
        return f"{self.name}（{self.start_year}—{self.end_year}年）"


@dataclass
class TermRow:
    """One subject (a person in one campaign) in the term record."""

    subject: Subject
    results: list = field(default_factory=list)  # BallotResult of published review ballots
    opinion: object = None  # the review opinion once approved or delivered
    problems: list = field(default_factory=list)
    plan_state: str = "—"
    report_state: str = "—"
    continued: bool = False  # continued rectification (a report beyond round 1)
    duty_report: str = "—"

    @property
    def result(self):
        return self.results[-1] if self.results else None


def term_readable(user) -> bool:
    """The one access rule of the term record: the leadership roles, read-only."""
    return user.is_authenticated and user_has_role(user, *LEADERSHIP)


def _term_campaigns() -> QuerySet[Campaign]:
    return Campaign.objects.filter(is_practice=False, term_start_year__isnull=False).exclude(
        term=""
    )


def terms_for_user(user) -> list[Term]:
    if not term_readable(user):
        raise PermissionDenied("只有评议办公室、领导小组和主任会议可以查阅届内履职评议档案。")
    pairs = _term_campaigns().values_list("term", "term_start_year").distinct()
    return sorted({Term(n, y) for n, y in pairs}, key=lambda t: -t.start_year)


def term_for_user(user, start_year: int) -> tuple[Term, list[Campaign]]:
    """The term starting in `start_year` and its campaigns by year, or 404/403."""
    terms = [t for t in terms_for_user(user) if t.start_year == start_year]
    if not terms:
        raise Http404("没有这一届的评议活动。")
    campaigns = list(_term_campaigns().filter(term_start_year=start_year).order_by("year", "pk"))
    return terms[0], campaigns


def term_rows(
    campaigns: list[Campaign], subjects: QuerySet[Subject] | None = None
) -> list[TermRow]:
    """Every subject of the campaigns (or those given), by campaign year and position, with
    its published results, opinion, rectification and duty report."""
    today = datetime.date.today()
    base = subjects if subjects is not None else Subject.objects.all()
    base = (
        base.filter(campaign__in=campaigns)
        .select_related("campaign", "unit")
        .prefetch_related(
            Prefetch(
                "report_versions",
                queryset=DutyReportVersion.objects.order_by("-number"),
                to_attr="versions",
            )
        )
        .order_by("campaign__year", "campaign__pk", "position", "pk")
    )
    rows = {s.pk: TermRow(subject=s) for s in base}
    if not rows:
        return []
    results = defaultdict(list)
    ballots = published_ballots().filter(campaign__in=campaigns, purpose=BallotPurpose.REVIEW)
    for ballot in ballots.order_by("published_at", "pk"):
        if not ballot_results_visible(ballot):  # the one rule, asked again per ballot
            continue
        for result in ballot_results(ballot):
            if result.subject_id in rows:
                results[result.subject_id].append(result)
    rectification = {
        r.subject.pk: r
        for r in rectification_rows(
            Subject.objects.filter(pk__in=list(rows)).select_related("unit")
        )
    }
    for pk, row in rows.items():
        row.results = results.get(pk, [])
        rect = rectification.get(pk)
        subject = row.subject
        if rect is not None:
            opinion = rect.opinion
            if opinion is not None and opinion.status != OpinionStatus.DRAFT:
                row.opinion = opinion
            row.plan_state = rect.plan_state
            row.report_state = rect.report_state
            row.continued = rect.report is not None and rect.report.round > 1
        state = subject_report_state(
            subject, subject.versions, subject.campaign.report_final_due, today
        )
        row.duty_report = ReportState(state.state).label
    problems = defaultdict(list)
    opinions = [row.opinion.pk for row in rows.values() if row.opinion is not None]
    for problem in OpinionProblem.objects.filter(opinion__in=opinions).order_by("position"):
        problems[problem.opinion_id].append(problem)
    for row in rows.values():
        if row.opinion is not None:
            row.problems = problems[row.opinion.pk]
    return list(rows.values())


def people_and_units(rows: list[TermRow]) -> tuple[list[tuple[str, int]], list[tuple[Unit, int]]]:
    """The persons (by name) and units of a term, each with how many campaigns named them."""
    people: dict[str, int] = defaultdict(int)
    units: dict[int, list] = {}
    for row in rows:
        people[row.subject.person_name] += 1
        units.setdefault(row.subject.unit_id, [row.subject.unit, 0])[1] += 1
    return sorted(people.items()), sorted(
        ((u, n) for u, n in units.values()), key=lambda p: p[0].name
    )


def trend(rows: list[TermRow]) -> dict:
    """Chart data: per campaign, the satisfaction rate of the latest published result."""
    points = []
    for row in rows:
        result = row.result
        points.append(
            {
                "campaign": f"{row.subject.campaign.year}年 {row.subject.campaign.name}",
                "rate": float(result.rate) if result and result.rate is not None else None,
                "outcome": result.outcome if result else "",
            }
        )
    return {"points": points}


# The whole term's record as a PDF through core.documents, keyed by the term's first year.
TERM_RECORD_DOCUMENT = "term_record"


def _term_of(start_year: int) -> tuple[Term, list[Campaign]]:
    campaigns = list(_term_campaigns().filter(term_start_year=start_year).order_by("year", "pk"))
    if not campaigns:
        raise Http404("没有这一届的评议活动。")
    return Term(campaigns[0].term, start_year), campaigns


def term_record_title_for(user, object_id: int) -> str:
    """The document's access rule is the term record's (term_for_user: 403 or 404)."""
    term, _ = term_for_user(user, object_id)
    return f"{term.label}履职评议档案"


def term_record_render(object_id: int) -> tuple[str, dict, str]:
    """Every subject of the term, campaign by campaign: results with rule, opinion,
    rectification and duty report, as the record's pages show them."""
    term, campaigns = _term_of(object_id)
    rows = term_rows(campaigns)
    by_campaign = [(c, [r for r in rows if r.subject.campaign_id == c.pk]) for c in campaigns]
    context = {
        "term": term,
        "by_campaign": by_campaign,
        "people": people_and_units(rows)[0],
        "printed_on": datetime.date.today(),
    }
    return "workbench/term_record_pdf.html", context, f"{term.label}履职评议档案.pdf"
