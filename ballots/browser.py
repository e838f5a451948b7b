"""What the members' and tellers' browsers do (static/js/ballot_*.js), in Python, for the
demo loader and the tests. Never called by a view: on a real ballot these steps run in
the browser and only their public results reach the server, through the same services.

A teller here is a seed (ballots/elgamal/ceremony.py); `tellers_make_keys` returns them,
`teller_key_file` seals one as the file a browser would have downloaded.
"""

from .elgamal.ceremony import shares_for, teller_from_seed, teller_secret
from .elgamal.group import Scalar, point_from_hex, random_scalar
from .elgamal.keyfile import keyfile_seal
from .elgamal.sheet import canonical_json, sheet_encrypt
from .elgamal.tally import tally_partial
from .models import Ballot, Teller, VoterGroup
from .services import ballot_decrypt, teller_publish, teller_shares_send
from .services.tellers import tally_parsed, tellers_public, tellers_shares_for


def tellers_make_keys(ballot: Ballot) -> dict[int, Scalar]:
    """Every teller, in index order, makes a key (publishing and sending the shares it
    owes so far); then those who published early send the shares they still owe."""
    seeds = {}
    tellers = list(Teller.objects.filter(ballot=ballot).select_related("user"))
    n, k, bid = ballot.teller_count, ballot.teller_threshold, ballot.crypto_id
    for t in tellers:
        seed = seeds[t.index] = random_scalar()
        _, _, public = teller_from_seed(seed=seed, ballot_id=bid, n=n, k=k, index=t.index)
        shares = shares_for(
            seed=seed, ballot_id=bid, n=n, k=k, index=t.index, publics=tellers_public(ballot)
        )
        teller_publish(
            actor=t.user,
            ballot=ballot,
            public=public.to_json(),
            shares={str(j): v for j, v in shares.items()},
        )
    publics = tellers_public(ballot)
    for t in Teller.objects.filter(ballot=ballot).select_related("user"):
        owed = {j: p for j, p in publics.items() if str(j) not in t.shares and j != t.index}
        if owed:
            shares = shares_for(
                seed=seeds[t.index], ballot_id=bid, n=n, k=k, index=t.index, publics=owed
            )
            teller_shares_send(
                actor=t.user, ballot=ballot, shares={str(j): v for j, v in shares.items()}
            )
    return seeds


def teller_key_file(ballot: Ballot, index: int, seed: Scalar, passphrase: str) -> dict:
    return keyfile_seal(
        ballot_id=ballot.crypto_id, teller=index, secret=seed, passphrase=passphrase
    )


def teller_decrypt(ballot: Ballot, index: int, seed: Scalar) -> Ballot:
    """A teller's browser at the count: its x_j from the seed and the shares sealed to it,
    then the partial decryption of the summed ciphertexts, posted with proofs."""
    ballot.refresh_from_db()
    teller = Teller.objects.select_related("user").get(ballot=ballot, index=index)
    x = teller_secret(
        seed=seed,
        ballot_id=ballot.crypto_id,
        n=ballot.teller_count,
        k=ballot.teller_threshold,
        index=index,
        publics=tellers_public(ballot),
        sealed=tellers_shares_for(ballot, index),
    )
    partial = tally_partial(
        secret=x,
        tally=tally_parsed(ballot),
        joint_key=point_from_hex(ballot.joint_key),
        ballot_id=ballot.crypto_id,
        teller=index,
    )
    return ballot_decrypt(actor=teller.user, ballot=ballot, partial=partial)


def sheet_for(ballot: Ballot, choices: dict, group: VoterGroup | None = None) -> str:
    """A voter's browser: their sheet (JSON text) for {subject id: option label}; a member
    of the committee's, or with `group` a voter of that group (who votes with a code)."""
    ballot = Ballot.objects.get(pk=ballot.pk)  # the joint key as the page would show it
    subject_ids = list(ballot.items.order_by("position").values_list("subject_id", flat=True))
    options = ballot.sheet_options
    sheet = sheet_encrypt(
        joint_key=point_from_hex(ballot.joint_key),
        ballot_id=group.sheet_ballot_id(ballot) if group else ballot.crypto_id,
        layout=ballot.layout,
        choices=[options.index(choices[sid]) for sid in subject_ids],
    )
    return canonical_json(sheet)
