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
    PaperTally,
    Participation,
    SealedSheet,
    Teller,
)


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
    electronic = [
        [
            results[i.subject_id].web_counts.get(o, 0) if i.subject_id in results else 0
            for o in options
        ]
        for i in items
    ]
    total = [
        [e + sum(p["counts"][s][j] for p in paper) for j, e in enumerate(row)]
        for s, row in enumerate(electronic)
    ]
    sheets = [
        json.loads(bytes(c))
        for c in SealedSheet.objects.filter(ballot=ballot)
        .order_by("tracker")
        .values_list("ciphertext", flat=True)
    ]
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
        "participations": Participation.objects.filter(ballot=ballot).count(),
        "sheets": [{"tracker": _tracker(s), "sheet": s} for s in sheets],
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
    return record_check(ballot_record(ballot))


def record_problems(ballot: Ballot) -> list[str]:
    """What the verifier finds wrong in the database's record (empty: all checks pass)."""
    return [message for ok, message in ballot_check_lines(ballot=ballot) if not ok]
