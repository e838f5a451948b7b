"""The published test vectors are what the code makes today, and Python accepts them.

A change to the protocol that forgets to regenerate the vectors (and so to re-check the
browser against them) fails here: `python -m tests.ballots.elgamal_vectors`.
"""

import json

import pytest

from ballots.elgamal.group import hash_to_scalar, seeded_rng
from ballots.elgamal.sheet import sheet_verify, tracker
from tests.ballots.elgamal_vectors import VECTORS, build, render

BUILT = build()


@pytest.mark.parametrize("name", sorted(BUILT))
def test_the_vectors_on_disk_are_current(name):
    on_disk = (VECTORS / f"{name}.json").read_text()
    assert on_disk == render(BUILT[name]), "run: python -m tests.ballots.elgamal_vectors"


def test_the_hash_and_the_seeded_source_are_as_published():
    group = json.loads((VECTORS / "group.json").read_text())
    for h in group["hashes"]:
        items = [
            bytes.fromhex(i["hex"]) if "hex" in i else i.get("int", i.get("str"))
            for i in h["items"]
        ]
        assert hash_to_scalar(h["label"], *items).hex() == h["scalar"]
    rng = seeded_rng(group["rng"]["seed"])
    assert [rng().hex() for _ in group["rng"]["scalars"]] == group["rng"]["scalars"]


def test_the_published_sheets_verify_with_their_trackers():
    data = json.loads((VECTORS / "sheets.json").read_text())
    joint = bytes.fromhex(data["joint_key"])
    for s in data["sheets"]:
        sheet_verify(s["sheet"], joint_key=joint, ballot_id=data["ballot"], layout=data["layout"])
        assert tracker(s["sheet"]) == s["tracker"]
    assert data["counts"] == [[2, 1, 1], [1, 1, 1, 1], [1, 3]]
