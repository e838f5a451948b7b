"""The election record (计票记录) of a published ElGamal ballot, built from the database, and
the checks ballot_verify runs on it.

Why built raw, not through ballots.elgamal.record.record_build: the record must show what
the database holds, so that the verifier (tools/verify_ballot.py, the same code anyone runs
on the downloaded file) finds whatever was changed there: a sheet added, copied or dropped,
a ciphertext, a partial decryption, a teller's key, a count, a rate, a score, a rank or an outcome edited.
"""

import json

from tools.verify_ballot import check as record_check

from ..elgamal.record import FORMAT
from ..models import (
    Ballot,
    BallotResult,
    BallotStatus,
    Eligibility,
    PaperEntry,
    PaperTally,
    SealedSheet,
    Teller,
)
from ..selectors import tally_groups, voting_codes_by_group, web_groups, web_voters_by_group


def _number(value):
    return value if isinstance(value, int) or value is None else str(value)


def ballot_record(ballot: Ballot) -> dict:
    items = list(ballot.items.order_by("position").select_related("subject"))
    options = ballot.sheet_options
    tellers = list(Teller.objects.filter(ballot=ballot).order_by("index"))
    results = {r.subject_id: r for r in BallotResult.objects.filter(ballot=ballot)}
    groups = list(ballot.voter_groups.all())
    papers = {
        t.voter_group_id: t
        for t in PaperTally.objects.filter(ballot=ballot).prefetch_related("counts")
    }
    entries: dict[int, list[dict]] = {}
    for e in PaperEntry.objects.filter(ballot=ballot).order_by("voter_group_id", "number"):
        rows = [e.counts.get(str(i.subject_id), {}) for i in items]
        entries.setdefault(e.voter_group_id, []).append(
            {
                "issued": e.issued,
                "returned": e.returned,
                "counts": [[row.get(o, 0) for o in options] for row in rows],
                "invalid": [row.get("invalid", 0) for row in rows],
            }
        )
    paper = []
    for group in groups:
        tally = papers.get(group.pk)
        if tally is None:
            continue
        cells = {(c.subject_id, c.option): c.count for c in tally.counts.all()}
        paper.append(
            {
                "group": group.name,
                "counts": [[cells.get((i.subject_id, o), 0) for o in options] for i in items],
            }
        )
    all_web = web_groups(ballot)
    committee = all_web[0]
    groups_web = tally_groups(ballot)

    def web_row(result, group) -> dict:
        # Results counted before groups voted on the web hold the committee's only.
        if result.web_group_counts:
            return result.web_group_counts.get(group.name, {})
        return result.web_counts if group.is_committee else {}

    electronic = {
        g.name: [
            [web_row(results[i.subject_id], g).get(o, 0) if i.subject_id in results else 0
             for o in options]
            for i in items
        ]
        for g in groups_web
    }  # fmt: skip
    total = [
        [
            sum(e[s][j] for e in electronic.values()) + sum(p["counts"][s][j] for p in paper)
            for j in range(len(options))
        ]
        for s in range(len(items))
    ]
    names = {g.pk: g.name for g in all_web}
    sheets = [
        (names.get(group_id or committee.pk, f"#{group_id}"), json.loads(bytes(c)))
        for group_id, c in SealedSheet.objects.filter(ballot=ballot)
        .order_by("tracker")
        .values_list("voter_group_id", "ciphertext")
    ]
    voters = web_voters_by_group(ballot)
    codes = voting_codes_by_group(ballot)
    return {
        "format": FORMAT,
        "ballot": ballot.crypto_id,
        "subjects": [{"name": i.subject.person_name, "options": options} for i in items],
        "tellers": {
            "n": ballot.teller_count,
            "k": ballot.teller_threshold,
            "published": [t.public for t in tellers],
        },
        "joint_key": ballot.joint_key,
        "groups": [{"name": g.name, "ballot": g.sheet_ballot_id(ballot)} for g in groups_web],
        "participations": {g.name: voters[g.pk] for g in groups_web},
        "sheets": [{"tracker": _tracker(s), "sheet": s, "group": name} for name, s in sheets],
        "tally": ballot.tally,
        "decryptions": [
            {"teller": t.index, "partial": t.partial} for t in tellers if t.decrypted_at
        ],
        "paper": paper,
        "counts": {"electronic": electronic, "total": total},
        "rule": {
            "text": ballot.rule_text,
            "spec": ballot.rule_spec,
            "options": ballot.options,
            "outcomes": ballot.outcomes,
            "composition": ballot.composition_size,
            "present": ballot.present_count,
            "eligible": Eligibility.objects.filter(ballot=ballot).count(),
            "groups": [
                {
                    "name": g.name,
                    "weight": str(g.weight),
                    "committee": g.is_committee,
                    "issued": papers[g.pk].issued if g.pk in papers else None,
                    "returned": papers[g.pk].returned if g.pk in papers else None,
                    "paper_entries": entries.get(g.pk, []),
                    "codes": codes.get(g.pk, {}).get("issued", 0) if g.web_voting else None,
                }
                for g in groups
            ],
        },
        "results": [
            {
                "subject": i.subject.person_name,
                "counts": [results[i.subject_id].counts.get(o, 0) for o in options]
                if i.subject_id in results
                else None,
                "rate": _number(results[i.subject_id].rate) if i.subject_id in results else None,
                "outcome": results[i.subject_id].outcome if i.subject_id in results else None,
                "score": _number(results[i.subject_id].score) if i.subject_id in results else None,
                "rank": results[i.subject_id].rank if i.subject_id in results else None,
            }
            for i in items
        ],
    }


def _tracker(sheet: dict) -> str:
    from ..elgamal.sheet import tracker

    return tracker(sheet)


def ballot_check_lines(*, ballot: Ballot) -> list[tuple[bool, str]]:
    """The verifier's lines on the database's record: (passed, what was checked or what is
    wrong), stopping at the first failure."""
    if ballot.status != BallotStatus.PUBLISHED:
        return [(False, "测评尚未公布。")]
    lines = record_check(ballot_record(ballot))
    if all(ok for ok, _ in lines):
        lines.append(_web_totals_line(ballot))
    return lines


def _web_totals_line(ballot: Ballot) -> tuple[bool, str]:
    """The record carries each group's web counts; the stored web totals (shown beside
    them) must be their sums."""
    for r in BallotResult.objects.filter(ballot=ballot).select_related("subject"):
        if not r.web_group_counts:
            continue
        sums = {o: sum(g.get(o, 0) for g in r.web_group_counts.values()) for o in r.web_counts}
        if sums != r.web_counts or set(r.web_counts) != set(ballot.sheet_options):
            return (
                False,
                f"{r.subject.person_name}: stored web counts {r.web_counts} but the "
                f"electronic counts per voter group add up to {sums}",
            )
    return True, "web totals = the sums of the electronic counts per voter group"


def record_problems(ballot: Ballot) -> list[str]:
    """What the verifier finds wrong in the database's record (empty: all checks pass)."""
    return [message for ok, message in ballot_check_lines(ballot=ballot) if not ok]
