"""Factories for subjects: units, liaison committees, subjects and their duty reports."""

import datetime

import factory

from core.roles import Role
from subjects.models import (
    DutyReportStatus,
    DutyReportVersion,
    LiaisonCommittee,
    OrganType,
    ReportKind,
    ReviewForm,
    Subject,
    Unit,
)
from subjects.services import (
    duty_report_accept,
    duty_report_return,
    duty_report_upload,
    liaison_committee_create,
    liaison_committee_set_users,
    unit_create,
)

from .base import ServiceFactory, UserFactory, default_office, pdf_upload
from .reviews import CampaignFactory


class UnitFactory(ServiceFactory):
    """unit_create; the unit of that name when it exists already."""

    class Meta:
        model = Unit

    name = factory.Sequence(lambda n: f"县第{n}局")
    organ_type = OrganType.GOVERNMENT

    @classmethod
    def _create(cls, model_class, *, name, organ_type):
        existing = Unit.objects.filter(name=name).first()
        return existing or unit_create(actor=default_office(), name=name, organ_type=organ_type)


class LiaisonCommitteeFactory(ServiceFactory):
    """liaison_committee_create (the committee of that name when it exists already); its
    `users` get the liaison role."""

    class Meta:
        model = LiaisonCommittee

    name = factory.Sequence(lambda n: f"第{n}工作委员会")
    users = ()

    @classmethod
    def _create(cls, model_class, *, name, users):
        actor = default_office()
        committee = LiaisonCommittee.objects.filter(name=name).first()
        if committee is None:
            return liaison_committee_create(actor=actor, name=name, users=list(users))
        if users:
            liaison_committee_set_users(actor=actor, committee=committee, users=list(users))
        return committee


class SubjectFactory(factory.django.DjangoModelFactory):
    """A subject with a login (`user=None` for one without), in any stage of its campaign."""

    class Meta:
        model = Subject

    campaign = factory.SubFactory(CampaignFactory)
    person_name = factory.Sequence(lambda n: f"对象{n}")
    post = "局长"
    unit = factory.SubFactory(UnitFactory)
    appointed_on = datetime.date(2014, 3, 1)
    review_form = ReviewForm.ON_SITE
    liaison_committee = factory.SubFactory(LiaisonCommitteeFactory)
    user = factory.SubFactory(UserFactory, role=Role.SUBJECT)
    position = factory.Sequence(lambda n: n)


class DutyReportVersionFactory(ServiceFactory):
    """Uploaded by the subject (duty_report_upload), then accepted or returned by the office
    (`actor`), or superseded by a newer upload of the same kind."""

    class Meta:
        model = DutyReportVersion

    subject = factory.SubFactory(SubjectFactory)
    kind = ReportKind.FINAL
    upload = factory.LazyFunction(lambda: pdf_upload("述职报告.pdf"))
    status = DutyReportStatus.SUBMITTED
    actor = None
    return_reason = "请突出本人履职情况"

    @classmethod
    def _create(cls, model_class, *, subject, kind, upload, status, actor, return_reason):
        version = duty_report_upload(actor=subject.user, subject=subject, kind=kind, upload=upload)
        if status == DutyReportStatus.SUBMITTED:
            return version
        if status == DutyReportStatus.SUPERSEDED:
            duty_report_upload(actor=subject.user, subject=subject, kind=kind, upload=pdf_upload())
            version.refresh_from_db()
            return version
        actor = actor or default_office()
        if status == DutyReportStatus.ACCEPTED:
            return duty_report_accept(actor=actor, version=version)
        if status == DutyReportStatus.RETURNED:
            return duty_report_return(actor=actor, version=version, reason=return_reason)
        raise ValueError(f"no duty report status {status}")
