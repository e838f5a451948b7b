"""生成投票码: the office issues one-time voting codes to a voter group without accounts and
gets the slips to print, once; never after the voting ended."""

import re

import pytest

from ballots.models import BallotStatus, VotingCode
from tests.factories import ballot_advance

from .conftest import audited, others_refused, refused, url

pytestmark = pytest.mark.django_db


def _data(ballot, count=3) -> dict:
    return {"voter_group": ballot.voter_groups.get(name="人大代表").pk, "count": count}


def test_the_office_issues_codes_and_gets_the_slips(client, world):
    client.force_login(world.office)
    response = client.post(url(world.ballot, "codes/"), _data(world.ballot))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert len(re.findall(r'data-testid="voting-code">', response.content.decode())) == 3
    assert VotingCode.objects.filter(ballot=world.ballot).count() == 3
    assert audited(world.ballot, "ballot.codes") == 1


def test_other_roles_are_refused(client, world):
    others_refused(client, world, url(world.ballot, "codes/"), _data(world.ballot))


def test_a_count_out_of_range_is_refused(client, world):
    refused(
        client, world.office, url(world.ballot, "codes/"), _data(world.ballot, 0), "投票码个数",
        ballot=world.ballot,
    )  # fmt: skip


def test_not_after_the_voting_ended(client, world):
    ballot = ballot_advance(world.ballot, to=BallotStatus.CLOSED, votes=["满意", "满意"])
    refused(
        client, world.office, url(ballot, "codes/"), _data(ballot),
        "测评已结束投票，不能再发放投票码。", ballot=ballot,
    )  # fmt: skip
