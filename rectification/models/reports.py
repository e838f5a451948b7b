"""Rectification reports (整改情况报告), one per round, and their rows."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.files import PrivateUploadTo

from .opinions import OpinionProblem


class RectificationReportStatus(models.TextChoices):
    DRAFT = "draft", _("填写中")
    SUBMITTED = "submitted", _("已报送")
    SATISFIED = "satisfied", _("满意，整改完成")
    CONTINUED = "continued", _("责成继续整改")


class RectificationReport(models.Model):
    """整改情况报告, one per round: round 1, then each continued rectification."""

    subject = models.ForeignKey(
        "subjects.Subject",
        verbose_name=_("评议对象"),
        on_delete=models.PROTECT,
        related_name="rectification_reports",
    )
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)
    due_on = models.DateField(_("报送期限"))
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=RectificationReportStatus.choices,
        default=RectificationReportStatus.DRAFT,
    )
    text = models.TextField(_("整改情况报告"), blank=True)
    submitted_on = models.DateField(_("报送日期"), null=True, blank=True)
    ballot = models.OneToOneField(
        "ballots.Ballot",
        verbose_name=_("满意度测评"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="rectification_report",
    )
    ordered_on = models.DateField(_("主任会议责成日期"), null=True, blank=True)
    # Concluded by the director's meeting (the campaign's rectification_conclusion), not a
    # ballot: the meeting's date and its minutes (会议纪要).
    decided_on = models.DateField(_("主任会议决定日期"), null=True, blank=True)
    minutes = models.FileField(
        _("主任会议纪要"), upload_to=PrivateUploadTo("minutes"), blank=True, max_length=200
    )
    minutes_name = models.CharField(_("纪要文件名"), max_length=200, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)

    class Meta:
        verbose_name = _("整改情况报告")
        verbose_name_plural = _("整改情况报告")
        ordering = ["subject", "round"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "round"], name="rectification_report_round")
        ]

    def __str__(self) -> str:
        return f"{self.subject.person_name}整改情况报告（第 {self.round} 轮）"

    @property
    def meeting_outcome(self) -> str:
        """What the director's meeting decided on this report, in its own words."""
        return "满意" if self.status == RectificationReportStatus.SATISFIED else "继续整改"


class RowStatus(models.TextChoices):
    DONE = "done", _("已完成")
    IN_PROGRESS = "in_progress", _("正在整改")
    NOT_STARTED = "not_started", _("尚未开始")


class ReportRow(models.Model):
    report = models.ForeignKey(RectificationReport, on_delete=models.CASCADE, related_name="rows")
    problem = models.ForeignKey(
        OpinionProblem, on_delete=models.PROTECT, related_name="report_rows"
    )
    status = models.CharField(_("完成情况"), max_length=12, choices=RowStatus.choices)
    done = models.TextField(_("整改情况"))
    evidence = models.FileField(
        _("佐证材料"), upload_to=PrivateUploadTo("evidence"), blank=True, max_length=200
    )
    evidence_name = models.CharField(_("佐证材料文件名"), max_length=200, blank=True)

    class Meta:
        ordering = ["report", "problem__position"]
        constraints = [
            models.UniqueConstraint(fields=["report", "problem"], name="report_row_once")
        ]

    def __str__(self) -> str:
        return self.get_status_display()


class RectificationCheck(models.Model):
    """An assessment group's check of a rectification report (整改检查意见), for the
    subjects it assessed when the campaign gives the groups rectification oversight; the
    director's meeting hears it before it concludes the report."""

    report = models.ForeignKey(
        RectificationReport,
        verbose_name=_("整改情况报告"),
        on_delete=models.PROTECT,
        related_name="checks",
    )
    group = models.ForeignKey(
        "surveys.AssessmentGroup",
        verbose_name=_("履职初评小组"),
        on_delete=models.PROTECT,
        related_name="rectification_checks",
    )
    text = models.TextField(_("检查意见"))
    recorded_on = models.DateField(_("日期"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    heard_on = models.DateField(_("主任会议听取日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("整改检查意见")
        verbose_name_plural = _("整改检查意见")
        ordering = ["report", "group__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "group"], name="rectification_check_once")
        ]

    def __str__(self) -> str:
        return f"{self.group.name}对{self.report}的检查意见"
