"""Reads of ballots: turnout, and results only through the one visibility rule."""

from collections import Counter
from fractions import Fraction

from .crypto import tracker as paillier_tracker
from .models import Ballot, BallotScheme, BallotStatus, Eligibility, Participation, SealedSheet
from .rules import GroupCounts, RuleError, Tally, apply_spec


def ballot_turnout(ballot) -> dict:
    """已投/应投 and who has not voted yet. Never anything about what was voted."""
    voted = set(Participation.objects.filter(ballot=ballot).values_list("user_id", flat=True))
    eligible = list(
        Eligibility.objects.filter(ballot=ballot).select_related("user").order_by("user__username")
    )
    return {
        "eligible": len(eligible),
        "voted": len(voted),
        "not_voted": [e.user for e in eligible if e.user_id not in voted],
    }


def ballots_open_for(user):
    voted = Participation.objects.filter(user=user).values("ballot_id")
    return (
        Ballot.objects.filter(status=BallotStatus.OPEN, eligible__user=user)
        .exclude(pk__in=voted)
        .select_related("campaign")
    )


def tellers_decrypted(ballot) -> int:
    """How many tellers' partial decryptions are in (counts come only with k of them)."""
    return ballot.tellers.filter(decrypted_at__isnull=False).count()


def ballot_status_text(ballot) -> str:
    """The status as the pages and the big screen say it, with the tellers' progress."""
    if ballot.status == BallotStatus.COUNTING:
        return (
            f"{ballot.get_status_display()}（已解密 {tellers_decrypted(ballot)} 人，"
            f"需 {ballot.teller_threshold} 人）"
        )
    return ballot.get_status_display()


def teller_tasks(user) -> list[tuple[object, str]]:
    """What this user owes as a teller (监票人): (teller, task) with task one of "keys"
    (生成监票密钥), "shares" (发送份额), "decrypt" (解密计票)."""
    from .models import Teller

    tasks = []
    for t in Teller.objects.filter(
        user=user, ballot__status__in=[BallotStatus.DRAFT, BallotStatus.COUNTING]
    ).select_related("ballot__campaign"):
        ballot = t.ballot
        if ballot.status == BallotStatus.DRAFT:
            if t.published_at is None:
                tasks.append((t, "keys"))
            elif (
                len(t.shares)
                < ballot.tellers.filter(published_at__isnull=False).exclude(pk=t.pk).count()
            ):
                tasks.append((t, "shares"))
        elif t.decrypted_at is None:
            tasks.append((t, "decrypt"))
    return tasks


def ballot_results_visible(ballot) -> bool:
    """The one rule for every reader (pages, exports, the big screen, briefings, the public
    page, the admin, rectification): no count, rate or outcome of a ballot is shown to
    anyone, office included, before the office publishes it."""
    return ballot.status == BallotStatus.PUBLISHED


def published_ballots():
    """The ballots whose results may be read: the queryset form of ballot_results_visible."""
    return Ballot.objects.filter(status=BallotStatus.PUBLISHED)


def ballot_results(ballot):
    """The stored results, or nothing at all while the ballot is not published."""
    if not ballot_results_visible(ballot):
        return []
    results = list(ballot.results.select_related("subject__unit").order_by("rank", "id"))
    ranks = Counter(r.rank for r in results)
    for r in results:
        r.tied = ranks[r.rank] > 1  # 并列 (a score rule's equal scores)
    return results


def ballot_receipts(ballot) -> list[str]:
    """The receipts (sheet trackers) of every counted sheet, in alphabetical order, once
    published, so a member can find theirs."""
    if not ballot_results_visible(ballot):
        return []
    sheets = SealedSheet.objects.filter(ballot=ballot)
    if ballot.scheme == BallotScheme.PAILLIER:
        return sorted(paillier_tracker(c) for c in sheets.values_list("ciphertext", flat=True))
    return sorted(sheets.values_list("tracker", flat=True))


def result_tally(ballot, result):
    """A stored result's counts and bases as the rules read them, to apply another rule."""

    def fractions(counts: dict) -> dict:
        return {o: Fraction(str(n)) for o, n in counts.items()}

    bases = result.bases or {}
    weighted = fractions(result.counts)
    committee = fractions(result.committee_counts) if result.committee_counts else weighted

    def base(counting: str, name: str, fallback):
        value = (bases.get(counting) or {}).get(name)
        return Fraction(str(value)) if value is not None else fallback

    issued = Fraction(str(result.issued))
    cast = Fraction(ballot.web_participants)
    weights = (result.rule_snapshot or {}).get("weights") or {}
    groups = tuple(
        GroupCounts(name, Fraction(str(weights.get(name, 1))), fractions(counts))
        for name, counts in (result.group_counts or {}).items()
    )  # before score rules no group's own counts were kept: score rules read the weighted
    return Tally(
        weighted=weighted,
        committee=committee,
        scale=list(ballot.options),
        composition=ballot.composition_size,
        present=ballot.present_count,
        issued={c: base(c, "issued", issued) for c in ("committee", "weighted")},
        cast={c: base(c, "cast", cast) for c in ("committee", "weighted")},
        groups=groups,
    )


def rule_simulation(ballot, rules: list[tuple[str, object, list[str]]]) -> list[dict]:
    """Each subject's outcome under each (name, spec, outcomes); never stores anything.
    A spec of None means the rule does not apply to this ballot (shown as 不适用)."""
    rows = []
    for result in ballot_results(ballot):
        tally = result_tally(ballot, result)
        cells = []
        for _name, spec, outcomes in rules:
            try:
                outcome = apply_spec(spec, outcomes, tally) if spec is not None else None
            except RuleError as exc:
                cells.append(
                    {"label": "不适用", "rate": None, "score": None, "explanation": str(exc)}
                )
                continue
            if outcome is None:
                cells.append({"label": "不适用", "rate": None, "score": None, "explanation": ""})
            else:
                cells.append(
                    {
                        "label": outcome.label,
                        "rate": round(float(outcome.rate), 2) if outcome.rate is not None else None,
                        "score": round(float(outcome.score), 2)
                        if outcome.score is not None
                        else None,
                        "explanation": outcome.explanation,
                    }
                )
        first = cells[0]["label"] if cells else None
        for cell in cells[1:]:
            cell["differs"] = cell["label"] != first
        rows.append({"result": result, "cells": cells})
    return rows
