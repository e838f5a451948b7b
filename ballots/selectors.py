"""Reads of ballots: turnout, and results only through the one visibility rule."""

from collections import Counter
from dataclasses import dataclass
from fractions import Fraction

from django.db.models import Count, Exists, OuterRef, Q, Subquery

from .crypto import tracker as paillier_tracker
from .models import (
    Ballot,
    BallotItem,
    BallotScheme,
    BallotStatus,
    Eligibility,
    PaperEntry,
    PaperTally,
    Participation,
    SealedSheet,
    VoterGroup,
)
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


def ballot_for_voter(*, pk: int, user):
    """The ballot as its voting page and ballot_cast need it, in one query: with its
    campaign, whether `user` may vote (voter_eligible) and has voted (voter_voted), its
    number of subjects (item_count) and its committee's voter group (committee_id).
    None when there is no such ballot."""
    return (
        Ballot.objects.select_related("campaign")
        .annotate(
            voter_eligible=Exists(Eligibility.objects.filter(ballot=OuterRef("pk"), user=user)),
            voter_voted=Exists(Participation.objects.filter(ballot=OuterRef("pk"), user=user)),
            item_count=Subquery(
                BallotItem.objects.filter(ballot=OuterRef("pk"))
                .order_by()
                .values("ballot")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            committee_id=Subquery(
                VoterGroup.objects.filter(ballot=OuterRef("pk"), is_committee=True).values("pk")
            ),
        )
        .filter(pk=pk)
        .first()
    )


def web_groups(ballot) -> list[VoterGroup]:
    """The voter groups that vote on the web, in the order their sums stand in the tally
    and the election record: the committee first, then the others by number."""
    return [g for g in ballot.voter_groups.order_by("-is_committee", "pk") if g.votes_on_web]


def voting_codes_by_group(ballot) -> dict[int, dict[str, int]]:
    """Per voter group with voting codes: {"issued": codes, "used": codes used}."""
    rows = (
        ballot.voting_codes.values("voter_group_id")
        .annotate(issued=Count("pk"), used=Count("pk", filter=Q(used=True)))
        .order_by()
    )
    return {r["voter_group_id"]: {"issued": r["issued"], "used": r["used"]} for r in rows}


def web_voters_by_group(ballot) -> dict[int, int]:
    """How many voted on the web, per group that votes there: the committee's members
    (participations), any other group's used voting codes."""
    codes = voting_codes_by_group(ballot)
    return {
        g.pk: Participation.objects.filter(ballot=ballot).count()
        if g.is_committee
        else codes.get(g.pk, {}).get("used", 0)
        for g in web_groups(ballot)
    }


def tally_groups(ballot) -> list[VoterGroup]:
    """The groups whose sums stand in the tally, in order: those with at least one web
    voter (an empty group's sum would be no ciphertext at all; its counts are 0)."""
    voters = web_voters_by_group(ballot)
    return [g for g in web_groups(ballot) if voters[g.pk]]


def ballot_turnout_by_group(ballot) -> list[dict]:
    """已投/应投 per voter group voting on the web: the committee's eligible members, a
    group's voting codes issued. Never anything about what was voted."""
    codes = voting_codes_by_group(ballot)
    rows = []
    for g in web_groups(ballot):
        if g.is_committee:
            voted = Participation.objects.filter(ballot=ballot).count()
            eligible = Eligibility.objects.filter(ballot=ballot).count()
        else:
            voted = codes.get(g.pk, {}).get("used", 0)
            eligible = codes.get(g.pk, {}).get("issued", 0)
        rows.append(
            {"name": g.name, "weight": str(g.weight), "voted": voted, "eligible": eligible,
             "codes": not g.is_committee}
        )  # fmt: skip
    return rows


def ballot_groups_summary(ballot) -> list[dict]:
    """Every voter group with its weight, web turnout (when it votes on the web) and paper
    sheets (when entered): what the results page shows beside the weighted counts."""
    web = {g["name"]: g for g in ballot_turnout_by_group(ballot)}
    papers = {t.voter_group_id: t for t in ballot.paper_tallies.all()}
    rows = []
    for g in ballot.voter_groups.order_by("-is_committee", "pk"):
        paper = papers.get(g.pk)
        rows.append(
            {
                "name": g.name,
                "weight": g.weight,
                "web": web.get(g.name),
                "paper": {"issued": paper.issued, "returned": paper.returned} if paper else None,
            }
        )
    return rows


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
    anyone, office included, before the office publishes it. One deliberate exception, the
    first step of publishing: the office reads the exact public text of a closed ballot
    (ballots.services.ballot_publish_preview, by POST, written to the audit log)."""
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


@dataclass
class PaperGroupState:
    """A voter group's paper totals: its two entries, where they differ, and the counted
    tally (only when they agree)."""

    group: VoterGroup
    first: PaperEntry | None
    second: PaperEntry | None
    differences: list[str]
    tally: PaperTally | None

    @property
    def agreed(self) -> bool:
        """Counted: two entries that agree, and the tally written from them."""
        return (
            self.tally is not None
            and self.first is not None
            and self.second is not None
            and not self.differences
        )

    @property
    def unchecked(self) -> bool:
        """A tally stored without two agreeing entries (typed once, e.g. before double
        entry existed, or written by any other path): never counted as it stands."""
        return self.tally is not None and not self.agreed


def paper_groups(ballot) -> list[PaperGroupState]:
    entries: dict[int, dict[int, PaperEntry]] = {}
    for e in PaperEntry.objects.filter(ballot=ballot).select_related("entered_by"):
        entries.setdefault(e.voter_group_id, {})[e.number] = e
    tallies = {t.voter_group_id: t for t in PaperTally.objects.filter(ballot=ballot)}
    states = []
    for group in ballot.voter_groups.all():
        pair = entries.get(group.pk, {})
        first, second = pair.get(1), pair.get(2)
        states.append(
            PaperGroupState(
                group=group,
                first=first,
                second=second,
                differences=paper_differences(ballot, first, second) if first and second else [],
                tally=tallies.get(group.pk),
            )
        )
    return states


def paper_group_state(ballot, group) -> PaperGroupState:
    return next(s for s in paper_groups(ballot) if s.group.pk == group.pk)


def paper_field_name(field: str) -> str:
    return "无效票" if field == "invalid" else f"“{field}”"


def paper_differences(ballot: Ballot, first: PaperEntry, second: PaperEntry) -> list[str]:
    """Every field where two entries differ, in the counting form's order, in Chinese."""
    differences = []
    for label, a, b in (
        ("发出票数", first.issued, second.issued),
        ("收回票数", first.returned, second.returned),
    ):
        if a != b:
            differences.append(f"{label}：第一次 {a}，第二次 {b}")
    for item in ballot.items.select_related("subject").order_by("position"):
        key = str(item.subject_id)
        one, two = first.counts.get(key, {}), second.counts.get(key, {})
        for field in [*ballot.sheet_options, "invalid"]:
            a, b = one.get(field, 0), two.get(field, 0)
            if a != b:
                differences.append(
                    f"{item.subject.person_name}{paper_field_name(field)}：第一次 {a}，第二次 {b}"
                )
    return differences


def paper_pending(ballot: Ballot) -> list[str]:
    """Why the paper totals cannot be counted yet, per voter group (empty: every group
    with paper entries has two that agree)."""
    problems = []
    for state in paper_groups(ballot):
        if state.unchecked and state.first is None:
            problems.append(
                f"{state.group.name}纸质票合计（发出 {state.tally.issued} 张，收回 "
                f"{state.tally.returned} 张）只录入过一次，未经双人录入核对，须由两名工作人员"
                "按计票单分别录入、核对一致后才能计入"
            )
            continue
        if state.first is None:
            continue
        if state.second is None:
            problems.append(
                f"{state.group.name}纸质票只录入了一次，须由另一名工作人员再录入一次核对"
            )
        elif state.differences:
            problems.append(
                f"{state.group.name}纸质票两次录入不一致（" + "；".join(state.differences) + "）"
            )
    return problems
