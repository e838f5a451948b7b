"""情况简报: the campaign's briefings, numbered per campaign. Their PDFs are rendered by
core.documents like every other document (kind BRIEFING_DOCUMENT, see documents.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import RenderedDocument
from reviews.models import Campaign


class BriefingBlock(models.TextChoices):
    STAGES = "stages", _("工作进度（四个阶段）")
    TURNOUT = "turnout", _("测评参加情况")
    RESULTS = "results", _("测评结果统计表（已公布的）")
    RECTIFICATION = "rectification", _("整改进展")


class BriefingStatus(models.TextChoices):
    """签发 is the briefing's one move (workbench/workflows.py)."""

    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已签发")


BRIEFING_DOCUMENT = "briefing"


class Briefing(models.Model):
    campaign = models.ForeignKey(
        Campaign, verbose_name=_("评议活动"), on_delete=models.PROTECT, related_name="briefings"
    )
    number = models.PositiveSmallIntegerField(_("期号"), editable=False)
    status = models.CharField(
        _("状态"),
        max_length=8,
        choices=BriefingStatus.choices,
        default=BriefingStatus.DRAFT,
    )
    # 签发 freezes the issue: the page as it stood then (articles and live blocks) is kept
    # here, and its PDF is rendered from it and never again.
    issued_html = models.TextField(_("签发时的版面"), blank=True, editable=False)
    issued_at = models.DateTimeField(_("签发时间"), null=True, blank=True, editable=False)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("签发操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("更正的期次"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
        editable=False,
    )
    title = models.CharField(_("标题"), max_length=200)
    issuing_office = models.CharField(_("编印单位"), max_length=120)
    issued_on = models.DateField(_("日期"))
    articles = models.TextField(
        _("正文"),
        help_text=_(
            "以“## ”开头的行是文章标题，空行分段；**一要**加粗，"
            "以“1. ”或“- ”开头的行成为编号或项目列表。"
        ),
    )
    blocks = models.JSONField(_("插入内容"), default=list, blank=True)
    editor = models.CharField(_("编辑"), max_length=40)
    reviewer = models.CharField(_("审核"), max_length=40)
    issuer = models.CharField(_("签发"), max_length=40)
    distribution = models.TextField(_("本期发至"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("情况简报")
        verbose_name_plural = _("情况简报")
        ordering = ["campaign", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "number"], name="briefing_number_per_campaign"
            )
        ]

    def __str__(self) -> str:
        return f"情况简报 第 {self.number} 期：{self.title}"

    @property
    def is_issued(self) -> bool:
        return self.status == BriefingStatus.ISSUED

    @property
    def document(self) -> RenderedDocument | None:
        """This issue's PDF and its render job (core's one pipeline); None until requested
        and again after an edit."""
        return RenderedDocument.objects.filter(kind=BRIEFING_DOCUMENT, object_id=self.pk).first()


class WorkVisit(models.Model):
    """When a person last opened 我的工作: results published since then are news to them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="work_visit"
    )
    previous_at = models.DateTimeField(_("上次访问"), null=True, blank=True)
    last_at = models.DateTimeField(_("本次访问"))

    class Meta:
        verbose_name = _("我的工作访问时间")
        verbose_name_plural = _("我的工作访问时间")

    def __str__(self) -> str:
        return str(self.user)
