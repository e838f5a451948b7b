"""结束投票: the office ends an open ballot's voting; the sums wait for the tellers."""

import pytest

from ballots.models import BallotStatus
from tests.factories import ballot_advance, cast, open_ballot

from .conftest import audited, others_refused, refused, url

pytestmark = pytest.mark.django_db


def _close(world):
    return url(world.ballot, f"move/{BallotStatus.COUNTING}/")


def test_the_office_ends_the_voting(client, world):
    ballot = open_ballot(actor=world.office, ballot=world.ballot)
    cast(actor=world.members[1], ballot=ballot, choices="满意")
    client.force_login(world.office)
    response = client.post(_close(world), follow=True)
    assert "已结束投票。请监票人在“我的工作”中载入监票密钥解密计票。" in response.content.decode()
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.COUNTING and ballot.closed_at is not None
    assert audited(ballot, "ballot.counting") == 1


def test_other_roles_are_refused(client, world):
    open_ballot(actor=world.office, ballot=world.ballot)
    others_refused(client, world, _close(world))


def test_a_draft_cannot_be_closed(client, world):
    refused(
        client, world.office, _close(world), {}, "测评草稿，不能结束投票。", ballot=world.ballot
    )


def test_a_counted_ballot_cannot_be_closed_again(client, world):
    ballot = ballot_advance(world.ballot, to=BallotStatus.CLOSED, votes=["满意"])
    refused(client, world.office, _close(world), {}, "测评已结束，不能结束投票。", ballot=ballot)


def test_counting_is_no_button(client, world):
    """监票人解密计票 is made by the k-th teller's decryption alone, never by a URL."""
    ballot = ballot_advance(world.ballot, to=BallotStatus.COUNTING, votes=["满意"])
    path = url(ballot, f"move/{BallotStatus.CLOSED}/")
    refused(client, world.office, path, {}, "未知操作。", ballot=ballot)
