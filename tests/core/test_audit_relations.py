"""An audit entry's campaign and subject: generic relations, since core names no model of
the apps above it. They are written by audit_log(campaign=…, subject=…), read back as the
objects, filtered by the objects, and outlive a deleted subject."""

import pytest

from core.audit import audit_log
from core.models import AuditEntry
from tests.factories import CampaignFactory, SubjectFactory

pytestmark = pytest.mark.django_db


def test_an_entry_is_filed_under_its_campaign_and_subject(office):
    campaign = CampaignFactory(actor=office)
    subject = SubjectFactory(campaign=campaign)
    other = SubjectFactory(campaign=campaign)
    audit_log(actor=office, action="user.create", summary="甲", campaign=campaign, subject=subject)
    audit_log(actor=office, action="user.create", summary="乙", campaign=campaign)
    audit_log(actor=office, action="user.create", summary="丙")
    entry = AuditEntry.objects.get(summary="甲")
    assert (entry.campaign, entry.subject) == (campaign, subject)
    assert AuditEntry.objects.get(summary="丙").campaign is None
    assert set(AuditEntry.objects.filter(campaign=campaign).values_list("summary", flat=True)) >= {
        "甲",
        "乙",
    }
    assert list(AuditEntry.objects.filter(subject=subject).values_list("summary", flat=True)) == [
        "甲"
    ]
    assert not AuditEntry.objects.filter(subject=other).exists()
    assert "丙" in AuditEntry.objects.filter(subject=None).values_list("summary", flat=True)
    assert "甲" not in AuditEntry.objects.exclude(subject=subject).values_list("summary", flat=True)


def test_an_entry_outlives_its_subject(office):
    subject = SubjectFactory()
    audit_log(actor=office, action="user.create", summary="甲", subject=subject)
    subject.delete()
    entry = AuditEntry.objects.get(summary="甲")
    assert entry.subject is None and entry.subject_id is not None
