"""Review opinions (评议意见) and their problems, drafted from the findings."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OpinionStatus(models.TextChoices):
    DRAFT = "draft", _("起草中")
    APPROVED = "approved", _("主任会议已通过")
    DELIVERED = "delivered", _("已送达")


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
    QUESTIONNAIRE = "questionnaire", _("征求意见")
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
