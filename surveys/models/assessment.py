"""Preliminary assessment (初评 / 评议调查): confidential groups, their investigations and findings."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.files import PrivateUploadTo
from core.formats import cn_date
from core.models import Upload
from reviews.models import Campaign, ContentItem


class AssessmentGroup(models.Model):
    """履职初评小组 / 评议调查组: led by a standing-committee leader; sees only its own subjects."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("评议活动"),
        on_delete=models.PROTECT,
        related_name="assessment_groups",
    )
    name = models.CharField(_("小组名称"), max_length=60)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("组长"), on_delete=models.PROTECT, related_name="+"
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("组员"),
        blank=True,
        related_name="assessment_groups",
    )
    position = models.PositiveSmallIntegerField(_("排序"), default=0)
    # Assigned by the office (surveys.services.subjects_assign), one group per subject.
    subjects = models.ManyToManyField(
        "subjects.Subject",
        through="GroupAssignment",
        verbose_name=_("评议对象"),
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("履职初评小组")
        verbose_name_plural = _("履职初评小组")
        ordering = ["campaign", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "name"], name="group_name_unique_per_campaign"
            )
        ]

    def __str__(self) -> str:
        return self.name


class GroupAssignment(models.Model):
    """The assessment group a subject is in: at most one per subject. Kept here rather than
    on the subject, because the subjects app sits below the preliminary assessment."""

    subject = models.OneToOneField(
        "subjects.Subject",
        verbose_name=_("评议对象"),
        on_delete=models.CASCADE,
        related_name="group_assignment",
    )
    group = models.ForeignKey(
        AssessmentGroup,
        verbose_name=_("履职初评小组"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )

    class Meta:
        verbose_name = _("小组分工")
        verbose_name_plural = _("小组分工")

    def __str__(self) -> str:
        return f"{self.subject.person_name}→{self.group.name}"


class ActivityKind(models.TextChoices):
    FORUM = "forum", _("座谈会")
    VISIT = "visit", _("走访")
    INTERVIEW = "interview", _("个别访谈")
    QUESTIONNAIRE = "questionnaire", _("问卷调查")
    DOCUMENTS = "documents", _("查阅资料")
    OTHER = "other", _("其他")


class InvestigationActivity(models.Model):
    group = models.ForeignKey(
        AssessmentGroup, verbose_name=_("小组"), on_delete=models.PROTECT, related_name="activities"
    )
    subjects = models.ManyToManyField(
        "subjects.Subject", verbose_name=_("涉及评议对象"), related_name="investigation_activities"
    )
    kind = models.CharField(_("方式"), max_length=20, choices=ActivityKind.choices)
    held_on = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=120)
    participant_count = models.PositiveSmallIntegerField(_("参加人数"))
    participants = models.CharField(
        _("参加人员"), max_length=300, help_text=_("例如：服务对象代表、基层干部")
    )
    notes = models.TextField(_("情况记录"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("调查活动")
        verbose_name_plural = _("调查活动")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{cn_date(self.held_on)} {self.get_kind_display()}（{self.place}）"


class ActivityAttachment(Upload):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    activity = models.ForeignKey(
        InvestigationActivity,
        verbose_name=_("调查活动"),
        on_delete=models.PROTECT,
        related_name="attachments",
    )
    file = models.FileField(_("文件"), upload_to=PrivateUploadTo("activities"), max_length=200)

    class Meta:
        verbose_name = _("调查活动附件")
        verbose_name_plural = _("调查活动附件")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name


class FindingKind(models.TextChoices):
    ACHIEVEMENT = "achievement", _("成绩")
    PROBLEM = "problem", _("问题")
    SUGGESTION = "suggestion", _("建议")


class Finding(models.Model):
    """What a group found about a subject against one content item.

    Problems keep this row's identity for good: review opinions and the rectification
    ledger will point back to it. `number` is its readable name within the subject.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    subject = models.ForeignKey(
        "subjects.Subject",
        verbose_name=_("评议对象"),
        on_delete=models.PROTECT,
        related_name="findings",
    )
    number = models.PositiveSmallIntegerField(_("编号"))
    content_item = models.ForeignKey(
        ContentItem, verbose_name=_("评议内容"), on_delete=models.PROTECT, related_name="findings"
    )
    kind = models.CharField(_("类别"), max_length=20, choices=FindingKind.choices)
    text = models.TextField(_("内容"))
    activity = models.ForeignKey(
        InvestigationActivity,
        verbose_name=_("来源活动"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
    )
    questionnaire_answer = models.ForeignKey(
        "surveys.Answer",
        verbose_name=_("来源问卷意见"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="findings",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("调查发现")
        verbose_name_plural = _("调查发现")
        ordering = ["subject", "content_item__position", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "number"], name="finding_number_unique_per_subject"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.code}"

    @property
    def code(self) -> str:
        return f"{self.subject.position:02d}-{self.number:02d}"


class InvestigationReportStatus(models.TextChoices):
    DRAFT = "draft", _("起草中")
    SUBMITTED = "submitted", _("已提交")
    HEARD = "heard", _("主任会议已听取")


class InvestigationReport(models.Model):
    """The group's investigation report on one subject, heard by the director's meeting."""

    subject = models.OneToOneField(
        "subjects.Subject",
        verbose_name=_("评议对象"),
        on_delete=models.PROTECT,
        related_name="investigation_report",
    )
    group = models.ForeignKey(
        AssessmentGroup, verbose_name=_("小组"), on_delete=models.PROTECT, related_name="reports"
    )
    body = models.TextField(_("报告正文"))
    status = models.CharField(
        _("状态"),
        max_length=12,
        choices=InvestigationReportStatus.choices,
        default=InvestigationReportStatus.DRAFT,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("最后修改人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("最后修改时间"), auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    heard_on = models.DateField(_("主任会议听取日期"), null=True, blank=True)
    # 补录: the office entered a past hearing whose date is before the report's (late)
    # submission in this system; marked on the report's page and in the audit.
    heard_backdated = models.BooleanField(_("补录"), default=False)
    heard_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("调查报告")
        verbose_name_plural = _("调查报告")
        ordering = ["group", "subject__position"]

    def __str__(self) -> str:
        return f"关于{self.subject.person_name}履职情况的调查报告"
