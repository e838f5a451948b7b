"""One file per user action on rectification, through HTTP: the allowed actor succeeds and
an audit entry is written; every other role and another subject's people are refused
(400 with the Chinese message, or 404 for a page they may not see); a wrong state is
refused; nothing is written on refusal."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from core.models import AuditEntry
from core.roles import Role
from rectification.models import (
    DeadlineExtension,
    RectificationPlan,
    RectificationReport,
    RectificationVersion,
)
from rectification.selectors import rectification_edit_version
from tests.factories import (
    CampaignFactory,
    LiaisonCommitteeFactory,
    ReviewOpinionFactory,
    SubjectFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(office, make_user):
    """A subject whose review opinion is delivered, its liaison committee's staff, the
    other roles, and another subject of another liaison committee."""
    finance = LiaisonCommitteeFactory(name="财政经济工作委员会")
    law = LiaisonCommitteeFactory(name="法制工作委员会")
    liaison, other_liaison = make_user(Role.LIAISON), make_user(Role.LIAISON)
    finance.users.add(liaison)
    law.users.add(other_liaison)
    campaign = CampaignFactory(actor=office)
    subject = SubjectFactory(campaign=campaign, person_name="金立新", liaison_committee=finance)
    other = SubjectFactory(campaign=campaign, person_name="唐晓云", liaison_committee=law)
    for s in (subject, other):
        ReviewOpinionFactory(subject=s, status="delivered", actor=office)
    return SimpleNamespace(
        campaign=campaign,
        subject=type(subject).objects.get(pk=subject.pk),
        office=office,
        liaison=liaison,
        director=make_user(Role.DIRECTORS_MEETING),
        leading=make_user(Role.LEADING_GROUP),
        member=make_user(Role.MEMBER),
        other_liaison=other_liaison,
        other_subject=other.user,
    )


def people(world, *names):
    return [(name, getattr(world, name)) for name in names]


def base(world) -> str:
    return f"/subjects/{world.subject.pk}/rectification/"


def written(subject) -> tuple:
    """Everything an action on this subject's rectification may write."""
    return (
        list(RectificationPlan.objects.filter(subject=subject).values()),
        list(RectificationReport.objects.filter(subject=subject).order_by("round").values()),
        list(RectificationVersion.objects.filter(subject=subject).values()),
        DeadlineExtension.objects.filter(subject=subject).count(),
        AuditEntry.objects.count(),
    )


def audited(subject, action: str) -> int:
    return AuditEntry.objects.filter(subject=subject, action=action).count()


def refused(client, user, url: str, data: dict, message: str, *, subject, status=400):
    """POST as `user`: refused with `status` (and `message` on the page), nothing written."""
    before = written(subject)
    client.force_login(user)
    response = client.post(url, data)
    assert response.status_code == status, (user, response.status_code)
    if status == 400:
        assert message in response.content.decode(), message
    assert written(subject) == before
    return response


def plan_post(subject) -> dict:
    data = {"version": rectification_edit_version(subject), "document": ""}
    for p in subject.opinion.problems.all():
        data |= {
            f"measures_{p.pk}": "推行并联审批",
            f"responsible_{p.pk}": subject.person_name,
            f"time_limit_{p.pk}": (timezone.localdate() + datetime.timedelta(days=60)).isoformat(),
            f"target_{p.pk}": "办理时限压缩一半",
        }
    return data


def report_post(subject) -> dict:
    data = {"version": rectification_edit_version(subject), "text": "已逐条整改。"}
    for p in subject.opinion.problems.all():
        data |= {f"status_{p.pk}": "done", f"done_{p.pk}": "并联审批已上线"}
    return data
