"""Ballots published before #22 (scheme paillier) keep their stored results, pages and
check: their sheets' product still proves the published web counts; nothing of the new
tellers' record applies to them."""

import pytest

from ballots import crypto as paillier
from ballots.models import Ballot, BallotResult, BallotScheme, BallotStatus, SealedSheet
from ballots.selectors import ballot_receipts
from ballots.services import ballot_open, ballot_verify
from ballots.services.tally import tally
from core.errors import ApplicationError
from tests.factories import BallotFactory, CampaignFactory, MemberFactory, SubjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def old_ballot(office):
    """What the migration leaves of a ballot counted the old way."""
    campaign = CampaignFactory(actor=office, composition_size=3)
    subject = SubjectFactory(campaign=campaign, person_name="金立新")
    members = [m.user for m in MemberFactory.create_batch(3)]
    ballot = BallotFactory(campaign=campaign, actor=office)
    n, secret = paillier.keypair_new()
    layout = paillier.Layout(subjects=1, options=3, slot_bits=paillier.slot_bits_for(3), n=n)
    sheets = [paillier.sheet_encrypt(layout, [c]) for c in (0, 0, 2)]
    SealedSheet.objects.bulk_create(SealedSheet(ballot=ballot, ciphertext=s) for s in sheets)
    product = paillier.sheets_multiply(layout, sheets)
    plains, proofs = paillier.product_decrypt(layout, secret, product)
    Ballot.objects.filter(pk=ballot.pk).update(
        scheme=BallotScheme.PAILLIER,
        public_key=format(n, "x"),
        slot_bits=layout.slot_bits,
        tally_proof={
            "product": [format(c, "x") for c in product],
            "plaintext": [format(m, "x") for m in plains],
            "randomness": [format(r, "x") for r in proofs],
        },
        web_participants=3,
        is_valid=True,
    )
    ballot.refresh_from_db()
    from ballots.models import Eligibility, Participation

    Eligibility.objects.bulk_create(Eligibility(ballot=ballot, user=m) for m in members)
    Participation.objects.bulk_create(Participation(ballot=ballot, user=m) for m in members)
    BallotResult.objects.bulk_create(
        tally(
            ballot,
            {
                ballot.voter_groups.get(is_committee=True).pk: {
                    subject.pk: {"满意": 2, "基本满意": 0, "不满意": 1}
                }
            },
        )
    )
    Ballot.objects.filter(pk=ballot.pk).update(status=BallotStatus.PUBLISHED)
    ballot.refresh_from_db()
    return ballot, members, sheets


def test_an_old_ballot_keeps_its_results_page_check_and_receipts(client, old_ballot, office):
    ballot, members, sheets = old_ballot
    assert ballot_verify(ballot=ballot)
    client.force_login(office)
    page = client.get(f"/ballots/{ballot.pk}/results/").content.decode()
    assert "金立新" in page and "核对一致" in page
    assert client.get(f"/ballots/{ballot.pk}/record/").status_code == 404
    receipts = ballot_receipts(ballot)
    assert sorted(paillier.tracker(s) for s in sheets) == receipts
    client.force_login(members[0])
    answer = client.get(f"/ballots/{ballot.pk}/receipt/", {"code": receipts[0].lower()})
    assert "已计入" in answer.content.decode()
    # An edited count is still caught the old way.
    BallotResult.objects.filter(ballot=ballot).update(
        web_counts={"满意": 3, "基本满意": 0, "不满意": 0}
    )
    assert not ballot_verify(ballot=ballot)


def test_an_old_draft_cannot_be_opened_the_old_way(office):
    ballot = BallotFactory(actor=office)
    Ballot.objects.filter(pk=ballot.pk).update(scheme=BallotScheme.PAILLIER)
    with pytest.raises(ApplicationError, match="旧加密方式"):
        ballot_open(actor=office, ballot=ballot)
