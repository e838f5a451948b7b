"""Factories for subjects: units, liaison committees, subjects and their duty reports."""

import datetime

import factory

from core.roles import Role
from subjects.models import (
    DutyReportVersion,
    LiaisonCommittee,
    OrganType,
    ReportKind,
    ReportStatus,
    ReviewForm,
    Subject,
    Unit,
)
from subjects.services import (
    duty_report_accept,
    duty_report_return,
    duty_report_upload,
    liaison_committee_set_users,
)

from .base import ServiceFactory, UserFactory, office_user, pdf_upload
from .reviews import CampaignFactory


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"县第{n}局")
    organ_type = OrganType.GOVERNMENT


class LiaisonCommitteeFactory(factory.django.DjangoModelFactory):
    """`users=[…]` are set through liaison_committee_set_users, which gives them the role."""

    class Meta:
        model = LiaisonCommittee
        django_get_or_create = ("name",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"第{n}工作委员会")

    @factory.post_generation
    def users(self, create, extracted, **kwargs):
        if extracted:
            liaison_committee_set_users(actor=office_user(), committee=self, users=list(extracted))


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
    status = ReportStatus.SUBMITTED
    actor = None
    return_reason = "请突出本人履职情况"

    @classmethod
    def _create(cls, model_class, *, subject, kind, upload, status, actor, return_reason):
        version = duty_report_upload(actor=subject.user, subject=subject, kind=kind, upload=upload)
        if status == ReportStatus.SUBMITTED:
            return version
        if status == ReportStatus.SUPERSEDED:
            duty_report_upload(actor=subject.user, subject=subject, kind=kind, upload=pdf_upload())
            version.refresh_from_db()
            return version
        actor = actor or office_user()
        if status == ReportStatus.ACCEPTED:
            return duty_report_accept(actor=actor, version=version)
        if status == ReportStatus.RETURNED:
            return duty_report_return(actor=actor, version=version, reason=return_reason)
        raise ValueError(f"no duty report status {status}")
