"""A teller's whole part in the key ceremony from one secret seed (the browser's
`tellerFromSeed`, `sharesFor`, `tellerSecretFrom` in static/js/ballot_crypto.js).

Why a seed: the ceremony has two rounds (publish commitments and an ephemeral key; then
send each other teller its share, sealed to that teller's ephemeral key), and tellers
publish at different times. Deriving the polynomial and the ephemeral secret from one
random scalar lets the teller's browser write the key file (监票密钥文件) at once, in
the first visit: the file seals the seed under the passphrase (keyfile.py; its
"verification_key" is then g^seed, which only tells a damaged file apart). Everything
else is recomputed from it when needed: the shares still owed to tellers who published
later, and at the count x_j = f_j(j) + the shares received, each opened with the
ephemeral secret and checked against its sender's commitments. The server keeps only
what was published and the sealed shares, which it cannot open.

Random draws from the seed, in order (hash_to_scalar("teller-seed", seed, i)): the k
coefficients (constant first), the ephemeral secret, the proof's w: the order of
`teller_start`.
"""

import itertools

from .group import CryptoError, Rng, Scalar, hash_to_scalar, random_scalar, scalar_add
from .tellers import (
    TellerPublic,
    polynomial_at,
    share_open,
    share_seal,
    share_verify,
    teller_start,
)

LABEL_SEED = "teller-seed"


def seed_rng(seed: Scalar) -> Rng:
    counter = itertools.count()

    def draw() -> Scalar:
        while True:
            s = hash_to_scalar(LABEL_SEED, seed, next(counter))
            if s != bytes(32):
                return s

    return draw


def teller_from_seed(
    *, seed: Scalar, ballot_id: str, n: int, k: int, index: int
) -> tuple[list[Scalar], Scalar, TellerPublic]:
    return teller_start(ballot_id=ballot_id, n=n, k=k, index=index, rng=seed_rng(seed))


def shares_for(
    *,
    seed: Scalar,
    ballot_id: str,
    n: int,
    k: int,
    index: int,
    publics: dict[int, TellerPublic],
    rng: Rng = random_scalar,
) -> dict[int, str]:
    """The sealed shares f_index(j) for every other teller j in `publics`."""
    coefficients, _, _ = teller_from_seed(seed=seed, ballot_id=ballot_id, n=n, k=k, index=index)
    return {
        j: share_seal(
            ballot_id=ballot_id,
            sender=index,
            recipient=j,
            ephemeral=public.ephemeral,
            share=polynomial_at(coefficients, j),
            rng=rng,
        )
        for j, public in sorted(publics.items())
        if j != index
    }


def teller_secret(
    *,
    seed: Scalar,
    ballot_id: str,
    n: int,
    k: int,
    index: int,
    publics: dict[int, TellerPublic],
    sealed: dict[int, str],
) -> Scalar:
    """x_index from the seed and the shares sealed to this teller ({sender: hex}); raises
    CryptoError naming the sender of a share that cannot be opened or does not check."""
    coefficients, ephemeral, own = teller_from_seed(
        seed=seed, ballot_id=ballot_id, n=n, k=k, index=index
    )
    if publics.get(index) is None or publics[index].commitments != own.commitments:
        raise CryptoError(f"teller {index}: this key file does not match what was published")
    x = polynomial_at(coefficients, index)
    for sender in range(1, n + 1):
        if sender == index:
            continue
        if sender not in sealed:
            raise CryptoError(f"share from teller {sender}: missing")
        share = share_open(
            ballot_id=ballot_id,
            sender=sender,
            recipient=index,
            ephemeral_secret=ephemeral,
            sealed=sealed[sender],
        )
        if not share_verify(publics[sender].commitments, index, share):
            raise CryptoError(f"share from teller {sender}: does not match its commitments")
        x = scalar_add(x, share)
    return x
