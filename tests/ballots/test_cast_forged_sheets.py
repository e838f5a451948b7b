"""A member's browser is the attacker: sheets that would count twice, count negatively or
count for a subject not on the ballot are refused at cast by their proofs, and nothing is
stored. So is a copy of another member's sheet, or of any piece of one."""

import json

import pytest

from ballots.browser import sheet_for
from ballots.elgamal.elgamal import ciphertext_sum, encrypt
from ballots.elgamal.group import point_from_hex, scalar_add
from ballots.elgamal.proofs import sum_is_one_prove, zero_one_prove
from ballots.elgamal.sheet import canonical_json, slot_context
from ballots.models import Participation, SealedSheet, SheetCiphertext
from ballots.services import ballot_cast
from core.errors import ApplicationError
from tests.ballots.elgamal_vectors import BAD_POINTS, top_bit_set
from tests.factories import BallotFactory, CampaignFactory, MemberFactory, SubjectFactory

pytestmark = pytest.mark.django_db


def forged_sheet(ballot, values: list[list[int]]) -> str:
    """A sheet holding any integers per slot, with the best proofs a cheater can make:
    a 0/1 proof as if the slot held 0 when it holds neither, and the sum proof as if the
    subject's slots added up to 1."""
    h = point_from_hex(ballot.joint_key)
    subjects = []
    for i, row in enumerate(values):
        slots, cts, total_r = [], [], bytes(32)
        for j, m in enumerate(row):
            ct, r = encrypt(h, m)
            proof = zero_one_prove(
                h, ct, m if m in (0, 1) else 0, r, slot_context(h, ballot.crypto_id, i, j)
            )
            slots.append(ct.to_json() | proof.to_json())
            cts.append(ct)
            total_r = scalar_add(total_r, r)
        proof = sum_is_one_prove(h, ciphertext_sum(cts), total_r, (h, ballot.crypto_id, i))
        subjects.append({"slots": slots} | proof.to_json())
    return canonical_json({"ballot": ballot.crypto_id, "subjects": subjects})


@pytest.fixture
def world(office):
    campaign = CampaignFactory(actor=office, composition_size=3)
    people = SubjectFactory.create_batch(2, campaign=campaign)
    members = [m.user for m in MemberFactory.create_batch(3)]
    ballot = BallotFactory(campaign=campaign, actor=office, subjects=people, status="open")
    return ballot, people, members


@pytest.mark.parametrize(
    ("values", "why"),
    [
        ([[1, 1, 0], [1, 0, 0]], "two votes for one subject"),
        ([[1, 1, -1], [1, 0, 0]], "a negative vote that keeps the sum at 1"),
        ([[2, 0, -1], [1, 0, 0]], "a double vote balanced by a negative one"),
        ([[0, 0, 0], [1, 0, 0]], "no vote at all"),
        ([[1, 0, 0], [1, 0, 0], [1, 0, 0]], "a vote for a subject not on the ballot"),
        ([[1, 0, 0]], "a subject left out"),
        ([[1, 0, 0, 0], [1, 0, 0]], "an option the ballot does not have"),
    ],
)
def test_a_sheet_that_would_bend_the_count_is_refused_by_its_proofs(world, values, why):
    ballot, people, members = world
    ballot.refresh_from_db()
    with pytest.raises(ApplicationError, match="选票校验未通过"):
        ballot_cast(actor=members[0], ballot=ballot, sheet=forged_sheet(ballot, values))
    assert not Participation.objects.exists() and not SealedSheet.objects.exists(), why
    assert not SheetCiphertext.objects.exists()
    # The member can still vote properly afterwards.
    ballot_cast(actor=members[0], ballot=ballot, sheet=forged_sheet(ballot, [[1, 0, 0], [0, 0, 1]]))
    assert SealedSheet.objects.count() == 1


def test_a_copied_sheet_or_a_copied_piece_of_one_is_refused(world):
    ballot, people, members = world
    sheet = sheet_for(ballot, {people[0].pk: "满意", people[1].pk: "不满意"})
    ballot_cast(actor=members[0], ballot=ballot, sheet=sheet)
    with pytest.raises(ApplicationError, match="重复"):
        ballot_cast(actor=members[1], ballot=ballot, sheet=sheet)
    # The victim's first subject stitched into the copier's own sheet (Helios' replay).
    mine = json.loads(sheet_for(ballot, {people[0].pk: "满意", people[1].pk: "满意"}))
    mine["subjects"][0] = json.loads(sheet)["subjects"][0]
    with pytest.raises(ApplicationError, match="重复"):
        ballot_cast(actor=members[1], ballot=ballot, sheet=canonical_json(mine))
    assert Participation.objects.count() == 1 and SealedSheet.objects.count() == 1


def test_a_sheet_for_another_ballot_is_refused(world, office):
    ballot, people, members = world
    other = BallotFactory(campaign=ballot.campaign, actor=office, subjects=people, status="open")
    sheet = sheet_for(other, {people[0].pk: "满意", people[1].pk: "满意"})
    with pytest.raises(ApplicationError, match="选票校验未通过"):
        ballot_cast(actor=members[0], ballot=ballot, sheet=sheet)


@pytest.mark.parametrize("part", ["a", "b"])
@pytest.mark.parametrize("why", [*sorted(BAD_POINTS), "top bit set"])
def test_a_posted_sheet_with_an_invalid_ristretto_encoding_is_refused(client, world, why, part):
    """Each encoding ristretto255 refuses (non-canonical, negative, no point, the identity,
    an ed25519 point, a valid point's second spelling), posted in an otherwise honest
    sheet: the voter reads the refusal in Chinese, and nothing is written."""
    ballot, people, members = world
    ballot.refresh_from_db()
    sheet = json.loads(sheet_for(ballot, {people[0].pk: "满意", people[1].pk: "不满意"}))
    slot = sheet["subjects"][1]["slots"][2]
    slot[part] = top_bit_set(slot[part]) if why == "top bit set" else BAD_POINTS[why]
    client.force_login(members[0])
    response = client.post(
        f"/ballots/{ballot.pk}/vote/", {"step": "confirm", "sheet": canonical_json(sheet)}
    )
    assert response.status_code == 400
    assert "选票校验未通过，未被接受" in response.content.decode()
    assert not Participation.objects.exists() and not SealedSheet.objects.exists()
    assert not SheetCiphertext.objects.exists()
