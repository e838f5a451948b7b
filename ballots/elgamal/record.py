"""The election record (计票记录): everything needed to recheck a ballot's count from scratch.

Why a record: after publication anyone, with `verifier/verify_record.py` (standard
library and pysodium only), recomputes every proof, the sums, the decryption and the
counts, so a sheet added, copied or edited in the database, or a count edited on a page,
shows up as a failure naming what is wrong. The format is documented in
`verifier/README.md`; this module builds it from verified parts.
"""

from .elgamal import Ciphertext
from .group import CryptoError, Point
from .sheet import ballot_id_check, sheet_verify, tracker
from .tally import tally_counts, tally_partial_verify, tally_sum, tally_to_json
from .tellers import TellerPublic, joint_key, teller_public_verify, verification_key

FORMAT = "shuzhi-pingyi/election-record/v3"
# v2: sheets, participations, sums and electronic counts per voter group voting on the web.
# v3: the same keys; every point is ristretto255 (protocol shuzhi-pingyi/elgamal/v2).
GROUP = "常委会组成人员"


def record_build(
    *,
    ballot_id: str,
    subjects: list[dict],
    n: int,
    k: int,
    publics: list[TellerPublic],
    participations: int,
    sheets: list[dict],
    partials: dict[int, list],
    paper: list[dict] | None = None,
) -> dict:
    """subjects: [{"name", "options": [labels]}]; sheets: as cast; partials: {teller: the
    teller's posted partial decryptions}; paper: [{"group", "counts": [[per option]]}].

    Everything is verified on the way in (a record that fails its own verifier is never
    produced); raises CryptoError naming the first problem.
    """
    ballot_id_check(ballot_id)
    layout = [len(s["options"]) for s in subjects]
    for p in publics:
        teller_public_verify(p, ballot_id=ballot_id, n=n, k=k)
    h: Point = joint_key(publics)
    verified: list[list[list[Ciphertext]]] = []
    for sheet in sheets:
        verified.append(sheet_verify(sheet, joint_key=h, ballot_id=ballot_id, layout=layout))
    total = tally_sum(verified, layout)
    if len(partials) < k:
        raise CryptoError(f"{len(partials)} tellers decrypted, {k} are needed")
    points = {
        t: tally_partial_verify(
            key=verification_key(publics, t), tally=total, partial=partial, joint_key=h,
            ballot_id=ballot_id, teller=t,
        )
        for t, partial in sorted(partials.items())
    }  # fmt: skip
    electronic = tally_counts(total, points, len(sheets))
    paper = paper or []
    # One voter group (the committee) votes on the web here; the app's record
    # (ballots.services.record) lists every group with its own sheets and sums.
    counts = [
        [e + sum(p["counts"][i][j] for p in paper) for j, e in enumerate(row)]
        for i, row in enumerate(electronic)
    ]
    return {
        "format": FORMAT,
        "ballot": ballot_id,
        "subjects": subjects,
        "tellers": {"n": n, "k": k, "published": [p.to_json() for p in publics]},
        "joint_key": h.hex(),
        "groups": [{"name": GROUP, "ballot": ballot_id}],
        "participations": {GROUP: participations},
        "sheets": [{"tracker": tracker(s), "sheet": s, "group": GROUP} for s in sheets],
        "tally": tally_to_json(total),
        "decryptions": [{"teller": t, "partial": partials[t]} for t in sorted(partials)],
        "paper": paper,
        "counts": {"electronic": {GROUP: electronic}, "total": counts},
    }
