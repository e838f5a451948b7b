"""Counting: combine the web counts with paper, apply the rule; and, for ballots before #22,
the product of their Paillier sheets that ballot_verify rechecks."""

from decimal import Decimal
from fractions import Fraction

from core.errors import ApplicationError

from .. import crypto as ballot_crypto
from ..models import (
    Ballot,
    BallotResult,
    Eligibility,
    PaperTally,
    SealedSheet,
)
from ..rules import (
    GroupCounts,
    RuleError,
    Tally,
    apply_spec,
    describe,
    rank_with_ties,
)
from ..selectors import voting_codes_by_group, web_voters_by_group
from .keys import sheet_layout


def _fraction(value) -> Fraction:
    return Fraction(str(value))


def _group_numbers(ballot: Ballot, groups, papers) -> dict[int, tuple[int, int]]:
    """(issued, cast) of each voter group, before weighting.

    The committee's issued count: every eligible member got one web ballot when anyone
    voted on the web (those who voted on paper instead are among them); with no web
    votes at all, the paper sheets handed out. Never both added together. Any other
    group: its voting codes (one slip is one ballot issued) plus its paper sheets; cast,
    the codes used plus the paper sheets returned."""
    codes = voting_codes_by_group(ballot)
    voters = web_voters_by_group(ballot)
    numbers = {}
    for g in groups:
        paper = papers.get(g.pk)
        web = voters.get(g.pk, 0)
        if g.is_committee:
            eligible = Eligibility.objects.filter(ballot=ballot).count()
            issued = eligible if web or paper is None else paper.issued
        else:
            issued = codes.get(g.pk, {}).get("issued", 0) + (paper.issued if paper else 0)
        numbers[g.pk] = (issued, web + (paper.returned if paper else 0))
    return numbers


def _bases(ballot: Ballot, groups, papers) -> tuple[dict, dict]:
    """Ballots issued and cast, of the committee alone and weighted over every group that
    voted (on the web or on paper)."""
    committee = next(g for g in groups if g.is_committee)
    numbers = _group_numbers(ballot, groups, papers)
    voting = [g for g in groups if g.is_committee or g.pk in papers or g.web_voting]
    issued = {"committee": Fraction(numbers[committee.pk][0])}
    cast = {"committee": Fraction(numbers[committee.pk][1])}
    issued["weighted"] = sum((_fraction(g.weight) * numbers[g.pk][0] for g in voting), Fraction(0))
    cast["weighted"] = sum((_fraction(g.weight) * numbers[g.pk][1] for g in voting), Fraction(0))
    return issued, cast


def tally(ballot: Ballot, web_counts: dict[int, dict[int, dict[str, int]]]) -> list[BallotResult]:
    """Combine each voter group's web votes ({group id: {subject id: {option: n}}}) and
    paper counts per subject, each in its group's weight; apply the ballot's rule, rank."""
    groups = list(ballot.voter_groups.all())
    committee = next(g for g in groups if g.is_committee)
    papers = {
        t.voter_group_id: t
        for t in PaperTally.objects.filter(ballot=ballot).prefetch_related("counts")
    }
    issued, cast = _bases(ballot, groups, papers)
    choices = ballot.sheet_options
    spec = ballot.spec
    rule_snapshot = {
        "preset": ballot.rule_preset,
        "spec": ballot.rule_spec,
        "text": describe(spec, ballot.outcomes),
        "options": ballot.options,
        "outcomes": ballot.outcomes,
        "favourable": ballot.favourable,
        "composition": ballot.composition_size,
        "present": ballot.present_count,
        "quorum": ballot.quorum,
        "weights": {g.name: str(g.weight) for g in groups},
    }
    on_web = [g for g in groups if g.pk in web_counts]
    # The groups whose own counts a scored rule reads (web, paper, or the committee).
    counted = [g for g in groups if g.is_committee or g.pk in papers or g.pk in web_counts]
    results, scores = [], []
    for item in ballot.items.select_related("subject"):
        web = {o: sum(web_counts[g.pk][item.subject_id][o] for g in on_web) for o in choices}
        paper = {o: 0 for o in choices}
        weighted = {
            o: sum(
                (Fraction(web_counts[g.pk][item.subject_id][o]) * _fraction(g.weight)
                 for g in on_web),
                Fraction(0),
            )
            for o in choices
        }  # fmt: skip
        own = {g.pk: {o: Fraction(0) for o in choices} for g in groups}
        for g in on_web:
            for o in choices:
                own[g.pk][o] += web_counts[g.pk][item.subject_id][o]
        committee_counts = own[committee.pk]
        for group in groups:
            tally = papers.get(group.pk)
            if tally is None:
                continue
            for count in tally.counts.all():
                if count.subject_id == item.subject_id and count.option in paper:
                    paper[count.option] += count.count
                    weighted[count.option] += _fraction(group.weight) * count.count
                    own[group.pk][count.option] += count.count
        numbers = Tally(
            weighted=weighted,
            committee=committee_counts,
            scale=list(ballot.options),
            composition=ballot.composition_size,
            present=ballot.present_count,
            issued=issued,
            cast=cast,
            groups=tuple(GroupCounts(g.name, _fraction(g.weight), own[g.pk]) for g in counted),
        )
        try:
            outcome = apply_spec(spec, ballot.outcomes, numbers)
        except RuleError as exc:
            raise ApplicationError(str(exc)) from None
        results.append(
            BallotResult(
                ballot=ballot,
                subject=item.subject,
                counts={o: _json_number(weighted[o]) for o in choices},
                committee_counts={o: _json_number(committee_counts[o]) for o in choices},
                web_counts=web,
                web_group_counts={g.name: dict(web_counts[g.pk][item.subject_id]) for g in on_web},
                paper_counts=paper,
                valid=_decimal(numbers.base("valid", spec.counting)),
                issued=_decimal(issued[spec.counting]),
                bases=numbers.bases(),
                rate=Decimal(str(round(float(outcome.rate), 2)))
                if outcome.rate is not None
                else None,
                score=_decimal(outcome.score) if outcome.score is not None else None,
                group_counts={
                    g.name: {o: _json_number(own[g.pk][o]) for o in choices} for g in counted
                },
                outcome=outcome.label,
                explanation=outcome.explanation,
                rule_snapshot=rule_snapshot,
                rank=0,
            )
        )
        scores.append(outcome.score)
    if spec.scored:
        # Ranked on the exact scores: equal scores tie (并列), the next rank skips.
        for result, rank in zip(results, rank_with_ties(scores), strict=True):
            result.rank = rank
        return results
    ordered = sorted(
        results,
        key=lambda r: (
            r.rate is None,
            -(r.rate or 0),
            ballot.outcomes.index(r.outcome),
            -sum(r.counts[o] for o in ballot.favourable),
        ),
    )
    for rank, result in enumerate(ordered, start=1):
        result.rank = rank
    return results


def _json_number(value: Fraction):
    return int(value) if value.denominator == 1 else round(float(value), 4)


def _decimal(value: Fraction) -> Decimal:
    return Decimal(str(round(float(value), 2)))


def sheets_product(ballot: Ballot) -> tuple[list[int], ballot_crypto.Layout, list[int]]:
    """The subjects in sheet order, the sheets' layout, and the product of every stored sheet:
    what the close decrypts and what anyone's verification recomputes."""
    subject_ids = list(ballot.items.order_by("position").values_list("subject_id", flat=True))
    layout = sheet_layout(ballot, len(subject_ids))
    sheets = SealedSheet.objects.filter(ballot=ballot).values_list("ciphertext", flat=True)
    return subject_ids, layout, ballot_crypto.sheets_multiply(layout, sheets.iterator())
