from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.files import PrivateUploadTo


class CampaignStage(models.TextChoices):
    """The four stages in order, then closed. Order matters: see workflows.STAGE_ORDER."""

    PREPARATION = "preparation", _("准备阶段")
    PRELIMINARY = "preliminary", _("初评阶段")
    REVIEW = "review", _("评议阶段")
    RECTIFICATION = "rectification", _("整改阶段")
    CLOSED = "closed", _("已结束")


# The satisfaction scale used by ballots and questionnaires unless the office sets another.
DEFAULT_RATING_OPTIONS = ["满意", "基本满意", "不满意"]


def default_rating_options() -> list[str]:
    return list(DEFAULT_RATING_OPTIONS)


TERM_YEARS = 5  # a people's congress term (届)

WORK_STAGES = [
    CampaignStage.PREPARATION,
    CampaignStage.PRELIMINARY,
    CampaignStage.REVIEW,
    CampaignStage.RECTIFICATION,
]


class Campaign(models.Model):
    name = models.CharField(_("活动名称"), max_length=120, unique=True)
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000)])
    term = models.CharField(_("届次"), max_length=60, blank=True, help_text=_("例如：第十七届"))
    # A term (届) lasts five years; campaigns of the same term form the term record.
    term_start_year = models.PositiveSmallIntegerField(
        _("本届起始年份"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1950)],
        help_text=_("例如第十七届为 2022（2022—2026 年）。"),
    )
    is_practice = models.BooleanField(
        _("试运行"),
        default=False,
        help_text=_("试运行的活动只用于演练，不会出现在公开页面，也不计入届内档案。"),
    )
    composition_size = models.PositiveSmallIntegerField(
        _("常委会组成人员总数"),
        validators=[MinValueValidator(1)],
        help_text=_("测评结果按组成人员总数（不是到会人数）计算。"),
    )
    issuing_office = models.CharField(
        _("办公室名称"), max_length=120, default="述职评议工作领导小组办公室"
    )
    implementation_plan_approved_on = models.DateField(_("实施方案批准日期"), null=True, blank=True)
    implementation_plan = models.FileField(
        _("实施方案文件"), upload_to=PrivateUploadTo("plans"), blank=True, max_length=200
    )
    implementation_plan_name = models.CharField(_("实施方案文件名"), max_length=200, blank=True)
    stage = models.CharField(
        _("当前阶段"),
        max_length=20,
        choices=CampaignStage.choices,
        default=CampaignStage.PREPARATION,
        editable=False,
    )
    report_draft_due = models.DateField(
        _("述职报告初稿截止日期"), null=True, blank=True, help_text=_("惯例为评议会议前 20 天。")
    )
    report_final_due = models.DateField(
        _("述职报告定稿截止日期"), null=True, blank=True, help_text=_("惯例为评议会议前 10 天。")
    )
    reports_distributed_at = models.DateTimeField(
        _("述职报告分发时间"), null=True, blank=True, editable=False
    )
    reports_distributed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("分发人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    rating_options = models.JSONField(
        _("满意度选项"),
        default=default_rating_options,
        help_text=_("测评和问卷使用的选项，按从好到差的顺序，例如 满意、基本满意、不满意。"),
    )
    rectification_plan_limit = models.PositiveSmallIntegerField(_("整改方案期限"), default=1)
    rectification_plan_limit_unit = models.CharField(
        _("整改方案期限单位"),
        max_length=6,
        choices=[("months", "个月"), ("days", "天")],
        default="months",
    )
    rectification_report_limit = models.PositiveSmallIntegerField(_("整改情况报告期限"), default=3)
    rectification_report_limit_unit = models.CharField(
        _("整改情况报告期限单位"),
        max_length=6,
        choices=[("months", "个月"), ("days", "天")],
        default="months",
    )
    reporting_days = models.PositiveSmallIntegerField(
        _("评议结果报送期限（会后天数）"),
        default=7,
        help_text=_("向党委报告、抄送一府一委两院、向社会公开，须在评议会议后若干日内完成。"),
    )
    rectification_conclusion = models.CharField(
        _("整改结论方式"),
        max_length=20,
        choices=[
            ("ballot", _("组成人员满意度测评")),
            ("directors_meeting", _("主任会议决定")),
        ],
        default="ballot",
        help_text=_("整改情况报告由组成人员满意度测评，或经主任会议决定通过或进一步整改。"),
    )
    groups_oversee_rectification = models.BooleanField(
        _("履职初评小组检查督促整改"),
        default=False,
        help_text=_("各小组查阅所评议对象的整改情况报告并提出检查意见，向主任会议报告。"),
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评议活动")
        verbose_name_plural = _("评议活动")
        ordering = ["-year", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.stage == CampaignStage.CLOSED

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        options = self.rating_options
        if (
            not isinstance(options, list)
            or len(options) < 2
            or not all(isinstance(o, str) and o.strip() for o in options)
            or len(set(options)) != len(options)
            or "弃权" in options
        ):
            raise ValidationError(
                {"rating_options": "满意度选项至少两项，每项不能为空，不能重复，也不含“弃权”。"}
            )
        if (
            self.report_draft_due
            and self.report_final_due
            and self.report_final_due < self.report_draft_due
        ):
            raise ValidationError({"report_final_due": "定稿截止日期不能早于初稿截止日期。"})
        if self.term_start_year and not self.term:
            raise ValidationError({"term": "填写了本届起始年份，请同时填写届次。"})
        if self.term_start_year and not (
            self.term_start_year <= self.year < self.term_start_year + TERM_YEARS
        ):
            raise ValidationError(
                {
                    "year": f"年度应在本届（{self.term_start_year}—{self.term_start_year + TERM_YEARS - 1}年）之内。"
                }
            )

    @property
    def term_label(self) -> str:
        """第十七届（2022—2026年）, or just the name when no start year is set."""
        if self.term and self.term_start_year:
            return (
                f"{self.term}（{self.term_start_year}—{self.term_start_year + TERM_YEARS - 1}年）"
            )
        return self.term

    @property
    def reports_distributed(self) -> bool:
        return self.reports_distributed_at is not None

    def review_meeting_date(self):
        """The planned day of the committee's review meeting: the review stage's planned start."""
        review = next((s for s in self.stages.all() if s.kind == CampaignStage.REVIEW), None)
        return review.planned_start if review else None

    def reference_date(self):
        """The day the campaign judges by (e.g. tenure): the review stage's planned start, else today."""
        from django.utils import timezone

        return self.review_meeting_date() or timezone.localdate()


class Stage(models.Model):
    """One of a campaign's four stages with its planned window and when it really ran."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="stages")
    kind = models.CharField(_("阶段"), max_length=20, choices=CampaignStage.choices, editable=False)
    position = models.PositiveSmallIntegerField(_("顺序"), editable=False)
    planned_start = models.DateField(_("计划开始"), null=True, blank=True)
    planned_end = models.DateField(_("计划结束"), null=True, blank=True)
    started_at = models.DateTimeField(_("实际开始"), null=True, blank=True, editable=False)
    ended_at = models.DateTimeField(_("实际结束"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("阶段")
        verbose_name_plural = _("阶段")
        ordering = ["campaign", "position"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "kind"], name="stage_unique_per_campaign")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            raise ValidationError({"planned_end": "计划结束日期不能早于计划开始日期。"})


class StageTransition(models.Model):
    """A record of one stage move: who, when, from where to where, and why."""

    class Direction(models.TextChoices):
        FORWARD = "forward", _("推进")
        BACK = "back", _("退回")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="transitions")
    from_stage = models.CharField(_("原阶段"), max_length=20, choices=CampaignStage.choices)
    to_stage = models.CharField(_("新阶段"), max_length=20, choices=CampaignStage.choices)
    direction = models.CharField(_("方向"), max_length=10, choices=Direction.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    reason = models.TextField(_("理由"), blank=True)
    # A forward move made although the stage's gate was not clear: what was missing, and
    # the office's written reason for going on anyway.
    override_reason = models.TextField(_("越过条件的理由"), blank=True)
    overridden = models.JSONField(_("越过的未满足条件"), default=list, blank=True)

    class Meta:
        verbose_name = _("阶段变更记录")
        verbose_name_plural = _("阶段变更记录")
        ordering = ["campaign", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_from_stage_display()} → {self.get_to_stage_display()}"


class ContentItem(models.Model):
    """One thing a campaign reviews (评议内容), e.g. 依法行政、公正司法情况."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="content_items")
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    title = models.CharField(_("评议内容"), max_length=200)
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("评议内容")
        verbose_name_plural = _("评议内容")
        ordering = ["campaign", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "title"], name="content_item_unique_title_per_campaign"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Member(models.Model):
    """A person on the standing committee (常委会组成人员) or who sits with it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        on_delete=models.PROTECT,
        related_name="member",
    )
    name = models.CharField(_("姓名"), max_length=40)
    title = models.CharField(
        _("职务"), max_length=80, help_text=_("例如：常委会副主任、常委会委员")
    )
    counts_toward_composition = models.BooleanField(
        _("计入组成人员"),
        default=True,
        help_text=_("列席人员等不计入常委会组成人员总数。"),
    )
    is_active = models.BooleanField(_("在任"), default=True)
    position = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("常委会组成人员")
        verbose_name_plural = _("常委会组成人员")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.title}）"
