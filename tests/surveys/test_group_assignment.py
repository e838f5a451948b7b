"""The subject's assessment group lives in surveys (GroupAssignment), above the subjects
app: no model of subjects points up to surveys, and a subject is in one group at most."""

import pytest
from django.db import IntegrityError, transaction

from subjects.models import Subject
from surveys.groups import subject_group
from surveys.models import GroupAssignment
from tests.factories import CampaignFactory, SubjectFactory, make_group

pytestmark = pytest.mark.django_db


def test_the_subject_model_points_to_no_surveys_model():
    upward = [
        f.name
        for f in Subject._meta.get_fields()
        if f.concrete and f.is_relation and f.related_model._meta.app_label == "surveys"
    ]
    assert upward == []


def test_one_group_per_subject(office):
    campaign = CampaignFactory(actor=office)
    subject = SubjectFactory(campaign=campaign)
    group = make_group(campaign, name="第一组", subjects=[subject], actor=office)
    other = make_group(campaign, name="第二组", actor=office)
    assert subject_group(Subject.objects.get(pk=subject.pk)) == group
    assert list(group.subjects.all()) == [subject]
    with pytest.raises(IntegrityError), transaction.atomic():
        GroupAssignment.objects.create(subject=subject, group=other)
    assert subject_group(SubjectFactory(campaign=campaign)) is None
