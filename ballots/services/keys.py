"""Where a ballot's private key lives (outside the database) and how its sheets are laid out."""

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
