"""提醒未投票人员: while a ballot is open, the office reminds who has not voted yet."""

import pytest

from tests.factories import cast, open_ballot

from .conftest import audited, others_refused, refused, url

pytestmark = pytest.mark.django_db


def test_the_office_reminds_who_has_not_voted(client, world):
    ballot = open_ballot(actor=world.office, ballot=world.ballot)
    cast(actor=world.members[0], ballot=ballot, choices="满意")
    client.force_login(world.office)
    response = client.post(url(ballot, "remind/"), follow=True)
    assert "已提醒 2 名尚未投票的人员" in response.content.decode()
    assert audited(ballot, "ballot.remind") == 1


def test_other_roles_are_refused(client, world):
    open_ballot(actor=world.office, ballot=world.ballot)
    others_refused(client, world, url(world.ballot, "remind/"))


def test_only_while_the_ballot_is_open(client, world):
    refused(
        client,
        world.office,
        url(world.ballot, "remind/"),
        {},
        "测评不在投票中。",
        ballot=world.ballot,
    )
