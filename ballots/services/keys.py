"""Ballots before #22 (scheme paillier): where their private key lived (outside the database,
destroyed at close) and how their sheets are laid out, to verify them."""

from .. import crypto as ballot_crypto
from ..models import Ballot


def ballot_key_name(ballot: Ballot) -> str:
    return f"ballot-{ballot.pk}"


def sheet_layout(ballot: Ballot, items: int | None = None) -> ballot_crypto.Layout:
    return ballot_crypto.Layout(
        subjects=items if items is not None else ballot.items.count(),
        options=len(ballot.sheet_options),
        slot_bits=ballot.slot_bits,
        n=int(ballot.public_key, 16),
    )
