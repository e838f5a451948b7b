"""开始投票: the office opens a draft, after the confirmation page, never in one click."""

import pytest

from ballots.models import BallotStatus, Eligibility
from tests.factories import open_ballot, tellers_ready

from .conftest import audited, others_refused, refused, url

pytestmark = pytest.mark.django_db

CONFIRMED = {"confirmed": "on"}


def test_the_office_opens_after_confirming(client, world):
    tellers_ready(world.ballot, actor=world.office)
    client.force_login(world.office)
    assert "网上投票人（3 人）" in client.get(url(world.ballot, "open/")).content.decode()
    response = client.post(url(world.ballot, "open/"), CONFIRMED, follow=True)
    assert "已开始投票。" in response.content.decode()
    world.ballot.refresh_from_db()
    assert world.ballot.status == BallotStatus.OPEN
    assert Eligibility.objects.filter(ballot=world.ballot).count() == 3
    assert audited(world.ballot, "ballot.open") == 1


def test_other_roles_are_refused(client, world):
    tellers_ready(world.ballot, actor=world.office)
    others_refused(client, world, url(world.ballot, "open/"), CONFIRMED)


def test_not_before_every_teller_has_made_a_key(client, world):
    refused(
        client,
        world.office,
        url(world.ballot, "open/"),
        CONFIRMED,
        "还不能开始投票",
        ballot=world.ballot,
    )


def test_never_in_one_click(client, world):
    tellers_ready(world.ballot, actor=world.office)
    path = url(world.ballot, f"move/{BallotStatus.OPEN}/")
    refused(client, world.office, path, {}, "开始投票须先在确认页面核对", ballot=world.ballot)


def test_an_open_ballot_is_not_opened_again(client, world):
    ballot = open_ballot(actor=world.office, ballot=world.ballot)
    refused(
        client,
        world.office,
        url(ballot, "open/"),
        CONFIRMED,
        "这项测评已经开始过投票。",
        ballot=ballot,
        status=200,  # back to the ballot's page with the message
    )
