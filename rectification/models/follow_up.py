"""After the review: the reporting steps, escalation, deadline extensions (延期) and the
kept versions of plans and reports."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.files import PrivateUploadTo
from core.formats import cn_date
from core.models import NamedUpload


class StepRecipient(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("党委")
    ORGANS = "organs", _("一府一委两院")
    WEBSITE = "website", _("人大网站")
    MEDIA = "media", _("新闻媒体")
    SUBJECTS = "subjects", _("评议对象")
    OTHER = "other", _("其他")


# The seeds' steps. Seed 002 (the default list): results and opinions to the party
# committee within a week, copied to 一府一委两院, published on the congress website.
# Seed 000 (Xuyi 2017) adds 一府两院通报, publication through the news media and feedback
# to the subjects; the office adds those (or its own) on the campaign's settings page.
DEFAULT_STEPS = (
    ("向党委报送评议结果和评议意见", StepRecipient.PARTY_COMMITTEE),
    ("抄送一府一委两院", StepRecipient.ORGANS),
    ("在人大网站公开", StepRecipient.WEBSITE),
)
SUGGESTED_STEPS = (
    *DEFAULT_STEPS,
    ("向一府两院通报评议结果", StepRecipient.ORGANS),
    ("通过新闻媒体向社会公开", StepRecipient.MEDIA),
    ("向评议对象反馈评议结果", StepRecipient.SUBJECTS),
)


class ReportingStep(models.Model):
    """A reporting step (通报/公开) after the review meeting, from the campaign's own list:
    due `due_days` after the meeting (no due date until the meeting is recorded)."""

    campaign = models.ForeignKey(
        "reviews.Campaign", on_delete=models.PROTECT, related_name="reporting_steps"
    )
    name = models.CharField(_("事项"), max_length=100)
    recipient = models.CharField(
        _("报送对象"), max_length=20, choices=StepRecipient.choices, default=StepRecipient.OTHER
    )
    due_days = models.PositiveSmallIntegerField(_("期限（评议会议后天数）"), default=7)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    due_on = models.DateField(_("期限"), null=True, blank=True)
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("结果报送事项")
        verbose_name_plural = _("结果报送事项")
        ordering = ["campaign", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "name"], name="reporting_step_name_once")
        ]

    def __str__(self) -> str:
        return self.name


class EscalationKind(models.TextChoices):
    EXPLANATION_DUE = "explanation_due", _("责成向主任会议说明情况")
    EXPLANATION = "explanation", _("已向主任会议说明情况")
    INQUIRY = "inquiry", _("询问")
    INTERPELLATION = "interpellation", _("质询")
    DECISION = "decision", _("作出决定")


class Escalation(models.Model):
    subject = models.ForeignKey(
        "subjects.Subject",
        verbose_name=_("评议对象"),
        on_delete=models.PROTECT,
        related_name="escalations",
    )
    kind = models.CharField(_("事项"), max_length=20, choices=EscalationKind.choices)
    text = models.TextField(_("内容"))
    due_on = models.DateField(_("期限"), null=True, blank=True)
    recorded_on = models.DateField(_("日期"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("后续监督事项")
        verbose_name_plural = _("后续监督事项")
        ordering = ["subject", "recorded_on", "id"]

    def __str__(self) -> str:
        return self.get_kind_display()


class RectificationKind(models.TextChoices):
    PLAN = "plan", _("整改方案")
    REPORT = "report", _("整改情况报告")


class DeadlineExtension(models.Model):
    """延期: the office moved a started deadline, with its reason. Shown to the subject
    and the liaison committee on the rectification page."""

    subject = models.ForeignKey(
        "subjects.Subject",
        verbose_name=_("评议对象"),
        on_delete=models.PROTECT,
        related_name="deadline_extensions",
    )
    kind = models.CharField(_("事项"), max_length=10, choices=RectificationKind.choices)
    report_round = models.PositiveSmallIntegerField(_("整改情况报告轮次"), null=True, blank=True)
    previous_due = models.DateField(_("原期限"))
    new_due = models.DateField(_("新期限"))
    reason = models.TextField(_("理由"))
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    extended_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("期限延期")
        verbose_name_plural = _("期限延期")
        ordering = ["subject", "extended_at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}延期至 {cn_date(self.new_due)}"


class VersionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已报送")
    APPROVED = "approved", _("已通过")
    RETURNED = "returned", _("已退回")
    SATISFIED = "satisfied", _("满意")
    CONTINUED = "continued", _("责成继续整改")


class RectificationVersion(models.Model):
    """One submitted version of a plan or a report, as it was submitted: its text, every
    row and copies of its files, then the decision on it (approved, returned and why…).
    Returned versions stay readable, like duty-report versions."""

    subject = models.ForeignKey(
        "subjects.Subject",
        verbose_name=_("评议对象"),
        on_delete=models.PROTECT,
        related_name="rectification_versions",
    )
    kind = models.CharField(_("文件"), max_length=10, choices=RectificationKind.choices)
    round = models.PositiveSmallIntegerField(_("轮次"), default=1)
    number = models.PositiveSmallIntegerField(_("版本"))
    submitted_on = models.DateField(_("报送日期"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    is_late = models.BooleanField(_("逾期报送"), default=False)
    text = models.TextField(_("正文"), blank=True)
    rows = models.JSONField(_("逐条内容"), default=list)
    status = models.CharField(
        _("状态"), max_length=12, choices=VersionStatus.choices, default=VersionStatus.SUBMITTED
    )
    return_reason = models.TextField(_("退回理由"), blank=True)
    decided_on = models.DateField(_("处理日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("整改方案和报告版本")
        verbose_name_plural = _("整改方案和报告版本")
        ordering = ["subject", "kind", "round", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "kind", "round", "number"], name="rectification_version_once"
            )
        ]

    def __str__(self) -> str:
        round_ = f"第 {self.round} 轮" if self.kind == RectificationKind.REPORT else ""
        return f"{self.get_kind_display()}{round_}第 {self.number} 版"


class RectificationVersionFile(NamedUpload):
    """A copy of a file as it was when its version was submitted."""

    version = models.ForeignKey(
        RectificationVersion, on_delete=models.CASCADE, related_name="files"
    )
    label = models.CharField(_("说明"), max_length=100)
    file = models.FileField(_("文件"), upload_to=PrivateUploadTo("versions"), max_length=200)

    class Meta:
        ordering = ["version", "id"]

    def __str__(self) -> str:
        return f"{self.label}：{self.original_name}"
