"""公布结果: the office publishes a counted ballot after reading the exact public text."""

import re

import pytest

from ballots.models import BallotStatus
from tests.factories import ballot_advance, open_ballot

from .conftest import audited, others_refused, refused, url

pytestmark = pytest.mark.django_db

PREVIEW = {"step": "preview"}


def _digest(client, ballot) -> dict:
    page = client.post(url(ballot, "publish/preview/"), PREVIEW).content.decode()
    return {"digest": re.search(r'name="digest" value="([0-9a-f]{64})"', page).group(1)}


def test_the_office_previews_then_publishes(client, world):
    ballot = ballot_advance(world.ballot, to=BallotStatus.CLOSED, votes=["满意", "满意"])
    client.force_login(world.office)
    data = _digest(client, ballot)
    assert audited(ballot, "ballot.publish_preview") == 1
    response = client.post(url(ballot, "publish/"), data, follow=True)
    assert "测评结果已公布。" in response.content.decode()
    ballot.refresh_from_db()
    assert ballot.status == BallotStatus.PUBLISHED and ballot.published_at is not None
    assert audited(ballot, "ballot.published") == 1


def test_other_roles_are_refused(client, world):
    ballot = ballot_advance(world.ballot, to=BallotStatus.CLOSED, votes=["满意"])
    client.force_login(world.office)
    data = _digest(client, ballot)
    others_refused(client, world, url(ballot, "publish/preview/"), PREVIEW)
    others_refused(client, world, url(ballot, "publish/"), data)


def test_an_open_ballot_is_neither_previewed_nor_published(client, world):
    ballot = open_ballot(actor=world.office, ballot=world.ballot)
    refused(
        client,
        world.office,
        url(ballot, "publish/preview/"),
        PREVIEW,
        "只有已计票、尚未公布的测评可以预览公布文本。",
        ballot=ballot,
        status=200,
    )
    refused(
        client,
        world.office,
        url(ballot, "publish/"),
        {"digest": "0" * 64},
        "只有已计票、尚未公布的测评可以公布。",
        ballot=ballot,
        status=200,
    )


def test_never_in_one_click(client, world):
    ballot = ballot_advance(world.ballot, to=BallotStatus.CLOSED, votes=["满意"])
    path = url(ballot, f"move/{BallotStatus.PUBLISHED}/")
    refused(client, world.office, path, {}, "公布结果须先预览公布文本", ballot=ballot)
