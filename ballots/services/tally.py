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
from .keys import sheet_layout


def _fraction(value) -> Fraction:
    return Fraction(str(value))


def _bases(ballot: Ballot, groups, papers) -> tuple[dict, dict]:
    """Ballots issued and cast, of the committee alone and weighted over every group.

    The committee's issued count: every eligible member got one web ballot when anyone
    voted on the web (those who voted on paper instead are among them); with no web
    votes at all, the paper sheets handed out. Never both added together."""
    committee = next(g for g in groups if g.is_committee)
    eligible = Eligibility.objects.filter(ballot=ballot).count()
    web = ballot.web_participants
    paper = papers.get(committee.pk)
    committee_issued = eligible if web or paper is None else paper.issued
    committee_cast = web + (paper.returned if paper else 0)
    issued = {"committee": Fraction(committee_issued)}
    cast = {"committee": Fraction(committee_cast)}
    issued["weighted"] = _fraction(committee.weight) * committee_issued + sum(
        (
            _fraction(g.weight) * papers[g.pk].issued
            for g in groups
            if not g.is_committee and g.pk in papers
        ),
        Fraction(0),
    )
    cast["weighted"] = _fraction(committee.weight) * committee_cast + sum(
        (
            _fraction(g.weight) * papers[g.pk].returned
            for g in groups
            if not g.is_committee and g.pk in papers
        ),
        Fraction(0),
    )
    return issued, cast


def tally(ballot: Ballot, web_counts: dict[int, dict[str, int]]) -> list[BallotResult]:
    """Combine web votes and paper counts per subject, apply the ballot's rule, rank."""
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
    results, scores = [], []
    for item in ballot.items.select_related("subject"):
        web = dict(web_counts[item.subject_id])
        paper = {o: 0 for o in choices}
        weighted = {o: Fraction(web[o]) * _fraction(committee.weight) for o in choices}
        committee_counts = {o: Fraction(web[o]) for o in choices}
        own = {g.pk: {o: Fraction(0) for o in choices} for g in groups}
        own[committee.pk] = committee_counts
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
            groups=tuple(
                GroupCounts(g.name, _fraction(g.weight), own[g.pk])
                for g in groups
                if g.is_committee or g.pk in papers
            ),
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
                paper_counts=paper,
                valid=_decimal(numbers.base("valid", spec.counting)),
                issued=_decimal(issued[spec.counting]),
                bases=numbers.bases(),
                rate=Decimal(str(round(float(outcome.rate), 2)))
                if outcome.rate is not None
                else None,
                score=_decimal(outcome.score) if outcome.score is not None else None,
                group_counts={
                    g.name: {o: _json_number(own[g.pk][o]) for o in choices}
                    for g in groups
                    if g.is_committee or g.pk in papers
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
