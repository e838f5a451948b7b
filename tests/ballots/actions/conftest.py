"""One file per user action on a ballot, through HTTP: the allowed actor succeeds and the
audit entry is written; every other role is refused (403: the office's pages are the
office's); a wrong state is refused with the Chinese message; nothing is written on
refusal (ballots.workflows holds the rules these tests exercise)."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from ballots.models import (
    Ballot,
    BallotResult,
    Eligibility,
    PaperEntry,
    PaperTally,
    Participation,
    SealedSheet,
    Teller,
    VoterGroup,
    VotingCode,
)
from core.models import AuditEntry
from core.roles import Role
from reviews.models import CampaignStage
from tests.factories import BallotFactory, CampaignFactory, MemberFactory, SubjectFactory

pytestmark = pytest.mark.django_db

OTHER_ROLES = ("leading", "director", "member", "liaison")


@pytest.fixture
def world(office, make_user):
    """A campaign at its review meeting with two subjects and three members, a draft review
    ballot (deputies vote too, at half weight), and a user of every other role."""
    campaign = CampaignFactory(actor=office, composition_size=3, stage=CampaignStage.REVIEW)
    a = SubjectFactory(campaign=campaign, person_name="金立新", position=1)
    b = SubjectFactory(campaign=campaign, person_name="唐晓云", position=2)
    members = [m.user for m in MemberFactory.create_batch(3)]
    ballot = BallotFactory(
        campaign=campaign,
        actor=office,
        name="述职评议满意度测评",
        extra_groups=[("人大代表", Decimal("0.5"))],
    )
    return SimpleNamespace(
        campaign=campaign,
        ballot=ballot,
        subjects=(a, b),
        members=members,
        office=office,
        leading=make_user(Role.LEADING_GROUP),
        director=make_user(Role.DIRECTORS_MEETING),
        member=members[0],
        liaison=make_user(Role.LIAISON),
    )


def url(ballot: Ballot, tail: str) -> str:
    return f"/ballots/{ballot.pk}/{tail}"


def written(ballot: Ballot) -> tuple:
    """Everything an action on this ballot may write."""
    return (
        list(Ballot.objects.filter(campaign_id=ballot.campaign_id).order_by("pk").values()),
        list(Teller.objects.filter(ballot__campaign_id=ballot.campaign_id).values()),
        list(VoterGroup.objects.filter(ballot=ballot).values()),
        list(PaperEntry.objects.filter(ballot=ballot).values()),
        PaperTally.objects.filter(ballot=ballot).count(),
        VotingCode.objects.filter(ballot=ballot).count(),
        Eligibility.objects.filter(ballot=ballot).count(),
        Participation.objects.filter(ballot=ballot).count(),
        SealedSheet.objects.filter(ballot=ballot).count(),
        BallotResult.objects.filter(ballot=ballot).count(),
        AuditEntry.objects.count(),
    )


def audited(ballot: Ballot, action: str) -> int:
    return AuditEntry.objects.filter(action=action, summary__contains=ballot.name).count()


def refused(client, user, path: str, data: dict, message: str, *, ballot, status=400):
    """POST as `user`: refused with `status` (and `message` on the page), nothing written."""
    before = written(ballot)
    client.force_login(user)
    response = client.post(path, data, follow=status != 400)
    assert response.status_code == status, (user, response.status_code)
    if message:
        assert message in response.content.decode(), message
    assert written(ballot) == before
    return response


def others_refused(client, world, path: str, data: dict | None = None) -> None:
    """Every role but the office: 403, nothing written."""
    for name in OTHER_ROLES:
        refused(client, getattr(world, name), path, data or {}, "", ballot=world.ballot, status=403)
