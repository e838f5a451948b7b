"""A cast runs few SQL statements: the view and the service check once between them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ballots.browser import sheet_for
from ballots.models import BallotStatus, Participation, SealedSheet
from tests.factories import BallotFactory, CampaignFactory, MemberFactory, SubjectFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_cast_through_the_page_runs_at_most_eight_statements(client, office):
    campaign = CampaignFactory(actor=office, composition_size=3)
    people = SubjectFactory.create_batch(3, campaign=campaign)
    members = [m.user for m in MemberFactory.create_batch(3)]
    ballot = BallotFactory(campaign=campaign, actor=office, status=BallotStatus.OPEN)
    client.force_login(members[0])
    sheet = sheet_for(ballot, {p.pk: "满意" for p in people})
    with CaptureQueriesContext(connection) as queries:
        response = client.post(f"/ballots/{ballot.pk}/vote/", {"step": "confirm", "sheet": sheet})
    assert response.status_code == 200 and "投票成功" in response.content.decode()
    # The session, the user and their roles (the page's header), the ballot with what the
    # page and the cast need, the cast lock, THAT the member voted, the sheet, the unlock.
    statements = [q["sql"] for q in queries.captured_queries]
    assert len(statements) <= 8, "\n".join(s[:100] for s in statements)
    assert Participation.objects.filter(ballot=ballot).count() == 1
    assert SealedSheet.objects.filter(ballot=ballot).count() == 1
