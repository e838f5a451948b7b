"""作废试投票: the office discards a practice ballot that is not open; it leaves no votes."""

import pytest

from ballots.models import Ballot, BallotPurpose, BallotStatus
from core.models import AuditEntry
from tests.factories import BallotFactory, open_ballot

from .conftest import others_refused, refused, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def practice(world):
    world.ballot = BallotFactory(
        campaign=world.campaign, actor=world.office, name="试投票", purpose=BallotPurpose.PRACTICE
    )
    return world


def test_the_office_discards_a_practice_ballot(client, practice):
    ballot = practice.ballot
    client.force_login(practice.office)
    response = client.post(url(ballot, "discard/"), follow=True)
    assert response.redirect_chain[-1][0] == f"/campaigns/{practice.campaign.pk}/ballots/"
    assert "试投票已作废。" in response.content.decode()
    assert not Ballot.objects.filter(pk=ballot.pk).exists()
    assert AuditEntry.objects.filter(action="ballot.discard", summary__contains="试投票").exists()


def test_other_roles_are_refused(client, practice):
    others_refused(client, practice, url(practice.ballot, "discard/"))


def test_an_open_practice_ballot_is_closed_first(client, practice):
    ballot = open_ballot(actor=practice.office, ballot=practice.ballot)
    assert ballot.status == BallotStatus.OPEN
    refused(client, practice.office, url(ballot, "discard/"), {}, "请先结束试投票。", ballot=ballot)


def test_a_real_ballot_is_never_discarded(client, world):
    refused(
        client,
        world.office,
        url(world.ballot, "discard/"),
        {},
        "只有试投票可以作废。",
        ballot=world.ballot,
    )
