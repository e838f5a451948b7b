"""Review opinions (评议意见) and rectification (整改): plans, reports, assessments, escalation.

Deadlines are counted from the day the opinions are delivered, in calendar months (or
days) set per campaign; statuses such as overdue are derived from dates when read.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.files import PrivateUploadTo
from core.roles import Role
from core.workflow import Move, Workflow


class OpinionStatus(models.TextChoices):
    DRAFT = "draft", _("起草中")
    APPROVED = "approved", _("主任会议已通过")
    DELIVERED = "delivered", _("已送达")


# The subject's own user submits; the office or the subject's liaison committee decides; the
# office or the director's meeting approves opinions and records assessment conclusions.
# The services check who exactly (this subject's user, this subject's liaison committee);
# the roles below are what the pages use to offer the buttons.
OPINION_WORKFLOW = Workflow(
    noun="评议意见",
    action="review_opinion",
    moves=(
        Move(
            OpinionStatus.DRAFT,
            OpinionStatus.APPROVED,
            "登记主任会议通过",
            (Role.OFFICE, Role.DIRECTORS_MEETING),
        ),
        Move(OpinionStatus.APPROVED, OpinionStatus.DELIVERED, "登记送达"),
    ),
    labels=dict(OpinionStatus.choices),
)


class ReviewOpinion(models.Model):
    subject = models.OneToOneField(
        "subjects.Subject",
        verbose_name=_("评议对象"),
        on_delete=models.PROTECT,
        related_name="opinion",
    )
    summary = models.TextField(_("总体评价"), blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=OpinionStatus.choices, default=OpinionStatus.DRAFT
    )
    approved_on = models.DateField(_("主任会议通过日期"), null=True, blank=True)
    delivered_on = models.DateField(_("送达日期"), null=True, blank=True)
    updated_at = models.DateTimeField(_("最后修改"), auto_now=True)

    class Meta:
        verbose_name = _("评议意见")
        verbose_name_plural = _("评议意见")
        ordering = ["subject__campaign", "subject__position"]

    def __str__(self) -> str:
        return f"对{self.subject.person_name}的评议意见"


class ProblemSource(models.TextChoices):
    FINDING = "finding", _("调查发现")
    INQUIRY = "inquiry", _("会议询问")
    SURVEY = "survey", _("征求意见")
    DELIBERATION = "deliberation", _("会议审议")


class OpinionProblem(models.Model):
    """One problem of the opinion, pointing back to where it came from."""

    opinion = models.ForeignKey(ReviewOpinion, on_delete=models.CASCADE, related_name="problems")
    position = models.PositiveSmallIntegerField(_("序号"))
    content_item = models.ForeignKey(
        "reviews.ContentItem",
        verbose_name=_("类别（评议内容）"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("问题"))
    source = models.CharField(_("来源"), max_length=14, choices=ProblemSource.choices)
    finding = models.ForeignKey(
        "surveys.Finding",
        verbose_name=_("来源调查发现"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    inquiry = models.ForeignKey(
        "ballots.Inquiry",
        verbose_name=_("来源询问"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("评议意见问题")
        verbose_name_plural = _("评议意见问题")
        ordering = ["opinion", "content_item__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["opinion", "position"], name="opinion_problem_position")
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.text[:30]}"


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("填写中")
    SUBMITTED = "submitted", _("已报送，待审核")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已通过")


PLAN_WORKFLOW = Workflow(
    noun="整改方案",
    action="rectification_plan",
    moves=(
        Move(PlanStatus.DRAFT, PlanStatus.SUBMITTED, "报送整改方案", (Role.SUBJECT,)),
        Move(PlanStatus.RETURNED, PlanStatus.SUBMITTED, "重新报送整改方案", (Role.SUBJECT,)),
        Move(PlanStatus.SUBMITTED, PlanStatus.APPROVED, "通过", (Role.OFFICE, Role.LIAISON)),
        Move(PlanStatus.SUBMITTED, PlanStatus.RETURNED, "退回", (Role.OFFICE, Role.LIAISON)),
    ),
    labels=dict(PlanStatus.choices),
)


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


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("填写中")
    SUBMITTED = "submitted", _("已报送")
    SATISFIED = "satisfied", _("测评满意，整改完成")
    CONTINUED = "continued", _("责成继续整改")


REPORT_WORKFLOW = Workflow(
    noun="整改情况报告",
    action="rectification_report",
    moves=(
        Move(ReportStatus.DRAFT, ReportStatus.SUBMITTED, "报送整改情况报告", (Role.SUBJECT,)),
        Move(ReportStatus.SUBMITTED, ReportStatus.DRAFT, "退回", (Role.OFFICE, Role.LIAISON)),
        Move(
            ReportStatus.SUBMITTED,
            ReportStatus.SATISFIED,
            "登记测评满意",
            (Role.OFFICE, Role.DIRECTORS_MEETING),
        ),
        Move(
            ReportStatus.SUBMITTED,
            ReportStatus.CONTINUED,
            "责成继续整改",
            (Role.OFFICE, Role.DIRECTORS_MEETING),
        ),
    ),
    labels=dict(ReportStatus.choices),
)


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
        _("状态"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.DRAFT
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


class StepKind(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("向党委报送评议结果和评议意见")
    COPY_ORGANS = "copy_organs", _("抄送一府一委两院")
    PUBLISH = "publish", _("在人大网站公开")


class ReportingStep(models.Model):
    """Each must happen within a week of the review meeting."""

    campaign = models.ForeignKey(
        "reviews.Campaign", on_delete=models.PROTECT, related_name="reporting_steps"
    )
    kind = models.CharField(_("事项"), max_length=20, choices=StepKind.choices)
    due_on = models.DateField(_("期限"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("结果报送事项")
        verbose_name_plural = _("结果报送事项")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "kind"], name="reporting_step_once")
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


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
        return f"{self.get_kind_display()}延期至 {self.new_due:%Y-%m-%d}"


class VersionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("已报送")
    APPROVED = "approved", _("已通过")
    RETURNED = "returned", _("已退回")
    SATISFIED = "satisfied", _("测评满意")
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


class RectificationVersionFile(models.Model):
    """A copy of a file as it was when its version was submitted."""

    version = models.ForeignKey(
        RectificationVersion, on_delete=models.CASCADE, related_name="files"
    )
    label = models.CharField(_("说明"), max_length=100)
    file = models.FileField(_("文件"), upload_to=PrivateUploadTo("versions"), max_length=200)
    original_name = models.CharField(_("文件名"), max_length=200)

    class Meta:
        ordering = ["version", "id"]

    def __str__(self) -> str:
        return f"{self.label}：{self.original_name}"
