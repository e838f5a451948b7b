"""Rectification plans (整改方案): one ledger row per problem."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.files import PrivateUploadTo

from .opinions import OpinionProblem


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("填写中")
    SUBMITTED = "submitted", _("已报送，待审核")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已通过")


class RectificationPlan(models.Model):
    """整改方案: a ledger row per problem, submitted to the liaison committee."""

    subject = models.OneToOneField(
        "subjects.Subject",
        verbose_name=_("评议对象"),
        on_delete=models.PROTECT,
        related_name="rectification_plan",
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    document = models.FileField(
        _("方案文件"), upload_to=PrivateUploadTo("plans"), blank=True, max_length=200
    )
    document_name = models.CharField(_("方案文件名"), max_length=200, blank=True)
    # Fixed when the review opinions are delivered, from the campaign's limits at that
    # moment; it moves only by an explicit extension (延期).
    due_on = models.DateField(_("报送期限"), null=True, blank=True)
    submitted_on = models.DateField(_("报送日期"), null=True, blank=True)
    decided_on = models.DateField(_("审核日期"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)

    class Meta:
        verbose_name = _("整改方案")
        verbose_name_plural = _("整改方案")

    def __str__(self) -> str:
        return f"{self.subject.person_name}整改方案"


class PlanRow(models.Model):
    plan = models.ForeignKey(RectificationPlan, on_delete=models.CASCADE, related_name="rows")
    problem = models.ForeignKey(
        OpinionProblem, verbose_name=_("问题"), on_delete=models.PROTECT, related_name="plan_rows"
    )
    measures = models.TextField(_("整改措施"))
    responsible = models.CharField(_("责任人"), max_length=80)
    time_limit = models.DateField(_("完成时限"))
    target = models.CharField(_("整改目标"), max_length=300)

    class Meta:
        ordering = ["plan", "problem__position"]
        constraints = [models.UniqueConstraint(fields=["plan", "problem"], name="plan_row_once")]

    def __str__(self) -> str:
        return self.measures[:30]
