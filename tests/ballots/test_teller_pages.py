"""The teller's page and its three JSON endpoints tried from outside: only the ballot's
tellers get in, and malformed or forged bodies get a Chinese message, never a 500, and
change nothing."""

import json

import pytest

from ballots.models import Teller
from tests.factories import BallotFactory, CampaignFactory, SubjectFactory, UserFactory

pytestmark = pytest.mark.django_db

BODIES = [
    b"",
    b"not json",
    b"[]",
    b"{}",
    json.dumps({"public": {"index": 1}, "shares": {}}).encode(),
    json.dumps({"public": "x", "shares": {"1": "zz"}, "partial": [[{"d": "00"}]]}).encode(),
    json.dumps({"shares": {"1": "0" * 160, "x": 1}, "partial": "x"}).encode(),
]


@pytest.fixture
def draft(office):
    campaign = CampaignFactory(actor=office)
    SubjectFactory(campaign=campaign)
    tellers = UserFactory.create_batch(3)
    return BallotFactory(campaign=campaign, actor=office, tellers=tellers), tellers


def test_only_the_ballots_tellers_see_the_page(client, draft, office, member_user):
    ballot, tellers = draft
    for outsider in (office, member_user):
        client.force_login(outsider)
        assert client.get(f"/ballots/{ballot.pk}/teller/").status_code == 404
    client.force_login(tellers[1])
    page = client.get(f"/ballots/{ballot.pk}/teller/").content.decode()
    assert "生成监票密钥" in page and 'id="teller-data"' in page and "ballot_teller.js" in page
    assert "<script>" not in page.split('id="teller-data"')[1].split("</script>", 1)[1]


@pytest.mark.parametrize("action", ["publish", "shares", "decrypt"])
def test_malformed_or_forged_bodies_are_refused_with_a_message(client, draft, action):
    ballot, tellers = draft
    client.force_login(tellers[0])
    for body in BODIES:
        response = client.post(
            f"/ballots/{ballot.pk}/teller/{action}/", body, content_type="application/json"
        )
        assert response.status_code == 400, body
        assert response.json()["ok"] is False and response.json()["message"]
    assert not Teller.objects.filter(ballot=ballot, published_at__isnull=False).exists()
    assert client.get(f"/ballots/{ballot.pk}/teller/{action}/").status_code == 405


def test_outsiders_cannot_post_as_tellers(client, draft, member_user):
    ballot, _ = draft
    client.force_login(member_user)
    response = client.post(
        f"/ballots/{ballot.pk}/teller/publish/", b"{}", content_type="application/json"
    )
    assert response.status_code == 400 and "不是本次测评的监票人" in response.json()["message"]
