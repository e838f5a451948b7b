"""指定监票人: the office names a draft ballot's tellers and k, until one of them makes a key."""

import pytest

from ballots.models import BallotStatus, Teller
from tests.factories import UserFactory, open_ballot, tellers_ready

from .conftest import audited, others_refused, refused, url

pytestmark = pytest.mark.django_db


def _data(users, threshold=2) -> dict:
    return {"users": [u.pk for u in users], "threshold": threshold}


def test_the_office_names_the_tellers(client, world):
    users = UserFactory.create_batch(3)
    client.force_login(world.office)
    response = client.post(url(world.ballot, "tellers/"), _data(users), follow=True)
    assert "监票人已指定。" in response.content.decode()
    tellers = Teller.objects.filter(ballot=world.ballot).order_by("index")
    assert [t.user_id for t in tellers] == [u.pk for u in users]
    assert audited(world.ballot, "ballot.tellers") == 1


def test_other_roles_are_refused(client, world):
    others_refused(client, world, url(world.ballot, "tellers/"), _data(UserFactory.create_batch(3)))


def test_a_threshold_above_the_tellers_is_refused_as_typed(client, world):
    users = UserFactory.create_batch(2)
    response = refused(
        client, world.office, url(world.ballot, "tellers/"), _data(users, 3), "解密所需人数须至少 2 名",
        ballot=world.ballot,
    )  # fmt: skip
    assert 'name="threshold" value="3"' in response.content.decode()


def test_not_once_a_teller_has_made_a_key(client, world):
    tellers_ready(world.ballot, actor=world.office)
    refused(
        client, world.office, url(world.ballot, "tellers/"), _data(UserFactory.create_batch(3)),
        "已有监票人生成了密钥，不能再更换监票人。", ballot=world.ballot,
    )  # fmt: skip


def test_not_once_the_ballot_is_open(client, world):
    ballot = open_ballot(actor=world.office, ballot=world.ballot)
    assert ballot.status == BallotStatus.OPEN
    refused(
        client, world.office, url(ballot, "tellers/"), _data(UserFactory.create_batch(3)),
        "只有尚未开始投票的测评可以指定监票人。", ballot=ballot,
    )  # fmt: skip
