"""Anyone's recheck of a published count from what is stored, and the purge of key files
left behind by ballots before #22."""

from core.keystore import key_destroy, key_names

from .. import crypto as ballot_crypto
from ..models import Ballot, BallotResult, BallotScheme, BallotStatus
from .tally import sheets_product


def ballot_verify(*, ballot: Ballot) -> bool:
    """Anyone's check of a published count (ballot_check names every problem)."""
    return not ballot_check(ballot=ballot)


def ballot_check(*, ballot: Ballot) -> list[str]:
    """Every problem found when a published ballot is recomputed from what is stored, in
    Chinese; empty when all checks pass. ElGamal ballots: the election record is rebuilt
    from the database, which re-verifies every proof, the sums and the decryption, then
    counts, rates and outcomes are recomputed and compared with the stored results (what
    pages and Excel show)."""
    if ballot.status != BallotStatus.PUBLISHED:
        return ["测评尚未公布。"]
    if ballot.scheme == BallotScheme.PAILLIER:
        return [] if _paillier_verify(ballot) else ["网上票数与存储的选票不一致。"]
    from .record import record_problems  # record imports this module

    return record_problems(ballot)


def _paillier_verify(ballot: Ballot) -> bool:
    """Ballots before #22: the product of the stored sheets, with the published proof,
    gives exactly the published web counts."""
    if not ballot.tally_proof:
        return False
    subject_ids, layout, product = sheets_product(ballot)
    proof = ballot.tally_proof
    plains = [int(m, 16) for m in proof["plaintext"]]
    if [format(c, "x") for c in product] != proof["product"] or not ballot_crypto.product_verify(
        layout, product, plains, [int(r, 16) for r in proof["randomness"]]
    ):
        return False
    rows = ballot_crypto.counts_unpack(layout, plains)
    web = dict(BallotResult.objects.filter(ballot=ballot).values_list("subject_id", "web_counts"))
    return all(
        web.get(sid) == dict(zip(ballot.sheet_options, row, strict=True))
        for sid, row in zip(subject_ids, rows, strict=True)
    )


def ballot_keys_purge() -> int:
    """Destroy Paillier key files left behind by ballots before #22 (a crash between a
    close's commit and its key deletion, or an open that rolled back)."""
    names = key_names(prefix="ballot")
    open_ids = set(Ballot.objects.filter(status=BallotStatus.OPEN).values_list("pk", flat=True))
    stale = [n for n in names if int(n.split("-")[1]) not in open_ids]
    for name in stale:
        key_destroy(name=name)
    return len(stale)
