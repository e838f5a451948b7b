"""One file per user action of the preliminary assessment and the questionnaires, through
HTTP: the allowed actor succeeds and an audit entry is written; every other role and the
other group's people are refused (400 with the Chinese message, 403 for a page of the
office's, or 404 for work they may not see); a wrong state is refused with its message;
nothing is written on refusal."""

from types import SimpleNamespace

import pytest

from core.models import AuditEntry
from core.roles import Role
from surveys.models import (
    Finding,
    GroupAssignment,
    InvestigationReport,
    Questionnaire,
    RespondentCode,
)
from surveys.workflows import report_version
from tests.factories import CampaignFactory, SubjectFactory, UserFactory, make_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(office, make_user):
    """Two groups of one campaign, each with a leader, a member and a subject; the other
    roles; and a standing-committee member in no group."""
    campaign = CampaignFactory(actor=office)
    leader = UserFactory(role=Role.MEMBER, first_name="一组组长")
    member = UserFactory(role=Role.MEMBER, first_name="一组组员")
    other_leader = UserFactory(role=Role.MEMBER, first_name="二组组长")
    subject = SubjectFactory(campaign=campaign, person_name="金立新")
    other_subject = SubjectFactory(campaign=campaign, person_name="唐晓云")
    group = make_group(
        campaign, name="第一组", leader=leader, members=[member], subjects=[subject], actor=office
    )
    other_group = make_group(
        campaign, name="第二组", leader=other_leader, subjects=[other_subject], actor=office
    )
    return SimpleNamespace(
        campaign=campaign,
        subject=subject,
        other_subject=other_subject,
        group=group,
        other_group=other_group,
        office=office,
        leader=leader,
        member=member,
        other_leader=other_leader,
        director=make_user(Role.DIRECTORS_MEETING),
        leading=make_user(Role.LEADING_GROUP),
        outsider=make_user(Role.MEMBER),
        item=campaign.content_items.first(),
    )


def workspace(world) -> str:
    return f"/groups/{world.group.pk}/subjects/{world.subject.pk}/"


def body_post(subject, body: str = "关于金立新履职情况的调查报告（修改稿）") -> dict:
    return {"version": report_version(subject), "body": body}


def written() -> tuple:
    """Everything an action of the preliminary assessment or a questionnaire may write."""
    return (
        list(InvestigationReport.objects.order_by("pk").values()),
        list(Finding.objects.order_by("pk").values("pk", "text")),
        list(GroupAssignment.objects.order_by("pk").values()),
        list(Questionnaire.objects.order_by("pk").values("pk", "status")),
        RespondentCode.objects.count(),
        AuditEntry.objects.count(),
    )


def audited(action: str) -> int:
    return AuditEntry.objects.filter(action=action).count()


def refused(client, user, url: str, data: dict, message: str = "", *, status=400):
    """POST as `user`: refused with `status` (and `message` on the page), nothing written."""
    before = written()
    client.force_login(user)
    response = client.post(url, data)
    assert response.status_code == status, (user, response.status_code)
    if message:
        assert message in response.content.decode(), message
    assert written() == before
    return response
