"""Factories for what follows rectification's plans and reports: reporting steps,
escalations, deadline extensions and the kept versions."""

import datetime

import factory
from django.utils import timezone

from rectification.models import (
    DeadlineExtension,
    Escalation,
    EscalationKind,
    PlanStatus,
    RectificationCheck,
    RectificationKind,
    RectificationPlan,
    RectificationReport,
    RectificationReportStatus,
    RectificationVersion,
    RectificationVersionFile,
    ReportingStep,
    VersionStatus,
)
from rectification.services import (
    escalation_record,
    rectification_check_record,
    rectification_deadline_extend,
    rectification_report_return,
    reporting_step_done,
)
from reviews.services import campaign_update
from subjects.models import Subject

from .base import ServiceFactory, default_office, pdf_upload
from .rectification import RectificationReportFactory, _delivered, plan_advance
from .reviews import CampaignFactory
from .subjects import SubjectFactory

PLAN_RETURN_REASON = "措施不具体，请明确时间节点"


# --- Review opinions -----------------------------------------------------------------------


class ReportingStepFactory(ServiceFactory):
    """One of the default steps that recording the review meeting writes, by `name`
    (reporting_steps_follow, on meeting_create; a meeting held `meeting_on` is recorded
    when the campaign has none); done on `done_on` when given."""

    class Meta:
        model = ReportingStep

    campaign = factory.SubFactory(CampaignFactory)
    name = "向党委报送评议结果和评议意见"
    meeting_on = factory.LazyFunction(timezone.localdate)
    done_on = None
    note = ""

    @classmethod
    def _create(cls, model_class, *, campaign, name, meeting_on, done_on, note):
        from .ballots import ReviewMeetingFactory

        if not campaign.meetings.exists():
            ReviewMeetingFactory(campaign=campaign, held_on=meeting_on)
        step = campaign.reporting_steps.get(name=name)
        if done_on:
            step = reporting_step_done(
                actor=default_office(), step=step, done_on=done_on, note=note
            )
        return step


class EscalationFactory(ServiceFactory):
    class Meta:
        model = Escalation

    subject = factory.SubFactory(SubjectFactory)
    kind = EscalationKind.INQUIRY
    text = "主任会议决定就整改情况进行询问"
    due_on = None
    actor = None

    @classmethod
    def _create(cls, model_class, *, actor, **fields):
        return escalation_record(actor=actor or default_office(), **fields)


class DeadlineExtensionFactory(ServiceFactory):
    """延期 of a started deadline (the plan's by default, which delivery starts) by
    `days`, recorded by the office (rectification_deadline_extend)."""

    class Meta:
        model = DeadlineExtension

    subject = factory.SubFactory(SubjectFactory)
    kind = RectificationKind.PLAN
    days = 30
    reason = "单位主要负责人调整，需重新研究整改措施"
    actor = None

    @classmethod
    def _create(cls, model_class, *, subject, kind, days, reason, actor):
        subject = _delivered(subject)
        if kind == RectificationKind.PLAN:
            due = RectificationPlan.objects.get(subject=subject).due_on
        else:
            due = RectificationReport.objects.filter(subject=subject).latest("round").due_on
        return rectification_deadline_extend(
            actor=actor or default_office(),
            subject=subject,
            kind=kind,
            new_due_on=due + datetime.timedelta(days=days),
            reason=reason,
        )


# --- Versions --------------------------------------------------------------------------------
_VERSION_KIND = {
    VersionStatus.SATISFIED: RectificationKind.REPORT,
    VersionStatus.CONTINUED: RectificationKind.REPORT,
}


class RectificationVersionFactory(ServiceFactory):
    """The version a submission keeps, with the decision on it: a plan's (submitted,
    approved, returned) or, for the assessment's conclusions, the first report's; a
    report's returned version is one the office sent back before members assessed it."""

    class Meta:
        model = RectificationVersion

    subject = factory.SubFactory(SubjectFactory)
    status = VersionStatus.SUBMITTED
    kind = factory.LazyAttribute(lambda o: _VERSION_KIND.get(o.status, RectificationKind.PLAN))
    actor = None

    @classmethod
    def _create(cls, model_class, *, subject, status, kind, actor):
        subject = _delivered(subject)
        if kind == RectificationKind.PLAN:
            plan_advance(subject, to=status, actor=actor)
        elif status == VersionStatus.RETURNED:
            RectificationReportFactory(subject=subject, status=RectificationReportStatus.SUBMITTED)
            rectification_report_return(
                actor=actor or default_office(), subject=subject, reason="请补充佐证材料"
            )
        else:
            RectificationReportFactory(subject=subject, status=status, actor=actor)
        return RectificationVersion.objects.filter(subject=subject, kind=kind, round=1).latest(
            "number"
        )


class RectificationVersionFileFactory(ServiceFactory):
    """The copy a submitted plan's version keeps of the plan's document."""

    class Meta:
        model = RectificationVersionFile

    subject = factory.SubFactory(SubjectFactory)
    document = factory.LazyFunction(lambda: pdf_upload("整改方案.pdf"))

    @classmethod
    def _create(cls, model_class, *, subject, document):
        plan_advance(subject, to=PlanStatus.SUBMITTED, document=document)
        version = RectificationVersion.objects.get(subject=subject, kind=RectificationKind.PLAN)
        return version.files.get()


class RectificationCheckFactory(ServiceFactory):
    """An assessment group's check of its subject's submitted report
    (rectification_check_record, by the group's leader), in a campaign whose groups oversee
    rectification (campaign_update)."""

    class Meta:
        model = RectificationCheck

    subject = factory.SubFactory(SubjectFactory)
    text = "整改措施基本落实，建议继续跟踪"
    actor = None

    @classmethod
    def _create(cls, model_class, *, subject, text, actor):
        from .surveys import AssessmentGroupFactory

        office = actor or default_office()
        group = AssessmentGroupFactory(campaign=subject.campaign, subjects=[subject], actor=office)
        campaign_update(actor=office, campaign=subject.campaign, groups_oversee_rectification=True)
        RectificationReportFactory(
            subject=subject, status=RectificationReportStatus.SUBMITTED, actor=office
        )
        subject = Subject.objects.select_related("campaign").get(pk=subject.pk)
        return rectification_check_record(actor=group.leader, subject=subject, text=text)
